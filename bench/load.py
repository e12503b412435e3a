#!/usr/bin/env python3
"""Load benchmark of the HTTP API: a bounded run of concurrent clients against ``POST /v1/ask``.

Starts ``--hosts`` (1) ``opc serve --no-ui --workers W`` processes on free loopback ports, each over a data
directory of its own (the index built once, outside the timing, and copied to the others), with the same
environment (``--env KEY=VALUE`` adds to it, e.g. ``OPC_DATABASE_URL=…`` for hosts sharing a database); waits for
``/readyz``, warms up, then sends ``--requests`` requests from ``--clients`` concurrent connections (asyncio +
aiohttp, in this process), client *i* on host *i mod N* (round robin), cycling through every golden question that
is not a follow-up (Chinese, Traditional, English; answerable and refused alike), in extractive mode. Rate limits
are turned off for the run. Prints ONE JSON object on stdout:

- ``throughput_rps`` (completed requests / wall time of the timed run), ``latency_ms`` p50/p95/p99/max
  (per request, client side, including queueing), ``errors`` (non-200 or transport failures, by kind),
  ``per_host`` (requests answered by each),
- ``targets`` / ``meets_targets`` (≥ 150 requests/s, p95 ≤ 300 ms, zero errors), ``machine`` (with the
  1-minute load average before the run: other jobs on a shared machine skew every figure).

    python -m bench.load [--clients 32] [--requests 2000] [--workers 2] [--hosts 1] [--env KEY=VALUE ...]
    python -m bench.load --url http://host-a:8000 --url http://host-b:8000     # servers already running

Nothing here uses the network beyond 127.0.0.1 (unless ``--url`` points elsewhere).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp
import httpx
import numpy as np
import yaml

from harness.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"throughput_rps_min": 150, "p95_ms_max": 300, "errors_max": 0}


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def questions() -> list[str]:
    cases = yaml.safe_load((ROOT / "eval" / "golden.yaml").read_text(encoding="utf-8"))
    return [c["question"] for c in cases if not c.get("turns")]


def server_env(data_dir: Path, extra_env: dict | None = None) -> dict:
    return {**os.environ, "OPC_DATA_DIR": str(data_dir), "OPC_RATE_LIMIT": "", "OPC_RATE_LIMIT_PER_USER": "",
            "OPC_MODE": "extractive", "RAGAS_DO_NOT_TRACK": "true", "ANONYMIZED_TELEMETRY": "False",
            **(extra_env or {})}


def start_server(data_dir: Path, workers: int, extra_env: dict | None = None, output=subprocess.DEVNULL,
                 build: bool = True) -> tuple[subprocess.Popen, str]:
    opc = str(Path(sys.executable).parent / "opc")
    env = server_env(data_dir, extra_env)
    if build:
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


def start_hosts(root: Path, hosts: int, workers: int, extra_env: dict) -> list[tuple[subprocess.Popen, str]]:
    """``hosts`` servers, each over its own data directory; the first builds the index, the others start
    from a copy of it (as a host whose cache was restored would)."""
    started = [start_server(root / "host-1", workers, extra_env)]
    for n in range(2, hosts + 1):
        shutil.copytree(root / "host-1" / "index", root / f"host-{n}" / "index",
                        ignore=shutil.ignore_patterns(".lock"))
        started.append(start_server(root / f"host-{n}", workers, extra_env, build=False))
    return started


async def run(urls: list[str], pool: list[str], clients: int, total: int, seconds: float | None = None) -> dict:
    """``total`` requests (or as many as ``seconds`` allow) from ``clients`` connections, round robin over
    ``urls``. The client is aiohttp (on uvloop when available): it shares the machine with the server, so it
    must cost little CPU per request (httpx cost about 3 ms, as much as the server's answer)."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    per_host: Counter[str] = Counter()
    counter = iter(range(total))
    stop = None if seconds is None else time.perf_counter() + seconds
    bodies = [json.dumps({"question": q, "mode": "extractive"}).encode() for q in pool]
    headers = {"Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=clients, limit_per_host=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as http:
        async def client(url: str) -> None:
            for i in counter:
                if stop is not None and time.perf_counter() > stop:
                    return
                started = time.perf_counter()
                try:
                    async with http.post(f"{url}/v1/ask", data=bodies[i % len(pool)], headers=headers) as r:
                        await r.read()
                        if r.status != 200:
                            errors[f"http_{r.status}"] += 1
                except (TimeoutError, aiohttp.ClientError) as exc:
                    errors[type(exc).__name__] += 1
                latencies.append((time.perf_counter() - started) * 1000)
                per_host[url] += 1

        started = time.perf_counter()
        await asyncio.gather(*(client(urls[n % len(urls)]) for n in range(clients)))
        wall = time.perf_counter() - started
    arr = np.array(latencies)
    return {"requests": len(latencies), "wall_s": round(wall, 2), "throughput_rps": round(len(latencies) / wall, 1),
            "latency_ms": {q: round(float(np.percentile(arr, int(q[1:]))), 1) for q in ("p50", "p95", "p99")}
            | {"max": round(float(arr.max()), 1)},
            "errors": sum(errors.values()), "errors_by_kind": dict(errors), "per_host": dict(per_host)}


def arun(coro):
    """Run the client on uvloop when it is installed (uvicorn[standard] brings it): a cheaper event loop."""
    try:
        import uvloop

        return uvloop.run(coro)
    except ImportError:
        return asyncio.run(coro)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (uvicorn's workers), from Linux /proc."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = [], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def env_pairs(pairs: list[str]) -> dict[str, str]:
    env = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"--env takes KEY=VALUE, not {pair!r}")
        env[key] = value
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2, help="Worker processes per host.")
    parser.add_argument("--hosts", type=int, default=1, help="Servers to start, each with its own data directory.")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="Extra environment for the servers started (repeatable).")
    parser.add_argument("--url", action="append", default=[], help="Load running servers instead (repeatable).")
    args = parser.parse_args()
    pool = questions()
    procs: list[subprocess.Popen] = []
    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="opc-load-") as tmp:
        try:
            if args.url:
                urls = [url.rstrip("/") for url in args.url]
            else:
                started = start_hosts(Path(tmp), args.hosts, args.workers, env_pairs(args.env))
                procs, urls = [p for p, _ in started], [u for _, u in started]
            for url in urls:  # every host gets the same warm-up a single host gets
                log(f"warming up {url} …")
                arun(run([url], pool, min(args.clients, 8), min(len(pool), 200)))
            log(f"{args.requests} requests from {args.clients} clients …")
            cpu_before = [cpu_seconds(p.pid) for p in procs], time.process_time()
            result = arun(run(urls, pool, args.clients, args.requests))
            # CPU per request, server (every worker) and this client: on a shared machine, the part of the
            # cores the run actually got tells a slow server from a busy machine.
            if procs:
                server = sum(cpu_seconds(p.pid) for p in procs) - sum(cpu_before[0])
                result["server_cpu_ms_per_request"] = round(server * 1000 / result["requests"], 2)
            result["client_cpu_ms_per_request"] = round((time.process_time() - cpu_before[1]) * 1000
                                                        / result["requests"], 2)
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGINT)
            for proc in procs:
                proc.wait(timeout=60)
    report = {
        "benchmark": "load /v1/ask (extractive)", "clients": args.clients, "requests": args.requests,
        "hosts": len(urls), "workers_per_host": None if args.url else args.workers,
        "env": sorted(env_pairs(args.env)), "distinct_questions": len(pool), **result,
        "targets": TARGETS,
        "meets_targets": result["throughput_rps"] >= TARGETS["throughput_rps_min"]
                         and result["latency_ms"]["p95"] <= TARGETS["p95_ms_max"]
                         and result["errors"] <= TARGETS["errors_max"],
        "machine": {"cpus": os.cpu_count(), "load_avg_1m_before": load_before, "python": platform.python_version(),
                    "platform": platform.platform()},
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
