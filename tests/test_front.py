"""Connection-level attacks on a real `opc serve`, alone and behind the shipped nginx config, while an
honest client keeps asking: slowloris, a huge header, many half-open connections from one address."""

from __future__ import annotations

import httpx
import pytest

from harness.attacks import Prober, half_open, huge_header, nginx_binary, nginx_in_front, opc_serve, slowloris

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


BOUND = 2.0  # seconds: generous, these are functional checks on a shared machine

SERVE_ENV = {
    "OPC_SERVER_HEADER_TIMEOUT": "2", "OPC_SERVER_BODY_TIMEOUT": "3",
    "OPC_SERVER_MAX_CONNECTIONS": "300", "OPC_SERVER_MAX_CONNECTIONS_PER_ADDRESS": "50",
    "OPC_TRUSTED_PROXIES": "127.0.0.1",  # nginx's address: exempt from the per-address cap, its X-Forwarded-For believed
}


@pytest.fixture(scope="module")
def server_log(tmp_path_factory):
    return tmp_path_factory.mktemp("front") / "serve.log"


@pytest.fixture(scope="module")
def served(bot, data_dir, server_log):
    with opc_serve(data_dir, SERVE_ENV, log_path=server_log) as server:
        yield server.base, server.port


def test_keys_in_query_strings_never_reach_the_access_log(served, server_log):
    base, _ = served
    secrets = ["sekrit-AAA111", "sekrit-BBB222", "sekrit-CCC333", "sekrit-DDD444", "sekrit-EEE555"]
    with httpx.Client(base_url=base, timeout=30) as http:
        assert http.get(f"/healthz?api_key={secrets[0]}&lang=zh").status_code == 200
        http.post(f"/v1/ask?key={secrets[1]}", json={"question": "博士落户补贴最高多少？"})
        http.get(f"/v1/documents?x=1&API-KEY={secrets[2]}")
        http.get(f"/v1/documents?access_token={secrets[3]}#frag")
        http.get(f"/healthz?token={secrets[4]}&phone=13812345678")
    log = server_log.read_text(encoding="utf-8", errors="replace")
    assert "api_key=[REDACTED]&lang=zh" in log  # the request is logged, its key is not
    assert "GET /healthz?token=[REDACTED]&phone=[PHONE]" in log
    for secret in secrets:
        assert secret not in log


def _assert_answered(prober: Prober) -> None:
    summary = prober.summary()
    assert not summary["failures"], summary
    for name in ("healthz", "ask"):
        assert summary[name]["n"] >= 1, summary
        assert summary[name]["max_ms"] < BOUND * 1000, summary


def test_huge_header_is_refused_at_once(served):
    base, port = served
    with Prober(base) as prober:
        outcome = huge_header(port, megabytes=8)
        prober.probe_once()
    # 431 once 64 KiB are in, or the connection cut while we were still sending the rest.
    assert outcome["status"] in ("431", "reset"), outcome
    assert outcome["seconds"] < BOUND, outcome
    _assert_answered(prober)


def test_slowloris_connections_are_closed_after_the_header_deadline(served):
    base, port = served
    with Prober(base) as prober:
        outcome = slowloris(port, connections=40, interval=0.5, duration=8)
    assert outcome["connected"] == 40, outcome
    assert outcome["still_open"] == 0, outcome  # every trickler ended by the 2 s header deadline
    assert outcome["seconds"] < 6, outcome
    assert set(outcome["ended"]) <= {"408", "reset", "closed"}, outcome
    _assert_answered(prober)


def test_half_open_flood_from_one_address_is_capped(served):
    base, port = served
    with Prober(base) as prober:
        outcome = half_open(port, connections=400, hold=1.5)
    # 50 held at most (the per-address cap); the rest answered 503 and closed at once, not kept.
    assert outcome["outcomes"].get("open", 0) <= 50, outcome
    assert outcome["outcomes"].get("503", 0) + outcome["connect_failed"] >= 300, outcome
    _assert_answered(prober)
    # Once the flood is gone the address may connect again.
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=10) as http:
        assert http.get(f"{base}/healthz").status_code == 200


def test_slow_second_request_on_a_kept_alive_connection_is_cut_off(served):
    import socket
    import time

    _, port = served
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    s.connect(("127.0.0.1", port))
    s.settimeout(10)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    first = b""
    while b"\r\n\r\n" not in first or not first.rstrip().endswith(b"}"):
        first += s.recv(4096)
    assert first.startswith(b"HTTP/1.1 200")
    s.sendall(b"GET /hea")  # the next request starts, then trickles
    start = time.monotonic()
    data = s.recv(4096)
    s.close()
    assert data.startswith(b"HTTP/1.1 408"), data
    assert time.monotonic() - start < 2 + BOUND  # the 2 s header deadline


def test_slow_body_is_cut_off(served):
    base, port = served
    import socket
    import time

    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    s.connect(("127.0.0.1", port))
    s.sendall(b"POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    start = time.monotonic()
    s.settimeout(10)
    try:
        data = s.recv(4096)
    except ConnectionResetError:
        data = b""
    s.close()
    assert time.monotonic() - start < 3 + BOUND  # the 3 s body deadline, not the client's patience
    assert not data.startswith(b"HTTP/1.1 200"), data


needs_nginx = pytest.mark.skipif(nginx_binary() is None, reason="nginx not installed (make system-deps)")


@pytest.fixture(scope="module")
def proxied(served):
    _, upstream = served
    with nginx_in_front(upstream) as front:
        yield front


@needs_nginx
def test_nginx_answers_through_and_streams(proxied):
    base, _ = proxied
    with httpx.Client(base_url=base, timeout=30) as http:
        assert http.get("/healthz").status_code == 200
        r = http.post("/v1/ask", json={"question": "博士落户补贴最高多少？"})
        assert r.status_code == 200 and r.json()["citations"], r.text
        with http.stream("POST", "/v1/chat", json={"question": "博士落户补贴最高多少？", "stream": True}) as s:
            assert s.headers["content-type"].startswith("text/event-stream")
            assert s.headers.get("x-accel-buffering") in (None, "no")
            body = b"".join(s.iter_bytes())
        assert b"event:" in body or b"data:" in body


@needs_nginx
def test_nginx_refuses_huge_header(proxied):
    base, port = proxied
    with Prober(base) as prober:
        outcome = huge_header(port, megabytes=4)
        prober.probe_once()
    assert outcome["status"] in ("400", "494", "431", "reset"), outcome
    assert outcome["seconds"] < BOUND, outcome
    _assert_answered(prober)


@needs_nginx
def test_nginx_slowloris_and_half_open_leave_answers_fast(proxied):
    base, port = proxied
    with Prober(base) as prober:
        flood = half_open(port, connections=1000, hold=2)
        loris = slowloris(port, connections=200, interval=1.0, duration=14)
    assert flood["connect_failed"] == 0, flood  # nginx holds them cheaply, not the app
    assert loris["connected"] == 200, loris
    assert loris["still_open"] == 0, loris  # client_header_timeout 10s ended every one
    _assert_answered(prober)
