"""API keys, rate limits and CORS as a mini-program backend needs them, over a real server."""

from __future__ import annotations

import httpx
import pytest

from assistant import Settings
from assistant.api import create_app
from assistant.errors import ConfigError
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


KEYS = ["key-alpha-123", "key-beta-456"]
Q = {"question": "住房补贴每月多少钱？"}


@pytest.fixture(scope="module")
def keyed(data_dir, bot):
    settings = Settings(data_dir=data_dir, ui=False, api_keys=KEYS, rate_limit="6/minute",
                        rate_limit_per_user="2/minute", cors_origins=["https://servicewechat.com"])
    with serve(create_app(settings, bot)) as base:
        yield base


def test_every_v1_call_needs_a_valid_key(keyed):
    with httpx.Client(base_url=keyed) as http:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic a2V5"},
                        {"Authorization": "Bearer key-alpha-12"}):
            r = http.post("/v1/ask", json=Q, headers=headers)
            assert r.status_code == 401, headers
            assert r.json()["error"]["code"] == "unauthorized" and r.headers["www-authenticate"] == "Bearer"
        assert http.get("/v1/documents").status_code == 401
        # Health checks stay open for load balancers.
        assert http.get("/healthz").status_code == 200


def test_limits_per_end_user_then_per_key(keyed):
    auth = {"Authorization": f"Bearer {KEYS[1]}"}
    with httpx.Client(base_url=keyed, headers=auth, timeout=30) as http:
        first = http.get("/v1/documents", headers={"X-Client-User-Id": "openid-a"})
        assert first.status_code == 200
        assert first.headers["x-ratelimit-limit"] == "2" and first.headers["x-ratelimit-remaining"] == "1"
        assert http.get("/v1/documents", headers={"X-Client-User-Id": "openid-a"}).status_code == 200
        third = http.get("/v1/documents", headers={"X-Client-User-Id": "openid-a"})
        assert third.status_code == 429
        assert third.json()["error"]["code"] == "rate_limited" and "end user" in third.json()["error"]["message"]
        assert int(third.headers["retry-after"]) >= 1 and third.headers["x-ratelimit-remaining"] == "0"
        # Another user of the same key still gets through, until the key's own limit (6) is spent.
        statuses = [http.get("/v1/documents", headers={"X-Client-User-Id": f"openid-{i}"}).status_code
                    for i in "bcdef"]
        assert statuses == [200, 200, 200, 429, 429]
    # The other key has its own budget.
    with httpx.Client(base_url=keyed, headers={"Authorization": f"Bearer {KEYS[0]}"}) as http:
        assert http.get("/v1/documents").status_code == 200


def test_bad_user_id_header_is_refused(keyed):
    with httpx.Client(base_url=keyed, headers={"Authorization": f"Bearer {KEYS[0]}"}) as http:
        r = http.get("/v1/documents", headers={"X-Client-User-Id": "a b"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_user_id"


def test_cors_allowlist(keyed):
    with httpx.Client(base_url=keyed) as http:
        preflight = {"Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "authorization,content-type,x-client-user-id"}
        ok = http.options("/v1/chat", headers={"Origin": "https://servicewechat.com", **preflight})
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://servicewechat.com"
        assert "x-client-user-id" in ok.headers["access-control-allow-headers"].lower()
        bad = http.options("/v1/chat", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in bad.headers


def test_unusable_rate_limit_setting_is_a_config_error(data_dir, bot):
    with pytest.raises(ConfigError, match="rate-limit"):
        create_app(Settings(data_dir=data_dir, ui=False, rate_limit="lots"), bot)
