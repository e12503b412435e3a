"""The OpenAI-compatible route as its users meet it: the official ``openai`` package and LangChain's
``ChatOpenAI``, against a real ``opc serve`` process on loopback (its chat model the scripted server)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import openai
import pytest
from langchain_openai import ChatOpenAI

from assistant.understanding.text import detect_language
from harness.servers import free_port, wait_until_ready

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ROOT = Path(__file__).resolve().parent.parent
HOUSING_ZH = "住房补贴每月多少钱？"
HOUSING_EN = "How much is the monthly housing subsidy?"
VISA = "What is the visa policy for foreigners?"
EXTRACTIVE = "opc-assistant-extractive"
OPC = [sys.executable, "-c", "from assistant.cli import app; app()"]  # `opc`, from this tree (PYTHONPATH)


@pytest.fixture(scope="module")
def server(bot, data_dir, llm):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPC_DATA_DIR": str(data_dir), "OPC_RATE_LIMIT": "",
           "OPC_RATE_LIMIT_PER_USER": "", "OPC_LLM_BASE_URL": llm.base_url, "OPC_LLM_MODEL": "scripted",
           "OPC_LLM_TIMEOUT": "10"}
    proc = subprocess.Popen([*OPC, "serve", "--no-ui", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/readyz", proc, timeout=180, interval=0.5)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=f"{server}/v1", api_key="unused", max_retries=0)


def test_models_are_the_answer_modes_and_unknown_ones_are_refused(client):
    assert [m.id for m in client.models.list()] == ["opc-assistant", "opc-assistant-extractive", "opc-assistant-llm"]
    assert client.models.retrieve(EXTRACTIVE).id == EXTRACTIVE
    with pytest.raises(openai.NotFoundError) as missing:
        client.models.retrieve("gpt-4o")
    assert missing.value.code == "model_not_found" and missing.value.param == "model"
    with pytest.raises(openai.NotFoundError) as asked:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": HOUSING_ZH}])
    assert asked.value.code == "model_not_found" and "opc-assistant-extractive" in asked.value.message
    assert asked.value.type == "invalid_request_error"


def test_completion_counts_usage_and_carries_structured_citations(client):
    short = client.chat.completions.create(model=EXTRACTIVE, messages=[{"role": "user", "content": HOUSING_ZH}])
    longer = client.chat.completions.create(model=EXTRACTIVE, messages=[
        {"role": "system", "content": "You answer founders' questions about Shenzhen's policies, briefly."},
        {"role": "user", "content": HOUSING_ZH}])
    u = short.usage
    assert 3 <= u.prompt_tokens <= len(HOUSING_ZH)  # common Chinese words are one SentencePiece each
    assert u.completion_tokens > 20 and u.total_tokens == u.prompt_tokens + u.completion_tokens
    assert longer.usage.prompt_tokens >= u.prompt_tokens + 10  # the system message is part of the prompt
    assert longer.usage.completion_tokens == u.completion_tokens  # the same answer, counted the same
    assert short.model == EXTRACTIVE
    opc = short.model_extra["opc"]
    assert opc["answerable"] is True and opc["mode"] == "extractive" and short.id == f"chatcmpl-{opc['answer_id']}"
    assert opc["citations"][0]["clause_id"] == "sz-ai-opc-plan:m4"
    assert opc["citations"][0]["label"] in short.choices[0].message.content


def test_stream_has_one_id_and_honours_include_usage(client):
    whole = client.chat.completions.create(model=EXTRACTIVE, messages=[{"role": "user", "content": HOUSING_EN}])
    chunks = list(client.chat.completions.create(
        model=EXTRACTIVE, stream=True, stream_options={"include_usage": True},
        messages=[{"role": "user", "content": HOUSING_EN}]))
    assert len({c.id for c in chunks}) == 1 and chunks[0].id.startswith("chatcmpl-")
    last, finishing = chunks[-1], chunks[-2]
    assert last.choices == [] and last.usage is not None
    assert all(c.usage is None for c in chunks[:-1])
    assert finishing.choices[0].finish_reason == "stop"
    text = "".join(c.choices[0].delta.content or "" for c in chunks[:-1])
    assert text == whole.choices[0].message.content  # extractive answers are deterministic
    assert last.usage.completion_tokens == whole.usage.completion_tokens
    assert last.usage.prompt_tokens == whole.usage.prompt_tokens
    assert finishing.model_extra["opc"]["citations"][0]["clause_id"] == "sz-ai-opc-plan:m4"
    # Without include_usage: no usage chunk, the finishing chunk is the last.
    plain = list(client.chat.completions.create(model=EXTRACTIVE, stream=True,
                                                messages=[{"role": "user", "content": HOUSING_EN}]))
    assert plain[-1].choices[0].finish_reason == "stop" and plain[-1].usage is None


def test_refusal_lists_the_nearest_clauses_it_announces(client):
    for question, heading in ((VISA, "Nearest clauses:"), ("外国人签证政策是什么？", "最相近的条款：")):
        done = client.chat.completions.create(model=EXTRACTIVE, messages=[{"role": "user", "content": question}])
        content, opc = done.choices[0].message.content, done.model_extra["opc"]
        assert opc["answerable"] is False and opc["citations"] == [] and opc["suggestions"]
        listed = content.split(heading, 1)[1]
        for ref in opc["suggestions"]:
            assert ref["title"] in listed and ref["doc_title"] in listed


def test_llm_model_answers_with_the_chat_model(client, llm, bot):
    hits = bot.retriever.search(HOUSING_EN, detect_language(HOUSING_EN)).hits
    n = [h.clause_id for h in hits].index("sz-ai-opc-plan:m4") + 1
    llm.script(llm.reply({"answered": True, "citations": [n],
                          "answer": f"The housing subsidy is 1,250 yuan per month [{n}]."}))
    try:
        done = client.chat.completions.create(model="opc-assistant-llm",
                                              messages=[{"role": "user", "content": HOUSING_EN}])
    finally:
        llm.script()
    assert done.model_extra["opc"]["mode"] == "llm" and "1,250 yuan" in done.choices[0].message.content
    assert done.model == "opc-assistant-llm"
    # A figure the clause does not state fails the gate twice: the quoted answer is given, the metrics count it.
    before = gate_counts(client)
    wrong = llm.reply({"answered": True, "citations": [n], "answer": f"The housing subsidy is 9,999 yuan [{n}]."})
    llm.script(wrong, wrong)
    try:
        fell_back = client.chat.completions.create(model="opc-assistant-llm",
                                                   messages=[{"role": "user", "content": HOUSING_EN}])
    finally:
        llm.script()
    opc = fell_back.model_extra["opc"]
    assert opc["mode"] == "extractive" and opc["warnings"] and "9,999" not in fell_back.choices[0].message.content
    after = gate_counts(client)
    assert after["first"] == before.get("first", 0) + 1 and after["retry"] == before.get("retry", 0) + 1


def gate_counts(client) -> dict[str, float]:
    import httpx

    text = httpx.get(str(client.base_url).replace("/v1/", "/metrics")).text  # a keyless loopback server: open
    return {line.split('attempt="')[1].split('"')[0]: float(line.rsplit(" ", 1)[1])
            for line in text.splitlines() if line.startswith("opc_gate_rejections_total{")}


def test_langchain_chat_openai_gets_usage_and_citation_ids(server):
    chat = ChatOpenAI(base_url=f"{server}/v1", api_key="unused", model=EXTRACTIVE, max_retries=0,
                      include_response_headers=True)
    reply = chat.invoke(HOUSING_ZH)
    assert "1250" in reply.content and "来源：" in reply.content
    usage = reply.usage_metadata
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 20
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    headers = {k.lower(): v for k, v in reply.response_metadata["headers"].items()}
    assert "sz-ai-opc-plan:m4" in headers["x-opc-citations"].split(",") and headers["x-opc-answer-id"]
    assert reply.response_metadata["model_name"] == EXTRACTIVE
    # Streamed, with usage (ChatOpenAI asks for include_usage): the pieces add up to the same answer and count.
    streamed = None
    for piece in ChatOpenAI(base_url=f"{server}/v1", api_key="unused", model=EXTRACTIVE, max_retries=0,
                            stream_usage=True).stream(HOUSING_ZH):
        streamed = piece if streamed is None else streamed + piece
    assert streamed.content == reply.content
    assert streamed.usage_metadata["output_tokens"] == usage["output_tokens"]
    assert streamed.usage_metadata["input_tokens"] == usage["input_tokens"]
    with pytest.raises(openai.NotFoundError):
        ChatOpenAI(base_url=f"{server}/v1", api_key="unused", model="gpt-4o", max_retries=0).invoke(HOUSING_ZH)
