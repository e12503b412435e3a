"""Streams through proxies: /v1/chat and /v1/chat/completions streams carry the no-buffering headers and send
an SSE comment heartbeat while a slow model (the scripted server, delaying its reply) has not yet written."""

from __future__ import annotations

import json
import time

import httpx
import openai
import pytest

from assistant import Assistant, Settings
from assistant.api import create_app
from assistant.api.sse import PING, with_heartbeat
from assistant.settings import LLMSettings
from assistant.understanding.text import detect_language
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


QUESTION = "How much is the monthly housing subsidy?"
HEARTBEAT = 0.25
DELAY = 1.2  # the model's silence before it writes: several heartbeats long


@pytest.fixture(scope="module")
def llm_bot(llm, data_dir, bot):  # `bot` first: the shared index is built once
    return Assistant.load(Settings(data_dir=data_dir,
                                   llm=LLMSettings(base_url=llm.base_url, model="scripted", timeout=10)))


@pytest.fixture(scope="module")
def url(llm_bot):
    settings = llm_bot.settings.model_copy(update={"ui": False, "rate_limit": "", "rate_limit_per_user": "",
                                                   "sse_heartbeat": HEARTBEAT})
    with serve(create_app(settings, llm_bot)) as base:
        yield base


@pytest.fixture()
def slow_answer(llm, llm_bot):
    """Script one grounded answer the model sends only after DELAY seconds."""
    hits = llm_bot.retriever.search(QUESTION, detect_language(QUESTION)).hits
    n = [h.clause_id for h in hits].index("sz-ai-opc-plan:m4") + 1
    reply = llm.reply({"answered": True, "citations": [n],
                       "answer": f"The housing subsidy is 1,250 yuan per month [{n}]."})
    llm.script({**reply, "delay": DELAY})
    yield
    llm.script()


def raw_stream(url: str, path: str, body: dict) -> tuple[httpx.Headers, list[tuple[float, str]]]:
    """POST and read the stream line by line, with each line's arrival time (seconds after the request)."""
    start = time.monotonic()
    lines = []
    with httpx.stream("POST", url + path, json=body, timeout=30) as response:
        assert response.status_code == 200, response.read()
        for line in response.iter_lines():
            lines.append((time.monotonic() - start, line))
        return response.headers, lines


def check_proxy_friendly(headers: httpx.Headers, lines: list[tuple[float, str]], first_data: str) -> None:
    assert headers["content-type"].startswith("text/event-stream")
    assert headers["x-accel-buffering"] == "no"
    assert "no-cache" in headers["cache-control"]
    first = next(i for i, (_, line) in enumerate(lines) if line.startswith(first_data))
    pings = [t for t, line in lines[:first] if line == PING.decode().strip()]
    # The model was silent for DELAY seconds: pings came meanwhile, spread out, not all at the end.
    assert len(pings) >= 2, lines[:first]
    # Spread out (written as they happen, not buffered and flushed together); no absolute clock, which a busy
    # machine stretches.
    assert pings[-1] - pings[0] >= HEARTBEAT
    assert all(line == "" or line == ": ping" for _, line in lines[:first])


def test_chat_stream_sends_heartbeats_until_the_model_writes(url, slow_answer):
    headers, lines = raw_stream(url, "/v1/chat", {"question": QUESTION, "stream": True})
    check_proxy_friendly(headers, lines, "event: delta")
    final = json.loads(next(line for _, line in reversed(lines) if line.startswith("data: "))[6:])
    assert final["type"] == "final" and final["answer"]["mode"] == "llm"
    assert "1,250 yuan" in final["answer"]["answer"] and final["replaced"] is False


def test_openai_stream_sends_heartbeats_and_clients_skip_them(url, slow_answer, llm):
    headers, lines = raw_stream(url, "/v1/chat/completions",
                                {"messages": [{"role": "user", "content": QUESTION}], "stream": True})
    check_proxy_friendly(headers, lines, "data: {")
    assert lines[-2][1] == "data: [DONE]" or lines[-1][1] == "data: [DONE]"
    llm.script({**llm.reply({"answered": True, "citations": [1], "answer": "x"}), "delay": DELAY})
    # The official client reads the same stream, heartbeats and all.
    client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in client.chat.completions.create(
        model="opc-assistant", stream=True, messages=[{"role": "user", "content": QUESTION}]))
    assert "Sources:" in text


def test_heartbeat_is_configurable_and_passes_failures_on():
    def slow(fail: bool = False):
        yield b"a"
        time.sleep(0.35)
        if fail:
            raise RuntimeError("model went away")
        yield b"b"

    assert list(with_heartbeat(slow(), 0)) == [b"a", b"b"]  # 0: off
    assert list(with_heartbeat(slow(), 0.1)).count(PING) >= 1  # at least one while silent (a busy machine delays the rest)
    with pytest.raises(RuntimeError, match="went away"):
        list(with_heartbeat(slow(fail=True), 0.1))
    assert Settings(sse_heartbeat=0).sse_heartbeat == 0
    with pytest.raises(ValueError):
        Settings(sse_heartbeat=-1)
