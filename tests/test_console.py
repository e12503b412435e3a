"""The operator's console over HTTP (sign-in, exports), /metrics (scopes, counts, several workers) and the offline
API docs, against real servers on loopback."""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.api import create_app
from assistant.store.answer_log import normalise
from harness.servers import free_port, serve, wait_until_ready

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ROOT = Path(__file__).resolve().parent.parent
ADMIN, ASKER, SCRAPER = "console-admin-key", "console-ask-key", "console-metrics-key"
VISA = "What is the visa policy for foreigners?"


@pytest.fixture(scope="module")
def console_bot(seeded_data_dir):
    # Its own data dir and database: the answer log and feedback it shows are this module's alone.
    return Assistant.load(Settings(data_dir=seeded_data_dir("opc-console"), rate_limit="", rate_limit_per_user=""))


@pytest.fixture(scope="module")
def base(console_bot):
    settings = console_bot.settings.model_copy(update={
        "ui": False, "api_keys": [f"{ADMIN}:admin", f"{ASKER}:ask", f"{SCRAPER}:metrics"]})
    with serve(create_app(settings, console_bot)) as url:
        yield url


def as_key(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_console_needs_an_admin_key_and_signs_in_with_a_strict_cookie(base):
    with httpx.Client(base_url=base, timeout=60) as http:
        page = http.get("/admin/")
        assert page.status_code == 401 and 'name="key"' in page.text and "Library" not in page.text
        assert http.get("/admin/", headers=as_key(ASKER)).status_code == 403
        wrong = http.post("/admin/login", data={"key": "not-a-key"})
        assert wrong.status_code == 401 and "not valid" in wrong.text and "opc_console" not in wrong.headers.get(
            "set-cookie", "")
        assert http.post("/admin/login", data={"key": ASKER}).status_code == 403
        signed = http.post("/admin/login", data={"key": ADMIN})
        assert signed.status_code == 303
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        console = http.get("/admin/")
        assert console.status_code == 200 and "Library" in console.text and "sz-ai-opc-plan" in console.text
        assert console.headers["content-security-policy"] == "frame-ancestors 'none'"  # never framed
        # The cookie stands for the key on /v1 only with the console's header (no cross-site form can send it).
        assert http.post("/v1/documents/batch", data={"urls": "http://127.0.0.1:1/x"}).status_code == 401
        http.post("/admin/logout")
        assert http.get("/admin/").status_code == 401


def test_refusals_and_marked_down_answers_are_grouped_and_exported(base):
    with httpx.Client(base_url=base, timeout=60, headers=as_key(ADMIN)) as http:
        wordings = [VISA, "what is the VISA policy for foreigners ？", "=HYPERLINK(\"http://x\") visa for foreigners"]
        for question in wordings:
            assert http.post("/v1/ask", json={"question": question}).json()["answerable"] is False
        housing = http.post("/v1/ask", json={"question": "住房补贴每月多少钱？"}).json()
        assert http.post("/v1/feedback", json={"answer_id": housing["id"], "useful": False,
                                                "comment": "需要申请流程"}).status_code == 201
        console = http.get("/admin/").text
        assert console.count('class="unanswered"') >= 2
        rows = list(csv.reader(io.StringIO(http.get("/admin/export/unanswered.csv").text.lstrip("\ufeff"))))
        assert rows[0][:2] == ["question", "count"]
        by_key = {normalise(r[0].lstrip("'")): r for r in rows[1:]}
        assert by_key[normalise(VISA)][1] == "2"  # two wordings, one group
        injected = next(r for r in rows[1:] if "HYPERLINK" in r[0])
        assert injected[0].startswith("'=")  # shown as text by spreadsheets, never run as a formula
        down = http.get("/admin/export/marked-down.csv")
        assert down.headers["content-disposition"].startswith("attachment;")
        marked = list(csv.reader(io.StringIO(down.text.lstrip("\ufeff"))))
        assert marked[1][0] == "住房补贴每月多少钱？" and marked[1][1] == "1" and "需要申请流程" in marked[1][-1]
        assert http.get("/admin/export/secrets.csv").status_code == 404
    assert httpx.get(f"{base}/admin/export/unanswered.csv").status_code == 401


def test_metrics_need_the_metrics_scope_and_count_routes_and_refusals(base):
    assert httpx.get(f"{base}/metrics").status_code == 401
    assert httpx.get(f"{base}/metrics", headers=as_key(ASKER)).status_code == 403
    before = scrape(base, SCRAPER)
    httpx.post(f"{base}/v1/ask", json={"question": VISA}, headers=as_key(ASKER), timeout=60)
    httpx.get(f"{base}/v1/documents/nope/unknown", headers=as_key(ASKER))
    after = scrape(base, ADMIN)  # admin keys read the metrics too
    refusals = 'opc_refusals_total{language="en"}'
    assert after[refusals] == before.get(refusals, 0) + 1
    route = 'opc_http_requests_total{method="POST",route="/v1/ask",status="200"}'
    assert after[route] == before.get(route, 0) + 1
    assert after['opc_http_request_duration_seconds_count{method="POST",route="/v1/ask"}'] >= 1
    assert any(k.startswith("opc_http_requests_total") and 'route="other"' in k and 'status="404"' in k
               for k in after)  # unknown paths share one label, never their raw path
    assert after["opc_batch_queue_depth"] == 0


def scrape(base: str, key: str) -> dict[str, float]:
    r = httpx.get(f"{base}/metrics", headers=as_key(key))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    values = {}
    for line in r.text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def test_api_docs_load_nothing_from_outside(base):
    for page, asset in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        html = httpx.get(f"{base}{page}").text
        assert f"/docs-assets/{asset}" in html
        assert not re.findall(r"(?:src|href)=[\"']https?://", html), page
        assert httpx.get(f"{base}/docs-assets/{asset}").status_code == 200


def test_metrics_add_up_every_worker(bot, data_dir, tmp_path):
    """`opc serve --workers 2`: each worker counts in its own files; one scrape adds them all up."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPC_DATA_DIR": str(data_dir), "OPC_RATE_LIMIT": "",
           "OPC_RATE_LIMIT_PER_USER": "", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    proc = subprocess.Popen([sys.executable, "-c", "from assistant.cli import app; app()", "serve", "--no-ui",
                             "--workers", "2", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{url}/readyz", proc, timeout=240, interval=0.5)
        sent = 40
        for _ in range(sent):  # new connections each time: the kernel spreads them over both workers
            assert httpx.get(f"{url}/healthz").status_code == 200
        # More than one process writes metric files (each holds a live gauge from its start) ...
        pids = {p.stem.rsplit("_", 1)[1] for p in (tmp_path / "metrics").glob("gauge_livesum_*.db")}
        assert len(pids) >= 2, pids
        # ... and whichever worker a scrape reaches reports every worker's requests.
        for _ in range(6):
            text = httpx.get(f"{url}/metrics").text
            count = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                        if line.startswith("opc_http_requests_total{") and 'route="/healthz"' in line)
            assert count >= sent
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
