"""`opc serve` restarted on a full, then a read-only, data disk (a real 8 MB tmpfs; needs root, skipped where
mount is refused): it starts read-only, serves every document it acknowledged with 201 and answers from them,
refuses document changes with a 507, and says read-only on /healthz and /readyz."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from harness import docfactory as f
from harness.disk import filled, tmpfs_with_index
from harness.servers import free_port, stop_process, wait_until_ready

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ADMIN = {"Authorization": "Bearer ro-admin"}
OPC = str(Path(sys.executable).parent / "opc")  # the code imported is this tree's (PYTHONPATH first)


@pytest.fixture(scope="module")
def tiny_disk(bot, data_dir, tmp_path_factory):  # `bot` builds the session index copied here
    with tmpfs_with_index(tmp_path_factory.mktemp("tiny-disk"), "8m", data_dir / "index") as mount:
        yield mount


@contextlib.contextmanager
def opc_serve(data_dir, **extra):
    port = free_port()
    env = {**os.environ, **extra, "OPC_DATA_DIR": str(data_dir), "OPC_RATE_LIMIT": "", "OPC_RATE_LIMIT_PER_USER": "",
           "OPC_API_KEYS": "ro-admin:admin", "OPC_PARSER_PREWARM": "false"}
    proc = subprocess.Popen([OPC, "serve", "--no-ui", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/readyz", proc, timeout=240, interval=0.5)
        with httpx.Client(base_url=base, headers=ADMIN, timeout=120) as http:
            yield http
    finally:
        stop_process(proc)


def _serves_read_only(http, acknowledged: dict[str, str]) -> None:
    ready = http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "read-only", ready.text
    assert http.get("/healthz").json()["mode"] == "read-only"
    listed = {d["id"] for d in http.get("/v1/documents").json()}
    assert set(acknowledged.values()) <= listed  # everything acknowledged with 201 is served
    zh = acknowledged["zh"]
    answer = http.post("/v1/ask", json={"question": "办公租金补贴每年最高多少钱？", "documents": [zh]})
    assert answer.status_code == 200 and "8万元" in answer.json()["answer"], answer.text
    assert answer.json()["citations"][0]["doc_id"] == zh
    builtin = http.post("/v1/ask", json={"question": "How much is the monthly housing subsidy?"})
    assert builtin.status_code == 200 and builtin.json()["answerable"]
    refused = http.post("/v1/documents", files={"file": ("g.pdf", f.en_guidelines_pdf(), "application/pdf")})
    assert refused.status_code == 507 and refused.json()["error"]["code"] == "storage_full", refused.text
    assert "read-only" in refused.json()["error"]["message"]
    gone = http.delete(f"/v1/documents/{zh}")
    assert gone.status_code == 507
    assert {d["id"] for d in http.get("/v1/documents").json()} == listed  # nothing changed


def test_restart_on_full_then_read_only_disk_serves_what_was_acknowledged(tiny_disk):
    acknowledged = {}
    with opc_serve(tiny_disk) as http:
        assert http.get("/readyz").json()["status"] == "ready"
        zh = http.post("/v1/documents", files={"file": ("南山区措施.pdf", f.zh_policy_pdf(), "application/pdf")})
        assert zh.status_code == 201, zh.text
        acknowledged["zh"] = zh.json()["id"]
        docx = http.post("/v1/documents", files={"file": ("办法.docx", f.docx_bytes(), "application/octet-stream")})
        assert docx.status_code == 201, docx.text
        acknowledged["docx"] = docx.json()["id"]

    with filled(tiny_disk):  # stopped, the disk fills up (logs, another program), and the server starts again
        with opc_serve(tiny_disk) as http:
            _serves_read_only(http, acknowledged)

    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    try:
        with opc_serve(tiny_disk) as http:
            _serves_read_only(http, acknowledged)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=True)

    with opc_serve(tiny_disk) as http:  # room again: a normal start, writes accepted
        assert http.get("/readyz").json()["status"] == "ready"
        assert set(acknowledged.values()) <= {d["id"] for d in http.get("/v1/documents").json()}
