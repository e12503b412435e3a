"""The HTTP API through a real uvicorn server on loopback, with httpx, httpx-sse and the openai client."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from httpx_sse import connect_sse

from assistant import Settings
from assistant.api import create_app
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


WORKSPACE_ZH = "免费办公空间最长可以用多久？"
HOUSING_EN = "How much is the monthly housing subsidy?"


@pytest.fixture(scope="module")
def url(data_dir, bot):
    settings = Settings(data_dir=data_dir, ui=False, rate_limit="10000/minute", rate_limit_per_user="10000/minute")
    with serve(create_app(settings, bot)) as base:
        yield base


@pytest.fixture()
def http(url):
    with httpx.Client(base_url=url, timeout=30) as client:
        yield client


def figures_of(answer: dict) -> str:
    return answer["answer"]


def test_ask_in_chinese_and_english_cites_the_housing_clause(http):
    zh = http.post("/v1/ask", json={"question": "住房补贴每月多少钱？"})
    en = http.post("/v1/ask", json={"question": HOUSING_EN})
    assert zh.status_code == en.status_code == 200
    zh, en = zh.json(), en.json()
    assert zh["language"] == "zh" and en["language"] == "en"
    assert "1250" in zh["answer"] and "1,250" in en["answer"]
    for answer in (zh, en):
        assert answer["answerable"] and answer["mode"] == "extractive"
        assert "sz-ai-opc-plan:m4" in [c["clause_id"] for c in answer["citations"]]
        assert len(answer["id"]) == 32


def test_out_of_scope_question_is_refused_with_suggestions(http):
    answer = http.post("/v1/ask", json={"question": "What is the corporate income tax rate in Shanghai?"}).json()
    assert answer["answerable"] is False and answer["citations"] == []


def test_chat_assigns_a_session_and_resolves_a_follow_up(http):
    first = http.post("/v1/chat", json={"question": "博士落户补贴最高多少？"}).json()
    session = first["session_id"]
    assert session and first["answerable"]
    second = http.post("/v1/chat", json={"question": "那需要满足什么条件呢？", "session_id": session}).json()
    assert second["session_id"] == session and second["standalone_question"]
    turns = http.get(f"/v1/sessions/{session}").json()["turns"]
    assert [t["question"] for t in turns] == ["博士落户补贴最高多少？", "那需要满足什么条件呢？"]
    assert http.delete(f"/v1/sessions/{session}").status_code == 204
    gone = http.get(f"/v1/sessions/{session}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
    assert http.delete(f"/v1/sessions/{session}").status_code == 404


def test_chat_streams_server_sent_events_ending_in_the_full_answer(http):
    deltas, final = [], None
    with connect_sse(http, "POST", "/v1/chat",
                     json={"question": HOUSING_EN, "stream": True}) as source:
        assert source.response.headers["content-type"].startswith("text/event-stream")
        for event in source.iter_sse():
            data = json.loads(event.data)
            if event.event == "delta":
                deltas.append(data["text"])
            else:
                assert event.event == "final"
                final = data
    assert deltas and final is not None
    assert "".join(deltas) == final["answer"]["answer"] and final["replaced"] is False
    session = final["answer"]["session_id"]  # the server started the conversation
    assert final["answer"]["citations"] and session
    # The streamed turn is stored like any other.
    assert len(http.get(f"/v1/sessions/{session}").json()["turns"]) == 1


def test_clients_cannot_choose_session_ids(http):
    r = http.post("/v1/chat", json={"question": HOUSING_EN, "session_id": "my-chosen-id-1"})
    assert r.status_code == 404 and "my-chosen-id-1" not in r.text
    assert http.get("/v1/sessions/my-chosen-id-1").status_code == 404


def test_bad_stream_request_fails_before_streaming_with_json(http):
    r = http.post("/v1/chat", json={"question": "   ", "stream": True})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]["code"] == "invalid_question"


def test_feedback_round_trip(http, bot):
    answer = http.post("/v1/ask", json={"question": WORKSPACE_ZH}).json()
    r = http.post("/v1/feedback", json={"answer_id": answer["id"], "useful": False, "comment": "没说清楚"})
    assert r.status_code == 201 and r.json()["source"] == "api"
    assert [f.useful for f in bot.feedback_store.list(answer["id"])] == [False]
    unknown = http.post("/v1/feedback", json={"answer_id": "0" * 32, "useful": True})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    wrong = http.post("/v1/feedback", json={"answer_id": answer["id"], "useful": "yes"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "validation_error"


def test_documents_and_clauses(http):
    docs = http.get("/v1/documents").json()
    assert "sz-ai-opc-plan" in [d["id"] for d in docs]
    clause = http.get("/v1/clauses/sz-ai-opc-plan:m4", params={"lang": "zh"}).json()
    assert clause["label"] == "（四）" and "1250" in clause["text"] and clause["parallel_text"]
    missing = http.get("/v1/clauses/sz-ai-opc-plan:m99")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert http.get("/v1/clauses/sz-ai-opc-plan:m4", params={"lang": "fr"}).status_code == 422


@pytest.mark.parametrize("body, status, code", [
    ({"question": ""}, 422, "invalid_question"),
    ({"question": "x" * 2001}, 422, "invalid_question"),
    ({"question": 5}, 422, "validation_error"),
    ({}, 422, "validation_error"),
    ({"question": "hi", "mode": "poetry"}, 422, "validation_error"),
    ({"question": "hi", "mode": "llm"}, 422, "config_error"),  # no model configured on this server
])
def test_bad_questions_share_one_error_shape(http, body, status, code):
    r = http.post("/v1/ask", json=body)
    assert r.status_code == status
    error = r.json()["error"]
    assert error["code"] == code and error["message"]


def test_malformed_and_oversized_bodies(http):
    for body, ctype in [(b"{not json", "application/json"), (b"", "application/json"), (b'"text"', "application/json"),
                        (b"\xff\xfe", "application/json"), ('{"question": "住房补贴"}'.encode(), "text/plain")]:
        r = http.post("/v1/chat", content=body, headers={"content-type": ctype})
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_json", (body, r.text)
        assert "JSON object" in r.json()["error"]["message"]
    big = json.dumps({"question": "住房" * 40000})
    r = http.post("/v1/ask", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    chunked = http.post("/v1/ask", content=iter([big.encode()[:40000], big.encode()[40000:]]),
                        headers={"content-type": "application/json"})
    assert chunked.status_code == 413 and chunked.json()["error"]["code"] == "payload_too_large"
    small = http.post("/v1/ask", content=iter([b'{"question": ', '"住房补贴每月多少钱？"}'.encode()]),
                      headers={"content-type": "application/json"})
    assert small.status_code == 200 and "1250" in small.json()["answer"]
    assert http.get("/v1/nowhere").json()["error"]["code"] == "not_found"
    assert http.get("/v1/ask").json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("GET", "/v1/ask", "POST"),
    ("PUT", "/v1/sessions/abc", "DELETE, GET"),  # two routes share the path: both named
    ("POST", "/v1/documents/some-doc", "DELETE"),
    ("DELETE", "/v1/documents", "GET, POST"),
    ("PATCH", "/v1/chat/completions", "POST"),
])
def test_method_not_allowed_names_every_method_of_the_path(http, method, path, allow):
    r = http.request(method, path)
    assert r.status_code == 405 and r.headers["allow"] == allow
    assert r.json()["error"]["code"] == "method_not_allowed" and allow in r.json()["error"]["message"]


@pytest.mark.parametrize("body", [
    {"question": "住房补贴每月多少钱？", "stream": 0},
    {"question": "住房补贴每月多少钱？", "stream": "true"},
    {"question": 12345},
    {"question": "住房补贴每月多少钱？", "session_id": 7},
])
def test_request_types_are_strict(http, body):
    r = http.post("/v1/chat", json=body)
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    assert r.json()["error"]["fields"][0]["loc"][-1] in ("stream", "question", "session_id")
    completions = http.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}], "stream": 1})
    assert completions.status_code == 422


def test_openapi_documents_the_400_for_bodies_that_are_not_json(http):
    paths = http.get("/openapi.json").json()["paths"]
    for path in ("/v1/ask", "/v1/chat", "/v1/feedback", "/v1/chat/completions", "/v1/eligibility"):
        assert "400" in paths[path]["post"]["responses"], path


def test_health_and_readiness(http):
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz").json()
    assert ready["status"] == "ready" and ready["entries"] > 100 and ready["documents"] >= 1


def test_openapi_documents_every_route(http):
    paths = http.get("/openapi.json").json()["paths"]
    for path in ("/v1/ask", "/v1/chat", "/v1/sessions/{session_id}", "/v1/feedback", "/v1/documents",
                 "/v1/clauses/{clause_id}", "/v1/chat/completions", "/v1/eligibility", "/healthz", "/readyz"):
        assert path in paths
    assert http.get("/docs").status_code == 200


def test_questions_are_redacted_in_logs(http, caplog):
    with caplog.at_level(logging.INFO, logger="assistant.api"):
        http.post("/v1/ask", json={"question": "我的手机13812345678，住房补贴每月多少钱？"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "住房补贴" in logged and "13812345678" not in logged
