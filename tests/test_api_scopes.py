"""Key scopes, rotation, conversation ownership and forwarded addresses, over real servers on loopback."""

from __future__ import annotations

import logging
import os
import time

import httpx
import pytest

from assistant import Settings
from assistant.api import create_app
from assistant.errors import ConfigError
from harness import docfactory as f
from harness.servers import serve

ADMIN, ASK = "admin-key-7f3a", "mp-public-key-19c2"
# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


Q = {"question": "住房补贴每月多少钱？"}


def bearer(key: str, user: str | None = None) -> dict:
    return {"Authorization": f"Bearer {key}", **({"X-Client-User-Id": user} if user else {})}


@pytest.fixture(scope="module")
def keys_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("keys") / "keys.txt"
    path.write_text(f"# rotated by the operator\n{ADMIN}:admin\n{ASK}:ask\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scoped(seeded_data_dir, keys_file):
    from assistant import Assistant

    settings = Settings(data_dir=seeded_data_dir("opc-scopes"), ui=False, api_keys_file=keys_file,
                        rate_limit="", rate_limit_per_user="")
    with serve(create_app(settings, Assistant.load(settings))) as base:
        yield base


def test_ask_key_cannot_change_documents(scoped):
    with httpx.Client(base_url=scoped, timeout=60) as http:
        upload = {"file": ("措施.pdf", f.zh_policy_pdf(), "application/pdf")}
        r = http.post("/v1/documents", files=upload, headers=bearer(ASK))
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden" and "admin" in r.text
        assert http.delete("/v1/documents/sz-ai-opc-plan", headers=bearer(ASK)).status_code == 403
        assert http.post("/v1/ask", json=Q, headers=bearer(ASK)).status_code == 200
        added = http.post("/v1/documents", files=upload, headers=bearer(ADMIN))
        assert added.status_code == 201, added.text
        assert http.delete(f"/v1/documents/{added.json()['id']}", headers=bearer(ADMIN)).status_code == 204


def test_conversations_belong_to_key_and_user(scoped):
    with httpx.Client(base_url=scoped, timeout=60) as http:
        mine = http.post("/v1/chat", json={"question": "我的电话13912345678，住房补贴每月多少钱？"},
                         headers=bearer(ASK, "openid-alice")).json()
        sid = mine["session_id"]
        assert sid and len(sid) >= 32
        turns = http.get(f"/v1/sessions/{sid}", headers=bearer(ASK, "openid-alice")).json()["turns"]
        assert "13912345678" not in str(turns) and "[PHONE]" in turns[0]["question"]
        # Another end user of the same (public) key, or no user id: 404 for read, append and delete.
        for other in (bearer(ASK, "openid-mallory"), bearer(ASK), bearer(ADMIN, "openid-alice")):
            assert http.get(f"/v1/sessions/{sid}", headers=other).status_code == 404
            r = http.post("/v1/chat", json={"question": "那需要满足什么条件呢？", "session_id": sid}, headers=other)
            assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        assert http.delete(f"/v1/sessions/{sid}", headers=bearer(ASK, "openid-mallory")).status_code == 404
        assert len(http.get(f"/v1/sessions/{sid}", headers=bearer(ASK, "openid-alice")).json()["turns"]) == 1
        # An admin may delete anyone's conversation (a data-deletion request), not read it.
        assert http.delete(f"/v1/sessions/{sid}", headers=bearer(ADMIN)).status_code == 204
        assert http.get(f"/v1/sessions/{sid}", headers=bearer(ASK, "openid-alice")).status_code == 404


def test_keys_rotate_without_restart(scoped, keys_file):
    new = "rotated-key-55e1"
    with httpx.Client(base_url=scoped, timeout=60) as http:
        assert http.post("/v1/ask", json=Q, headers=bearer(new)).status_code == 401
        keys_file.write_text(f"{ADMIN}:admin\n{new}:ask\n", encoding="utf-8")
        os.utime(keys_file, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))  # a distinct mtime
        assert http.post("/v1/ask", json=Q, headers=bearer(new)).status_code == 200
        assert http.post("/v1/ask", json=Q, headers=bearer(ASK)).status_code == 401  # revoked
        keys_file.write_text("this line is: not a key\n", encoding="utf-8")  # a broken edit keeps the old keys
        os.utime(keys_file, ns=(time.time_ns(), time.time_ns() + 2_000_000_000))
        assert http.post("/v1/ask", json=Q, headers=bearer(new)).status_code == 200


@pytest.mark.parametrize("entries", [["k1:root"], [":admin"], ["k1:"]])
def test_bad_key_entries_are_config_errors(data_dir, bot, entries):
    with pytest.raises(ConfigError, match="Entry 1 of OPC_API_KEYS"):
        create_app(Settings(data_dir=data_dir, ui=False, api_keys=entries), bot)


def test_public_bind_without_keys_refuses_writes_and_warns(seeded_data_dir, caplog):
    from assistant import Assistant

    settings = Settings(data_dir=seeded_data_dir("opc-open"), ui=False, host="0.0.0.0", rate_limit="",
                        rate_limit_per_user="")
    with caplog.at_level(logging.WARNING, logger="assistant.api"):
        app = create_app(settings, Assistant.load(settings))
    assert "NO API KEYS ARE CONFIGURED" in caplog.text
    with serve(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        assert http.post("/v1/ask", json=Q).status_code == 200
        r = http.post("/v1/documents", files={"file": ("a.pdf", f.zh_policy_pdf(), "application/pdf")})
        assert r.status_code == 403


def test_forwarded_for_is_ignored_unless_from_a_trusted_proxy(data_dir, bot):
    settings = Settings(data_dir=data_dir, ui=False, rate_limit="2/minute", rate_limit_per_user="")
    with serve(create_app(settings, bot)) as base, httpx.Client(base_url=base) as http:
        statuses = [http.get("/v1/documents", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                    for i in range(4)]
        assert statuses == [200, 200, 429, 429]  # rotating the header does not escape the per-address limit
    trusted = settings.model_copy(update={"trusted_proxies": ["127.0.0.1"]})
    with serve(create_app(trusted, bot)) as base, httpx.Client(base_url=base) as http:
        statuses = [http.get("/v1/documents", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                    for i in range(4)]
        assert statuses == [200, 200, 200, 200]  # behind the trusted proxy, each client has its own budget


def test_document_urls_to_inside_addresses_are_refused_over_the_api(scoped, doc_server):
    port = doc_server.base.rsplit(":", 1)[1]
    doc_server.redirects["/public-looking.html"] = f"http://127.0.0.1:{port}/policies/nanshan-measures-en.html"
    before = len(doc_server.seen)
    with httpx.Client(base_url=scoped, headers=bearer(ADMIN), timeout=60) as http:
        for url in (f"http://127.0.0.1:{port}/policies/nanshan-measures-en.html", f"http://2130706433:{port}/",
                    f"http://[::ffff:127.0.0.1]:{port}/", "http://169.254.169.254/latest/meta-data/",
                    "http:/etc/passwd", f"http://localhost:{port}/public-looking.html"):
            r = http.post("/v1/documents", data={"url": url})
            assert r.status_code == 422, (url, r.text)
            assert r.json()["error"]["code"] in ("address_not_allowed", "invalid_document_request")
            assert str(port) not in r.text and "passwd" not in r.text
    assert len(doc_server.seen) == before  # the loopback server was never asked
