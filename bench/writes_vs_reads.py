#!/usr/bin/env python3
"""Do writes stall reads? Latency of a cached question while `opc serve` adds a 30-document batch.

Starts `opc serve` (one worker) on a fresh data dir, over SQLite or (``--postgres``) a PostgreSQL it starts
(harness/pg.py: needs the server binaries and root). Asks one question over and over (after a warm-up its query
vector is cached: the answer costs ~the retrieval), first idle, then while a batch of ``--docs`` generated
notices is added through POST /v1/documents/batch, until the job is done. Prints ONE JSON object: idle and
during-batch p50/p95/max in ms, their ratio (target: p95 during ≤ 2× idle), how long the batch took, and how
many questions were asked meanwhile.

    python -m bench.writes_vs_reads [--docs 30] [--postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "住房补贴每月多少钱？"
KEY = {"Authorization": "Bearer bench-admin"}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 1)


def summary(ms: list[float]) -> dict:
    return {"n": len(ms), "p50_ms": pct(ms, 50), "p95_ms": pct(ms, 95), "p99_ms": pct(ms, 99),
            "max_ms": round(max(ms), 1), "mean_ms": round(statistics.mean(ms), 1),
            "over_1s": sum(m > 1000 for m in ms)}


def ask(http: httpx.Client) -> float:
    t = time.perf_counter()
    r = http.post("/v1/ask", json={"question": QUESTION})
    r.raise_for_status()
    return (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=30)
    ap.add_argument("--idle", type=int, default=60, help="questions asked idle")
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()

    from bench.notices import notice
    from harness.servers import free_port, stop_process, wait_until_ready

    tmp = Path(tempfile.mkdtemp(prefix="opc-wvr-"))
    pg = None
    env = {**os.environ, "OPC_DATA_DIR": str(tmp / "data"), "OPC_RATE_LIMIT": "", "OPC_RATE_LIMIT_PER_USER": "",
           "OPC_API_KEYS": "bench-admin:admin", "PYTHONPATH": str(ROOT)}
    if args.postgres:
        from harness.pg import Postgres

        pg = Postgres()
        env["OPC_DATABASE_URL"] = pg.create_database(f"b_{uuid.uuid4().hex[:8]}")
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "opc"), "serve", "--no-ui", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/readyz", proc, timeout=600, interval=0.5)
        with httpx.Client(base_url=base, headers=KEY, timeout=300) as http:
            for _ in range(3):
                ask(http)  # warm-up: the query vector is cached from here on
            idle = [ask(http) for _ in range(args.idle)]
            files = [("files", (n.filename, n.text.encode(), "text/plain"))
                     for n in map(notice, range(500, 500 + args.docs))]
            started = time.perf_counter()
            job = http.post("/v1/documents/batch", files=files).json()
            during: list[float] = []
            while True:
                during.append(ask(http))
                state = http.get(f"/v1/jobs/{job['id']}").json()
                if state["status"] not in ("queued", "running"):
                    break
            batch_s = time.perf_counter() - started
        out = {"database": "postgresql" if pg else "sqlite", "docs": args.docs, "batch_status": state["status"],
               "added": state["added"], "batch_s": round(batch_s, 1), "idle": summary(idle),
               "during_batch": summary(during)}
        out["p95_ratio"] = round(out["during_batch"]["p95_ms"] / max(out["idle"]["p95_ms"], 1e-6), 2)
        out["max_ratio"] = round(out["during_batch"]["max_ms"] / max(out["idle"]["max_ms"], 1e-6), 2)
        out["meets_target"] = out["p95_ratio"] <= 2.0  # and no question waits for the batch: see max_ms
        out["machine"] = {"cpus": os.cpu_count(), "load_1m": round(os.getloadavg()[0], 2)}
        print(json.dumps(out, ensure_ascii=False, indent=1))
    finally:
        stop_process(proc)
        if pg is not None:
            pg.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
