"""`opc serve` as a real process: several workers over one data directory keep conversations whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from harness.servers import free_port, wait_until_ready

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


OPC = str(Path(sys.executable).parent / "opc")


def test_serve_with_two_workers_shares_state(bot, data_dir):
    port = free_port()
    env = {**os.environ, "OPC_DATA_DIR": str(data_dir), "OPC_RATE_LIMIT": "", "OPC_RATE_LIMIT_PER_USER": ""}
    proc = subprocess.Popen([OPC, "serve", "--no-ui", "--workers", "2", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/readyz", proc, timeout=180, interval=0.5)
        questions = ["博士落户补贴最高多少？", "那需要满足什么条件呢？", "住房补贴每月多少钱？", "能领多久？"]
        with httpx.Client(base_url=base, timeout=60) as http:
            session = None  # the server starts the conversation; every worker then knows it and its owner
            for q in questions:
                r = http.post("/v1/chat", json={"question": q, "session_id": session})
                assert r.status_code == 200, r.text
                session = r.json()["session_id"]
            turns = http.get(f"/v1/sessions/{session}").json()["turns"]
            assert [t["question"] for t in turns] == questions
            assert "24" in turns[-1]["answer"]["answer"]  # "how long?" after housing: up to 24 months
            assert http.get("/").status_code in (200, 307)
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    assert f"http://127.0.0.1:{port}/" in output
    assert proc.returncode == 0, output
