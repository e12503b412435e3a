"""A batch job survives its server: `opc serve` is killed (SIGKILL) mid-batch and started again, on SQLite and on
PostgreSQL. The job's id still answers, 'interrupted', naming the sources that landed (kept, listed, answered
from) and those that did not; the batch's upload folder is gone; and a ready server lists exactly the documents
the database holds."""

from __future__ import annotations

import os
import subprocess
import time
import uuid

import httpx
import pytest

from assistant import Settings
from assistant.store.database import forget, open_database
from assistant.store.documents import stored_ids
from bench.notices import notice
from harness.pg import postgres  # noqa: F401  (fixture)
from harness.servers import free_port, stop_process, wait_until_ready

from .test_read_only_start import ADMIN, OPC

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


BATCH = 60  # enough sources that a poll sees the batch part-way through even on an idle machine


def _start(data_dir, env_extra: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, **env_extra, "OPC_DATA_DIR": str(data_dir), "OPC_RATE_LIMIT": "",
           "OPC_RATE_LIMIT_PER_USER": "", "OPC_API_KEYS": "ro-admin:admin", "OPC_BULK_WORKERS": "1"}
    proc = subprocess.Popen([OPC, "serve", "--no-ui", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_ready(f"{base}/readyz", proc, timeout=300, interval=0.5)
    return proc, base


def _killed_mid_batch(data_dir, env_extra: dict) -> None:
    proc, base = _start(data_dir, env_extra)
    files = [("files", (n.filename, n.text.encode(), "text/plain")) for n in map(notice, range(100, 100 + BATCH))]
    try:
        with httpx.Client(base_url=base, headers=ADMIN, timeout=120) as http:
            job_id = http.post("/v1/documents/batch", files=files).json()["id"]
            uploads = [p for p in data_dir.glob("batch-*")]
            assert len(uploads) == 1  # the batch's upload folder, while it runs
            deadline = time.time() + 240
            while True:  # some sources landed, not all: kill it there
                job = http.get(f"/v1/jobs/{job_id}").json()
                if job["added"] >= 2 or time.time() > deadline:
                    break
                time.sleep(0.05)
            assert job["status"] == "running" and 2 <= job["added"] < BATCH, job
    finally:
        proc.kill()  # SIGKILL: no handler runs, nothing is cleaned up on the way out
        proc.wait()
    assert uploads[0].exists()  # left behind by the crash

    proc, base = _start(data_dir, env_extra)
    try:
        with httpx.Client(base_url=base, headers=ADMIN, timeout=120) as http:
            job = http.get(f"/v1/jobs/{job_id}")
            assert job.status_code == 200, job.text
            job = job.json()
            assert job["status"] == "interrupted" and job["sources"] == BATCH, job
            landed = [o for o in job["outcomes"] if o["status"] == "added"]
            missed = [o for o in job["outcomes"] if o["status"] == "interrupted"]
            assert len(landed) >= 2 and len(landed) + len(missed) == BATCH == len(job["outcomes"])
            assert {o["source"] for o in job["outcomes"]} == {f[1][0] for f in files}
            assert not uploads[0].exists()  # the crashed batch's uploads are removed at start
            # ready implies answering from (and listing) exactly what the database holds
            settings = Settings(data_dir=data_dir, database_url=env_extra.get("OPC_DATABASE_URL"))
            db = open_database(settings)
            try:
                stored = stored_ids(db)
            finally:
                forget(settings)
            listed = {d["id"] for d in http.get("/v1/documents").json() if d["authority"] == "document"}
            assert listed == stored and {o["doc_id"] for o in landed} <= listed
            doc = landed[0]["doc_id"]
            answer = http.post("/v1/ask", json={"question": notice(100).topic, "documents": [doc]})
            assert answer.status_code == 200, answer.text
            assert {c["doc_id"] for c in answer.json()["citations"]} <= {doc}
    finally:
        stop_process(proc)


def test_job_survives_a_crash_sqlite(seeded_data_dir):
    _killed_mid_batch(seeded_data_dir("opc-job-crash"), {})


def test_job_survives_a_crash_postgres(seeded_data_dir, postgres):  # noqa: F811
    url = postgres.create_database(f"t_{uuid.uuid4().hex[:10]}")
    _killed_mid_batch(seeded_data_dir("opc-job-crash-pg"), {"OPC_DATABASE_URL": url})


if __name__ == "__main__":
    pytest.main([__file__])
