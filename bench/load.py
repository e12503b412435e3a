#!/usr/bin/env python3
"""Load benchmark of the HTTP API: a bounded run of concurrent clients against ``POST /v1/ask``.

Starts ``opc serve --no-ui --workers W`` on a free loopback port over a fresh data directory (index built
first, outside the timing), waits for ``/readyz``, warms up, then sends ``--requests`` requests from
``--clients`` concurrent connections (asyncio + httpx, in this process), cycling through every golden
question that is not a follow-up (Chinese, Traditional, English; answerable and refused alike), in
extractive mode. Rate limits are turned off for the run. Prints ONE JSON object on stdout:

- ``throughput_rps`` (completed requests / wall time of the timed run), ``latency_ms`` p50/p95/p99/max
  (per request, client side, including queueing), ``errors`` (non-200 or transport failures, by kind),
- ``targets`` / ``meets_targets`` (≥ 100 requests/s, p95 ≤ 300 ms, zero errors) and ``machine``.

    python bench/load.py [--clients 32] [--requests 2000] [--workers 2] [--url http://host:port]

With ``--url`` it loads an already running server instead of starting one. Nothing here uses the network
beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"throughput_rps_min": 100, "p95_ms_max": 300, "errors_max": 0}


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def questions() -> list[str]:
    cases = yaml.safe_load((ROOT / "eval" / "golden.yaml").read_text(encoding="utf-8"))
    return [c["question"] for c in cases if not c.get("turns")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, workers: int, extra_env: dict | None = None,
                 output=subprocess.DEVNULL) -> tuple[subprocess.Popen, str]:
    opc = str(Path(sys.executable).parent / "opc")
    env = {**os.environ, "OPC_DATA_DIR": str(data_dir), "OPC_RATE_LIMIT": "", "OPC_RATE_LIMIT_PER_USER": "",
           "OPC_MODE": "extractive", "RAGAS_DO_NOT_TRACK": "true", "ANONYMIZED_TELEMETRY": "False",
           **(extra_env or {})}
    log("building the index …")
    subprocess.run([opc, "index"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen([opc, "serve", "--no-ui", "--workers", str(workers), "--port", str(port)], env=env,
                            stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("the server did not become ready")
        time.sleep(0.3)


async def run(url: str, pool: list[str], clients: int, total: int) -> dict:
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        async def client() -> None:
            for i in counter:
                started = time.perf_counter()
                try:
                    r = await http.post("/v1/ask", json={"question": pool[i % len(pool)], "mode": "extractive"})
                    if r.status_code != 200:
                        errors[f"http_{r.status_code}"] += 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] += 1
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        wall = time.perf_counter() - started
    arr = np.array(latencies)
    return {"wall_s": round(wall, 2), "throughput_rps": round(total / wall, 1),
            "latency_ms": {q: round(float(np.percentile(arr, int(q[1:]))), 1) for q in ("p50", "p95", "p99")}
            | {"max": round(float(arr.max()), 1)},
            "errors": sum(errors.values()), "errors_by_kind": dict(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", help="Load a running server instead of starting one.")
    args = parser.parse_args()
    pool = questions()
    proc = None
    with tempfile.TemporaryDirectory(prefix="opc-load-") as tmp:
        try:
            if args.url:
                url = args.url.rstrip("/")
            else:
                proc, url = start_server(Path(tmp), args.workers)
            log(f"warming up {url} …")
            asyncio.run(run(url, pool, min(args.clients, 8), min(len(pool), 200)))
            log(f"{args.requests} requests from {args.clients} clients …")
            result = asyncio.run(run(url, pool, args.clients, args.requests))
        finally:
            if proc is not None:
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=60)
    report = {
        "benchmark": "load /v1/ask (extractive)", "clients": args.clients, "requests": args.requests,
        "workers": None if args.url else args.workers, "distinct_questions": len(pool), **result,
        "targets": TARGETS,
        "meets_targets": result["throughput_rps"] >= TARGETS["throughput_rps_min"]
                         and result["latency_ms"]["p95"] <= TARGETS["p95_ms_max"]
                         and result["errors"] <= TARGETS["errors_max"],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
