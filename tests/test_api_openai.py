"""The OpenAI-compatible endpoint through the official ``openai`` client, over a real server."""

from __future__ import annotations

import openai
import pytest

from assistant import Settings
from assistant.api import create_app
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
def client(data_dir, bot):
    settings = Settings(data_dir=data_dir, ui=False, rate_limit="", rate_limit_per_user="")
    with serve(create_app(settings, bot)) as base:
        yield openai.OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0)


def test_models_lists_the_answer_modes_served(client):
    # No chat model configured here: the llm model is not served, and asking for it says why.
    assert [m.id for m in client.models.list()] == ["opc-assistant", "opc-assistant-extractive"]
    with pytest.raises(openai.NotFoundError) as llm:
        client.chat.completions.create(model="opc-assistant-llm", messages=[{"role": "user", "content": "hi"}])
    assert llm.value.code == "model_not_found" and "OPC_LLM_BASE_URL" in llm.value.message


def test_completion_answers_with_figures_and_structured_citations(client):
    done = client.chat.completions.create(
        model="opc-assistant", messages=[{"role": "system", "content": "Be brief."},
                                         {"role": "user", "content": "住房补贴每月多少钱？"}])
    content = done.choices[0].message.content
    assert "1250" in content and "来源：" in content and "（四）" in content
    citations = done.model_extra["citations"]
    assert citations[0]["clause_id"] == "sz-ai-opc-plan:m4"
    assert done.model_extra["answer"]["answerable"] is True


def test_completion_follow_up_uses_the_client_held_history(client):
    first = client.chat.completions.create(
        model="opc-assistant", messages=[{"role": "user", "content": "博士落户补贴最高多少？"}])
    second = client.chat.completions.create(model="opc-assistant", messages=[
        {"role": "user", "content": "博士落户补贴最高多少？"},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "那需要满足什么条件呢？"},
    ])
    assert second.model_extra["answer"]["standalone_question"]
    assert second.model_extra["citations"]


def test_streamed_completion_ends_with_citations(client):
    stream = client.chat.completions.create(
        model="opc-assistant", stream=True,
        messages=[{"role": "user", "content": [{"type": "text", "text": "How much is the monthly housing subsidy?"}]}])
    pieces, last = [], None
    for chunk in stream:
        pieces.append(chunk.choices[0].delta.content or "")
        last = chunk
    text = "".join(pieces)
    assert "1,250" in text and "Sources:" in text
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["citations"][0]["clause_id"] == "sz-ai-opc-plan:m4"


def test_refusal_and_bad_requests(client):
    refused = client.chat.completions.create(
        model="opc-assistant", messages=[{"role": "user", "content": "What is the visa policy for foreigners?"}])
    assert refused.model_extra["answer"]["answerable"] is False and refused.model_extra["citations"] == []
    with pytest.raises(openai.UnprocessableEntityError) as no_user:
        client.chat.completions.create(model="opc-assistant", messages=[{"role": "system", "content": "hi"}])
    # Our error shape is OpenAI's: the client reads the code straight off it.
    assert no_user.value.code == "invalid_question" and "no user message" in no_user.value.message
    with pytest.raises(openai.UnprocessableEntityError) as empty:
        client.chat.completions.create(model="opc-assistant", messages=[])
    assert empty.value.code == "validation_error"
