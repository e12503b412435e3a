"""Uploads cannot take the server down: parsing is queued and sandboxed while answers keep flowing."""

from __future__ import annotations

import concurrent.futures as cf
import time

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.api import create_app
from harness import docfactory as f
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ADMIN = {"Authorization": "Bearer upload-admin"}


@pytest.fixture(scope="module")
def uploads(seeded_data_dir):
    # One document parses at a time, three may wait; parsing a hostile page is cut off after 1.5 s.
    settings = Settings(data_dir=seeded_data_dir("opc-uploads"), ui=False, api_keys=["upload-admin:admin"],
                        rate_limit="", rate_limit_per_user="", upload_concurrency=1, upload_queue=3,
                        parse_timeout=1.5, max_depth=1_000_000, max_document_mb=5)
    bot = Assistant.load(settings)
    with serve(create_app(settings, bot)) as base:
        yield base, bot


def _upload(base: str, i: int) -> httpx.Response:
    # Deep enough that parsing runs into the time limit (the 200,000-deep page never returned).
    page = f.deep_html(60_000).replace(b"Article 1.", f"Article {i}.".encode())
    return httpx.post(f"{base}/v1/documents", headers=ADMIN, timeout=60,
                      files={"file": (f"deep-{i}.html", page, "text/html")})


def test_answers_flow_while_uploads_queue_and_overflow_is_refused(uploads):
    base, bot = uploads
    before = {d.id for d in bot.documents()}
    with cf.ThreadPoolExecutor(8) as pool:
        pending = [pool.submit(_upload, base, i) for i in range(6)]
        time.sleep(0.5)  # the uploads are in: one parsing, the rest queued or refused
        health = httpx.get(f"{base}/healthz", timeout=30)
        ask = httpx.post(f"{base}/v1/ask", headers=ADMIN, json={"question": "住房补贴每月多少钱？"}, timeout=30)
        still_running = sum(not p.done() for p in pending)
        results = [p.result() for p in pending]
    assert health.status_code == 200 and ask.status_code == 200 and "1250元" in ask.json()["answer"]
    assert still_running >= 1  # answered while uploads were still being worked through
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(503) >= 1 and set(statuses) <= {422, 503}, statuses  # overflow → 503 busy
    refused = next(r for r in results if r.status_code == 422).json()["error"]
    assert refused["code"] == "too_complex" and "OPC_PARSE_TIMEOUT" in refused["message"]
    busy = next(r for r in results if r.status_code == 503)
    assert busy.json()["error"]["code"] == "busy" and busy.headers["retry-after"]
    assert {d.id for d in bot.documents()} == before  # nothing half-added


def test_zip_bomb_over_the_api_is_413_and_server_memory_is_untouched(uploads):
    base, _ = uploads
    r = httpx.post(f"{base}/v1/documents", headers=ADMIN, timeout=60,
                   files={"file": ("bomb.docx", f.zip_bomb_docx(1200), "application/octet-stream")})
    assert r.status_code == 413 and "OPC_MAX_UNCOMPRESSED_MB" in r.json()["error"]["message"]
    assert "/" not in r.json()["error"]["message"].replace("OPC_MAX_UNCOMPRESSED_MB", "")  # no server path


def _policy(i: int) -> bytes:
    return f.docx_bytes([("heading", f"坪山区第{i}号人工智能一人公司扶持细则"),
                         ("p", f"第一条 本细则适用于坪山区第{i}批入驻的一人公司。"),
                         ("p", f"第二条 对第{i}批入驻企业给予算力补贴，每家最高{i + 11}万元。")])


def test_parallel_adds_and_removes_while_asking_all_succeed(uploads):
    base, bot = uploads
    before = {d.id for d in bot.documents()}

    def add(i):
        return httpx.post(f"{base}/v1/documents", headers=ADMIN, timeout=300,
                          files={"file": (f"pingshan-{i}.docx", _policy(i), "application/octet-stream")})

    def ask(_):
        return httpx.post(f"{base}/v1/ask", headers=ADMIN, json={"question": "住房补贴每月多少钱？"}, timeout=300)

    with cf.ThreadPoolExecutor(10) as pool:
        adds = [pool.submit(add, i) for i in range(4)]
        asks = [pool.submit(ask, i) for i in range(6)]
        added = [a.result() for a in adds]
        assert all(a.result().status_code == 200 for a in asks)  # no ask saw a half-written corpus
    assert [a.status_code for a in added] == [201] * 4, [a.text for a in added]
    ids = [a.json()["id"] for a in added]
    assert {d.id for d in bot.documents()} == before | set(ids)
    # Every accepted document answers, and can be removed right away.
    for i, doc_id in enumerate(ids):
        answer = httpx.post(f"{base}/v1/ask", headers=ADMIN, timeout=60,
                            json={"question": f"坪山区第{i}批入驻企业算力补贴最高多少？"}).json()
        assert f"{i + 11}万元" in answer["answer"], answer["answer"]
    with cf.ThreadPoolExecutor(4) as pool:
        removed = list(pool.map(lambda d: httpx.delete(f"{base}/v1/documents/{d}", headers=ADMIN, timeout=300), ids))
    assert [r.status_code for r in removed] == [204] * 4
    assert {d.id for d in bot.documents()} == before
