#!/usr/bin/env python3
"""Front benchmark: connection-level attacks on loopback while an honest client keeps asking.

Three fronts over one freshly indexed data directory, each with the server's descriptor limit at
``--nofile`` (1024, a common default):

- ``stock``: the same app under uvicorn's defaults (httptools, no header cap, no deadlines, no connection
  cap): how `opc serve` stood before its front limits;
- ``serve``: ``opc serve`` with its OPC_SERVER_* defaults;
- ``nginx``: nginx with the shipped deploy/nginx/opc.conf in front of that ``opc serve``.

Phases, each while a prober on 127.0.0.1 alternates ``GET /healthz`` and ``POST /v1/ask`` (a new connection
each): ``idle``; ``huge_header`` (one request with a ``--header-mb`` MB header, from 127.0.0.2; the
server's CPU seconds spent are measured); ``slowloris`` (``--loris`` connections sending one header byte
every ``--loris-interval`` s for ``--loris-seconds``); ``half_open`` (``--half-open`` connections holding
half a request for ``--hold`` s). Prints ONE JSON object: per front and phase, the prober's latency
(p50/p95/max ms) and failures, and what the attack met.

    python -m bench.front [--header-mb 128] [--loris 1000] [--half-open 1000] [--fronts stock,serve,nginx]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from harness.attacks import (  # noqa: E402
    Prober,
    cpu_seconds,
    half_open,
    huge_header,
    nginx_binary,
    nginx_in_front,
    opc_serve,
    slowloris,
)


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def run_phases(name: str, base: str, port: int, server_pid: int, args) -> dict:
    results = {}

    def phase(label: str, attack) -> None:
        log(f"[{name}] {label} …")
        cpu_before = cpu_seconds(server_pid)
        with Prober(base) as prober:
            outcome = attack()
        results[label] = {"probe": prober.summary(), "attack": outcome,
                          "server_cpu_s": round(cpu_seconds(server_pid) - cpu_before, 2)}
        time.sleep(1)

    phase("idle", lambda: time.sleep(args.idle_seconds) or {})
    phase("huge_header", lambda: huge_header(port, megabytes=args.header_mb))
    phase("slowloris", lambda: slowloris(port, connections=args.loris, interval=args.loris_interval,
                                         duration=args.loris_seconds))
    phase("half_open", lambda: half_open(port, connections=args.half_open, hold=args.hold))
    phase("after", lambda: time.sleep(args.idle_seconds) or {})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fronts", default="stock,serve,nginx")
    parser.add_argument("--nofile", type=int, default=1024, help="The server's file-descriptor limit.")
    parser.add_argument("--idle-seconds", type=float, default=5)
    parser.add_argument("--header-mb", type=float, default=128)
    parser.add_argument("--loris", type=int, default=1000)
    parser.add_argument("--loris-interval", type=float, default=5)
    parser.add_argument("--loris-seconds", type=float, default=20)
    parser.add_argument("--half-open", type=int, default=1000)
    parser.add_argument("--hold", type=float, default=10)
    args = parser.parse_args()
    fronts = [f.strip() for f in args.fronts.split(",") if f.strip()]
    if "nginx" in fronts and not nginx_binary():
        raise SystemExit("nginx is not installed (make system-deps)")

    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # the attacker needs many descriptors itself
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))

    data_dir = Path(tempfile.mkdtemp(prefix="opc-front-"))
    env = {"OPC_TRUSTED_PROXIES": "127.0.0.1"}
    results: dict = {}
    try:
        if "serve" in fronts or "nginx" in fronts:
            log("starting opc serve (builds the index) …")
            with opc_serve(data_dir, env, nofile=args.nofile) as server:
                if "serve" in fronts:
                    results["serve"] = run_phases("serve", server.base, server.port, server.pid, args)
                if "nginx" in fronts:
                    with nginx_in_front(server.port) as (base, port):
                        results["nginx"] = run_phases("nginx", base, port, server.pid, args)
        if "stock" in fronts:
            log("starting the app under stock uvicorn …")
            with opc_serve(data_dir, env, nofile=args.nofile, stock=True) as server:
                results["stock"] = run_phases("stock", server.base, server.port, server.pid, args)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(data_dir)
    print(json.dumps({"fronts": results, "args": vars(args),
                      "machine": {"cpus": os.cpu_count(), "python": platform.python_version()}},
                     ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
