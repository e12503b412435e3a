"""Batch uploads as background jobs (202 + /v1/jobs/{id}) and narrowing answers to documents or issuers,
over a real server behind the API key, with generated notices and the answering going on meanwhile."""

from __future__ import annotations

import time

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.api import create_app
from bench.notices import notice
from harness.servers import serve

from .test_library import MUNICIPAL

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


KEY = {"Authorization": "Bearer lib-key"}


@pytest.fixture(scope="module")
def lib_env(seeded_data_dir):
    settings = Settings(data_dir=seeded_data_dir("opc-api-library"), ui=False, api_keys=["lib-key:admin", "lib-ask-key"], rate_limit="",
                        rate_limit_per_user="", max_document_mb=1, fetch_timeout=1.5, bulk_workers=2)
    bot = Assistant.load(settings)
    with serve(create_app(settings, bot)) as url, httpx.Client(base_url=url, headers=KEY, timeout=120) as http:
        yield http, bot


def _wait(http, job_id: str, timeout: float = 240) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = http.get(f"/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish")


def test_batch_upload_is_a_job_and_answering_goes_on(lib_env):
    http, bot = lib_env
    files = [("files", (n.filename, n.text.encode(), "text/plain")) for n in map(notice, range(12))]
    files.append(("files", ("same-as-first.txt", notice(0).text.encode(), "text/plain")))  # a duplicate
    files.append(("files", ("broken.pdf", b"%PDF-1.7 not really", "application/pdf")))
    files.append(("files", ("住房补贴办法.txt", MUNICIPAL.encode(), "text/plain")))
    started = time.perf_counter()
    resp = http.post("/v1/documents/batch", files=files)
    assert resp.status_code == 202, resp.text
    assert time.perf_counter() - started < 5
    job = resp.json()
    assert job["sources"] == 15 and job["status"] in ("queued", "running")
    # questions are answered while the batch runs
    answer = http.post("/v1/ask", json={"question": "How big is the training power voucher?"})
    assert answer.status_code == 200 and answer.json()["answerable"]
    done = _wait(http, job["id"])
    assert done["status"] == "done", done
    assert (done["added"], done["skipped"], done["failed"]) == (13, 1, 1)
    by_name = {o["source"]: o for o in done["outcomes"]}
    assert by_name["same-as-first.txt"]["status"] == "skipped" and "already in the corpus" in by_name["same-as-first.txt"]["reason"]
    assert by_name["broken.pdf"]["status"] == "failed" and "PDF" in by_name["broken.pdf"]["reason"]
    assert all("batch-" not in o["reason"] for o in done["outcomes"])  # no server paths leak
    assert http.get("/readyz").json()["index"] == done["version"]
    # the new documents answer, the plan's answer is intact, and other issuers' figures are theirs
    municipal = by_name["住房补贴办法.txt"]["doc_id"]
    plain = http.post("/v1/ask", json={"question": "住房补贴每月多少钱？"}).json()
    assert plain["citations"][0]["clause_id"] == "sz-ai-opc-plan:m4" and "1250元" in plain["answer"]
    narrowed = http.post("/v1/ask", json={"question": "住房补贴每月多少钱？", "documents": [municipal]}).json()
    assert [c["doc_id"] for c in narrowed["citations"]] == [municipal] and "1500元" in narrowed["answer"]
    by_issuer = http.post("/v1/chat", json={"question": "住房补贴每月多少钱？", "issuers": ["深圳市人力资源局"]}).json()
    assert by_issuer["citations"][0]["doc_id"] == municipal
    # the same batch again: everything is a duplicate, nothing new is indexed
    again = _wait(http, http.post("/v1/documents/batch", files=files[:3]).json()["id"])
    assert (again["added"], again["skipped"]) == (0, 3)


@pytest.mark.parametrize("body, status", [
    ({"question": "住房补贴每月多少钱？", "documents": ["no-such-document"]}, 404),
    ({"question": "住房补贴每月多少钱？", "issuers": ["火星市住建局"]}, 404),
    ({"question": "住房补贴每月多少钱？", "documents": "sz-ai-opc-plan"}, 422),
    ({"question": "住房补贴每月多少钱？", "documents": ["x" * 500]}, 422),
    ({"question": "住房补贴每月多少钱？", "issuers": ["a"] * 51}, 422),
])
def test_bad_filters_are_clear_errors(lib_env, body, status):
    http, _ = lib_env
    resp = http.post("/v1/ask", json=body)
    assert resp.status_code == status, resp.text
    assert resp.json()["error"]["message"]


def test_bad_batches_are_refused_and_unknown_jobs_are_404(lib_env):
    http, _ = lib_env
    assert http.post("/v1/documents/batch", data={"urls": ""}).status_code == 422
    bad = http.post("/v1/documents/batch", data={"urls": "file:///etc/passwd"})
    assert bad.status_code == 422 and "http://" in bad.json()["error"]["message"]
    assert http.get("/v1/jobs/nope").status_code == 404
    assert httpx.post(f"{http.base_url}/v1/documents/batch", data={"urls": "http://x"}).status_code == 401


def test_batches_and_jobs_need_the_admin_scope(lib_env):
    http, bot = lib_env
    asker = {"Authorization": "Bearer lib-ask-key"}
    before = {d.id for d in bot.corpus.documents}
    refused = httpx.post(f"{http.base_url}/v1/documents/batch", headers=asker, timeout=30,
                         files=[("files", ("n.txt", notice(40).text.encode(), "text/plain"))])
    assert refused.status_code == 403, refused.text
    assert {d.id for d in bot.corpus.documents} == before  # nothing was added
    job = http.post("/v1/documents/batch", files=[("files", ("n.txt", notice(41).text.encode(), "text/plain"))])
    assert job.status_code == 202, job.text
    assert httpx.get(f"{http.base_url}/v1/jobs/{job.json()['id']}", headers=asker).status_code == 403
    assert _wait(http, job.json()["id"])["status"] == "done"
