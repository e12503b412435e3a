"""Rate limits shared through a real Redis by two `opc serve` hosts (separate data directories), and what
happens when Redis dies and comes back: fail open to per-worker counting, then shared again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.api import create_app
from assistant.errors import ConfigError
from harness.redis_server import RedisServer
from harness.servers import free_port, serve, wait_until_ready

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


OPC = str(Path(sys.executable).parent / "opc")
KEYS = {"one": "key-one-9f2c", "two": "key-two-4b7e"}
PER_KEY, PER_USER = 6, 3


def _env(data_dir: Path, redis_url: str, **extra) -> dict:
    return {**os.environ, "OPC_DATA_DIR": str(data_dir), "OPC_API_KEYS": ",".join(f"{k}:ask" for k in KEYS.values()),
            "OPC_RATE_LIMIT": f"{PER_KEY}/minute", "OPC_RATE_LIMIT_PER_USER": f"{PER_USER}/minute",
            "OPC_RATE_LIMIT_STORAGE": redis_url, "OPC_RATE_LIMIT_STORAGE_RETRY": "1", **extra}


@pytest.fixture(scope="module")
def redis_server():
    with RedisServer() as server:
        yield server


@pytest.fixture(scope="module")
def hosts(redis_server, seeded_data_dir):
    """Two hosts, one worker each (so 'per worker' in the fallback is exactly 'per host'), one Redis."""
    procs, urls = [], []
    try:
        for name in ("host-a", "host-b"):
            port = free_port()
            procs.append(subprocess.Popen([OPC, "serve", "--no-ui", "--port", str(port)],
                                          env=_env(seeded_data_dir(name), redis_server.url),
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
            urls.append(f"http://127.0.0.1:{port}")
        for proc, url in zip(procs, urls):
            wait_until_ready(f"{url}/readyz", proc, timeout=180, interval=0.5)
        yield urls
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            proc.communicate(timeout=60)


def _get(url: str, key: str, user: str) -> httpx.Response:
    return httpx.get(f"{url}/v1/documents", timeout=30,
                     headers={"Authorization": f"Bearer {key}", "X-Client-User-Id": user})


def _health(url: str) -> str:
    r = httpx.get(f"{url}/healthz", timeout=30)
    assert r.status_code == 200  # a Redis outage never fails liveness
    return r.json()["rate_limits"]


def _until(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


def test_one_end_user_limit_across_both_hosts(hosts):
    a, b = hosts
    assert _health(a) == _health(b) == "shared (redis)"
    user = "wx-openid-sha256-5d41402abc"
    seen = [_get(url, KEYS["one"], user) for url in (a, b, a)]
    assert [r.status_code for r in seen] == [200, 200, 200]
    # One count: each host sees what the other counted.
    assert [r.headers["X-RateLimit-Remaining"] for r in seen] == ["2", "1", "0"]
    fourth = _get(b, KEYS["one"], user)
    assert fourth.status_code == 429, fourth.text
    assert fourth.json()["error"]["code"] == "rate_limited" and "end user" in fourth.json()["error"]["message"]
    assert int(fourth.headers["Retry-After"]) >= 1
    # Another founder behind the same key is not affected by this one's limit.
    assert _get(a, KEYS["one"], "wx-openid-sha256-7fc56270e7").status_code == 200


def test_one_key_limit_across_both_hosts(hosts):
    a, b = hosts
    codes = [_get((a, b)[n % 2], KEYS["two"], f"founder-{n}").status_code for n in range(PER_KEY)]
    assert codes == [200] * PER_KEY
    over = _get(b if PER_KEY % 2 else a, KEYS["two"], "founder-new")
    assert over.status_code == 429 and "API key" in over.json()["error"]["message"]


def test_redis_down_fails_open_per_host_then_shared_again(hosts, redis_server):
    a, b = hosts
    user = "wx-openid-sha256-1a79a4d60d"
    before = [_get(url, KEYS["one"], user).status_code for url in (a, b) * PER_USER]
    assert before[-1] == 429  # refused by the counts in Redis
    redis_server.kill()
    # Fail open: founders are answered; each host now counts on its own, so abuse protection degrades
    # to the same limit per host instead of vanishing.
    on_a = [_get(a, KEYS["one"], user).status_code for _ in range(PER_USER + 1)]
    assert on_a == [200] * PER_USER + [429]
    assert _health(a).startswith("degraded: redis unreachable since")
    assert "fail open" in _health(a)
    on_b = [_get(b, KEYS["one"], user).status_code for _ in range(PER_USER + 1)]
    assert on_b == [200] * PER_USER + [429]
    assert httpx.get(f"{b}/readyz", timeout=30).status_code == 200  # still ready: fail open by choice

    redis_server.start()  # back (empty: nothing was persisted), the hosts keep running
    _until(lambda: _health(a) == "shared (redis)" and _health(b) == "shared (redis)",
           "the hosts did not go back to Redis")
    again = "wx-openid-sha256-2c9ef5a1b3"
    codes = [_get(url, KEYS["one"], again).status_code for url in (a, b, a, b)]
    assert codes == [200, 200, 200, 429]  # one limit across both hosts again
    assert redis_server.client().keys("LIMITS*")  # and the counts are in Redis


def test_fail_closed_refuses_until_redis_answers(bot, data_dir):
    port = free_port()  # nothing listens there yet
    settings = bot.settings.model_copy(update={
        "ui": False, "rate_limit": "100/minute", "rate_limit_per_user": "", "rate_limit_on_storage_error": "closed",
        "rate_limit_storage": f"redis://127.0.0.1:{port}/0", "rate_limit_storage_retry": 0.5})
    with serve(create_app(settings, bot)) as url:
        r = httpx.post(f"{url}/v1/chat", json={"question": "住房补贴每月多少钱？"}, timeout=30)
        assert r.status_code == 503, r.text
        assert r.json()["error"]["code"] == "rate_limit_unavailable" and r.headers["Retry-After"]
        health = httpx.get(f"{url}/healthz", timeout=30)
        assert health.status_code == 200 and "fail closed" in health.json()["rate_limits"]
        with RedisServer(port=port):
            _until(lambda: httpx.post(f"{url}/v1/ask", json={"question": "住房补贴每月多少钱？"},
                                      timeout=30).status_code == 200, "fail-closed server did not recover")


def test_wrong_password_is_a_config_error(bot):
    with RedisServer(password="s3cret-pass") as server:
        wrong = f"redis://:not-it@127.0.0.1:{server.port}/0"
        with pytest.raises(ConfigError, match="refused the credentials"):
            create_app(bot.settings.model_copy(update={"ui": False, "rate_limit_storage": wrong}), bot)
        right = f"redis://:s3cret-pass@127.0.0.1:{server.port}/0"
        app = create_app(bot.settings.model_copy(update={"ui": False, "rate_limit_storage": right}), bot)
        assert app.state.guard.counters.status() == "shared (redis)"


@pytest.mark.parametrize("uri", ["memcached://127.0.0.1:11211", "redis//127.0.0.1:6379", "127.0.0.1:6379"])
def test_serve_refuses_a_bad_storage_uri_at_start(tmp_path, uri):
    env = {**os.environ, "OPC_DATA_DIR": str(tmp_path / "data"), "OPC_RATE_LIMIT_STORAGE": uri}
    done = subprocess.run([OPC, "serve", "--no-ui", "--port", str(free_port())], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == ConfigError.exit_code, done.stdout + done.stderr
    assert "OPC_RATE_LIMIT_STORAGE must be 'memory://' or a Redis URI" in done.stderr
    assert not (tmp_path / "data" / "index").exists()  # refused before anything was built
