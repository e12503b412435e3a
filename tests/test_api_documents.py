"""POST / DELETE /v1/documents over a real server, behind the API key; other workers follow the change."""

from __future__ import annotations

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.api import create_app
from harness import docfactory as f
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


KEY = {"Authorization": "Bearer doc-key"}


@pytest.fixture(scope="module")
def docs_env(seeded_data_dir):
    settings = Settings(data_dir=seeded_data_dir("opc-api-docs"), ui=False, api_keys=["doc-key:admin", "ask-key"], rate_limit="", rate_limit_per_user="",
                        max_document_mb=1, fetch_timeout=1.5, fetch_allow=["127.0.0.1/32"])
    worker = Assistant.load(settings)
    other_worker = Assistant.load(settings)
    with serve(create_app(settings, worker)) as url, httpx.Client(base_url=url, headers=KEY, timeout=120) as http:
        yield http, worker, other_worker


def test_add_a_chinese_pdf_and_its_english_page_then_ask_and_remove(docs_env, doc_server):
    http, bot, other_worker = docs_env
    assert httpx.post(f"{http.base_url}/v1/documents", files={"file": ("a.pdf", f.zh_policy_pdf())}).status_code == 401
    zh = http.post("/v1/documents", files={"file": ("南山区措施.pdf", f.zh_policy_pdf(), "application/pdf")})
    assert zh.status_code == 201, zh.text
    doc_id = zh.json()["id"]
    en = http.post("/v1/documents", data={"url": doc_server.url("/policies/nanshan-measures-en.html"),
                                          "translation_of": doc_id})
    assert en.status_code == 201, en.text
    assert en.json()["languages"] == ["en", "zh"]
    assert doc_id in [d["id"] for d in http.get("/v1/documents").json()]

    answer = http.post("/v1/ask", json={"question": "办公租金补贴每年最高多少钱？"}).json()
    top = answer["citations"][0]
    assert "8万元" in answer["answer"] and (top["doc_id"], top["label"], top["page"]) == (doc_id, "第三条", 1)
    answer_en = http.post("/v1/ask", json={"question": "What is the maximum office rent subsidy per year?"}).json()
    assert answer_en["citations"][0]["doc_id"] == doc_id and "80,000 yuan" in answer_en["answer"]

    # Another worker over the same data directory follows the change before its next request.
    assert other_worker.refresh() is True and other_worker.refresh() is False
    assert other_worker.ask("办公租金补贴每年最高多少钱？").citations[0].doc_id == doc_id

    again = http.post("/v1/documents", files={"file": ("copy.pdf", f.zh_policy_pdf(), "application/pdf")})
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"

    assert http.delete(f"/v1/documents/{doc_id}").status_code == 204
    assert doc_id not in [d["id"] for d in http.get("/v1/documents").json()]
    assert http.delete(f"/v1/documents/{doc_id}").json()["error"]["code"] == "not_found"
    built_in = http.delete("/v1/documents/sz-ai-opc-plan")
    assert built_in.status_code == 403 and built_in.json()["error"]["code"] == "protected_document"
    assert other_worker.refresh() is True
    assert doc_id not in [d.id for d in other_worker.documents()]


@pytest.mark.parametrize("kwargs, status, code", [
    ({"files": {"file": ("locked.pdf", f.encrypted_pdf_bytes(), "application/pdf")}}, 422, "encrypted"),
    ({"files": {"file": ("scan.pdf", f.scanned_pdf_bytes(), "application/pdf")}}, 422, "no_text"),
    ({"files": {"file": ("broken.pdf", f.corrupt_pdf_bytes(), "application/pdf")}}, 422, "corrupt"),
    ({"files": {"file": ("tool.exe", b"MZ\x90\x00" + bytes(200), "application/octet-stream")}}, 415,
     "unsupported_type"),
    ({"files": {"file": ("big.txt", "政策".encode() * 400_000, "text/plain")}}, 413, "payload_too_large"),
    ({"data": {"url": "file:///etc/passwd"}}, 422, "invalid_document_request"),
    ({"data": {"title": "nothing"}}, 422, "invalid_document_request"),
])
def test_bad_documents_change_nothing(docs_env, kwargs, status, code):
    http, bot, _ = docs_env
    before = [d.id for d in bot.documents()], bot.index.path
    r = http.post("/v1/documents", **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]
    assert ([d.id for d in bot.documents()], bot.index.path) == before
    assert "1250" in http.post("/v1/ask", json={"question": "住房补贴每月多少钱？"}).json()["answer"]
