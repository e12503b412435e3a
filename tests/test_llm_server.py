"""The scripted OpenAI-compatible server, exercised through the real `openai` and `langchain-openai`
clients over loopback HTTP: replies, streams, JSON mode, every failure step, and the request log."""

from __future__ import annotations

import json
import threading
import time

import httpx
import openai
import pytest
from langchain_core import exceptions as lc_errors
from langchain_openai import ChatOpenAI

from harness.llm_server import CHUNK_CHARS, ScriptedLLM

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


HI = [{"role": "user", "content": "住房补贴每月多少钱？"}]
TEXT = "Qualified entrepreneurs get 1,250 yuan per month [1]. 符合条件的每月1250元。"


@pytest.fixture(autouse=True)
def fresh(llm):
    llm.script()
    llm.requests.clear()


@pytest.fixture
def client(llm):
    with openai.OpenAI(base_url=llm.base_url, api_key="x", max_retries=0, timeout=5) as c:
        yield c


@pytest.fixture
def chat(llm):
    return ChatOpenAI(base_url=llm.base_url, api_key="x", model="scripted", max_retries=0, timeout=5)


def ask(client, stream=False, **kw):
    """The reply text, read through the official client (streamed replies reassembled)."""
    if not stream:
        return client.chat.completions.create(model="scripted", messages=HI, **kw).choices[0].message.content
    chunks = client.chat.completions.create(model="scripted", messages=HI, stream=True, **kw)
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def lc_ask(chat, stream=False, **kw):
    if not stream:
        return chat.invoke("住房补贴每月多少钱？", **kw).content
    return "".join(c.content for c in chat.stream("住房补贴每月多少钱？", **kw))


# --- lifecycle -----------------------------------------------------------------------------------

def test_starts_fast_lists_models_and_stops_fast():
    t0 = time.monotonic()
    with ScriptedLLM() as llm:
        started = time.monotonic() - t0
        assert llm.base_url.startswith("http://127.0.0.1:") and llm.base_url.endswith("/v1")
        with openai.OpenAI(base_url=llm.base_url, api_key="x", max_retries=0) as c:
            assert [m.id for m in c.models.list()] == ["scripted"]
        t1 = time.monotonic()
    assert started < 2 and time.monotonic() - t1 < 2
    with pytest.raises(httpx.ConnectError):  # really gone
        httpx.get(llm.base_url + "/models", timeout=1)


def test_exit_does_not_wait_for_a_sleeping_step():
    outcome = {}
    with ScriptedLLM() as llm:
        llm.script({"delay": 30, "content": "too late"})
        c = openai.OpenAI(base_url=llm.base_url, api_key="x", max_retries=0, timeout=60)

        def call():
            try:
                ask(c)
            except Exception as exc:
                outcome["exc"] = exc

        t = threading.Thread(target=call)
        t.start()
        while not llm.requests:
            time.sleep(0.01)
        t0 = time.monotonic()
    assert time.monotonic() - t0 < 2
    t.join(5)
    assert isinstance(outcome.get("exc"), openai.APIConnectionError)


# --- replies through the openai client ---------------------------------------------------------

def test_normal_reply_and_recorded_body(llm, client):
    llm.script(llm.reply(TEXT))
    done = client.chat.completions.create(model="scripted", messages=HI, temperature=0)
    assert done.object == "chat.completion" and done.model == "scripted"
    assert done.choices[0].message.content == TEXT and done.choices[0].message.role == "assistant"
    assert done.choices[0].finish_reason == "stop"
    assert done.usage.total_tokens == done.usage.prompt_tokens + done.usage.completion_tokens > 0
    assert llm.requests == [{"model": "scripted", "messages": HI, "temperature": 0}]


def test_streamed_reply_is_reassembled_from_small_deltas(llm, client):
    llm.script(llm.reply(TEXT))
    chunks = list(client.chat.completions.create(model="scripted", messages=HI, stream=True))
    deltas = [c.choices[0].delta.content for c in chunks if c.choices[0].delta.content]
    assert "".join(deltas) == TEXT and len(deltas) > 5 and max(map(len, deltas)) <= CHUNK_CHARS
    assert chunks[0].choices[0].delta.role == "assistant" and not chunks[0].choices[0].delta.content
    assert [c.choices[0].finish_reason for c in chunks] == [None] * (len(chunks) - 1) + ["stop"]
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert llm.requests[0]["stream"] is True


def test_stream_is_server_sent_events_on_the_wire(llm):
    llm.script(llm.reply("abcdefghij"))
    body = {"model": "scripted", "messages": HI, "stream": True}
    with httpx.stream("POST", llm.base_url + "/chat/completions", json=body, timeout=5) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        raw = r.read().decode()
    events = raw.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""] and all(e.startswith("data: ") for e in events[:-1])
    payloads = [json.loads(e[6:]) for e in events[:-2]]
    assert [p["choices"][0]["delta"].get("content") for p in payloads] == ["", "abcd", "efgh", "ij", None]


def test_stream_usage_chunk_when_asked(llm, client):
    llm.script(llm.reply("abcdef"))
    chunks = list(client.chat.completions.create(model="scripted", messages=HI, stream=True,
                                                 stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0


def test_json_mode_returns_the_scripted_json(llm, client):
    reply = {"answered": True, "citations": [1], "answer": "每月1250元 [1]。"}
    llm.script(llm.reply(reply), llm.reply(reply))
    assert json.loads(ask(client, response_format={"type": "json_object"})) == reply
    assert json.loads(ask(client, stream=True, response_format={"type": "json_object"})) == reply
    assert [r["response_format"] for r in llm.requests] == [{"type": "json_object"}] * 2


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_empty_reply(llm, client, stream):
    llm.script({"empty": True})
    if not stream:
        assert ask(client) == ""
        return
    chunks = list(client.chat.completions.create(model="scripted", messages=HI, stream=True))
    assert [c.choices[0].delta.content for c in chunks] == ["", None]
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_script_replaces_the_queue_and_each_request_consumes_one(llm, client):
    llm.script(llm.reply("a"), llm.reply("b"))
    llm.script(llm.reply("c"), llm.reply("d"))
    assert llm.pending == 2
    assert [ask(client), ask(client, stream=True)] == ["c", "d"] and llm.pending == 0
    with pytest.raises(openai.InternalServerError, match="no scripted reply left"):
        ask(client)
    assert len(llm.requests) == 3 and [r.get("stream") for r in llm.requests] == [None, True, None]


# --- failures through the openai client ----------------------------------------------------------

@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize(("status", "error", "etype"), [
    (429, openai.RateLimitError, "requests"),
    (500, openai.InternalServerError, "server_error"),
    (503, openai.InternalServerError, "server_error"),
])
def test_status_steps_raise_the_matching_error(llm, client, stream, status, error, etype):
    llm.script({"status": status})
    with pytest.raises(error) as info:
        ask(client, stream=stream)
    assert info.value.status_code == status and info.value.type == etype
    assert info.value.response.headers.get("retry-after") == ("0" if status == 429 else None)
    assert len(llm.requests) == 1 and llm.requests[0]["messages"] == HI


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_delay_longer_than_client_timeout_times_out(llm, stream):
    llm.script({"delay": 1.5, "content": "late"}, llm.reply("on time"))
    with openai.OpenAI(base_url=llm.base_url, api_key="x", max_retries=0, timeout=0.3) as c:
        t0 = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            ask(c, stream=stream)
        assert time.monotonic() - t0 < 1.2
        assert ask(c, stream=stream) == "on time"  # the late step was consumed; the server is still free


def test_delay_shorter_than_timeout_still_answers(llm, client):
    llm.script({"delay": 0.2, "content": "slow but fine"})
    t0 = time.monotonic()
    assert ask(client) == "slow but fine" and time.monotonic() - t0 >= 0.2


def test_delay_does_not_block_other_requests(llm, client):
    llm.script({"delay": 1.5, "content": "slow"}, llm.reply("fast"))
    slow = {}
    t = threading.Thread(target=lambda: slow.setdefault("text", ask(client)))
    t.start()
    while not llm.requests:  # recorded as soon as it arrives, before the delay is slept
        time.sleep(0.01)
    t0 = time.monotonic()
    assert ask(client) == "fast" and time.monotonic() - t0 < 1
    t.join(5)
    assert slow == {"text": "slow"}


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_drop_is_a_connection_error(llm, client, stream):
    llm.script({"drop": True})
    with pytest.raises(openai.APIConnectionError) as info:
        ask(client, stream=stream)
    assert not isinstance(info.value, openai.APITimeoutError)
    assert isinstance(info.value.__cause__, httpx.RemoteProtocolError)
    assert len(llm.requests) == 1  # the body was recorded before the connection was dropped


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_malformed_reply_raises_a_json_error(llm, client, stream):
    # The openai client does not wrap this: a bare json.JSONDecodeError escapes.
    llm.script({"malformed": True})
    with pytest.raises(json.JSONDecodeError):
        ask(client, stream=stream)


# --- langchain-openai ChatOpenAI ----------------------------------------------------------------

@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_chatopenai_reply_and_recorded_body(llm, chat, stream):
    llm.script(llm.reply(TEXT))
    assert lc_ask(chat, stream) == TEXT
    body = llm.requests[0]
    assert body["model"] == "scripted" and body["stream"] is stream
    assert body["messages"] == [{"role": "user", "content": "住房补贴每月多少钱？"}]


def test_chatopenai_stream_arrives_in_pieces(llm, chat):
    llm.script(llm.reply(TEXT))
    pieces = [c.content for c in chat.stream("q") if c.content]
    assert len(pieces) > 5 and "".join(pieces) == TEXT


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_chatopenai_json_mode(llm, chat, stream):
    reply = {"answered": False, "citations": [], "answer": "The plan does not say."}
    llm.script(llm.reply(reply))
    assert json.loads(lc_ask(chat, stream, response_format={"type": "json_object"})) == reply
    assert llm.requests[0]["response_format"] == {"type": "json_object"}


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_chatopenai_empty_reply(llm, chat, stream):
    llm.script({"empty": True})
    assert lc_ask(chat, stream) == ""


# langchain-openai re-raises openai errors as its own subclasses that are also langchain-core errors.
@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
@pytest.mark.parametrize(("step", "name", "openai_error", "lc_error"), [
    ({"status": 429}, "OpenAIRateLimitError", openai.RateLimitError, lc_errors.ModelRateLimitError),
    ({"status": 500}, "OpenAIAPIError", openai.InternalServerError, lc_errors.ModelAPIError),
    ({"status": 503}, "OpenAIAPIError", openai.InternalServerError, lc_errors.ModelAPIError),
    ({"drop": True}, "OpenAIConnectionError", openai.APIConnectionError, lc_errors.ModelConnectionError),
    (None, "OpenAIAPIError", openai.InternalServerError, lc_errors.ModelAPIError),  # queue empty
], ids=["429", "500", "503", "drop", "exhausted"])
def test_chatopenai_failures(llm, chat, stream, step, name, openai_error, lc_error):
    llm.script(*[s for s in [step] if s])
    with pytest.raises(openai_error) as info:
        lc_ask(chat, stream)
    assert type(info.value).__name__ == name and isinstance(info.value, lc_error)
    assert len(llm.requests) == 1


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_chatopenai_timeout(llm, stream):
    llm.script({"delay": 1.5, "content": "late"})
    chat = ChatOpenAI(base_url=llm.base_url, api_key="x", model="scripted", max_retries=0, timeout=0.3)
    with pytest.raises(openai.APITimeoutError) as info:
        lc_ask(chat, stream)
    assert type(info.value).__name__ == "OpenAITimeoutError"
    assert isinstance(info.value, lc_errors.ModelTimeoutError)


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_chatopenai_malformed(llm, chat, stream):
    llm.script({"malformed": True})
    with pytest.raises(json.JSONDecodeError):
        lc_ask(chat, stream)
