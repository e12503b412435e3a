#!/usr/bin/env python3
"""Warm ``ask`` latency of two source trees, measured interleaved: one worker process per tree (its own
PYTHONPATH and data dir), each warmed up on every question, then asked the whole question set in alternating
rounds, so load on a shared machine falls on both alike. Prints ONE JSON object: per tree n, p50, p95, p99 (ms),
and the ratio of the second tree's p95 to the first's.

    python -m bench.interleaved --tree /path/to/base --data /tmp/base-data --tree . --data /tmp/new-data \\
        [--rounds 3] [--questions eval/golden.yaml] [--extra eval/blind/founder_messages.yaml]

Questions: the golden set's (follow-ups left out) plus, with ``--extra``, a blind set's. Nothing uses the network.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

WORKER = r"""
import json, logging, sys, time
from assistant import Assistant, Settings
logging.getLogger("assistant").setLevel(logging.ERROR)
questions = json.loads(sys.stdin.readline())
bot = Assistant.load(Settings())
for q in questions:
    bot.ask(q, mode="extractive")
print("ready", flush=True)
for line in sys.stdin:
    out = []
    for q in questions:
        t = time.perf_counter()
        bot.ask(q, mode="extractive")
        out.append((time.perf_counter() - t) * 1000)
    print(json.dumps(out), flush=True)
"""


def questions(golden: Path, extra: list[Path]) -> list[str]:
    out = [c["question"] for c in yaml.safe_load(golden.read_text(encoding="utf-8")) if not c.get("turns")]
    for path in extra:
        out += [c["question"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", action="append", required=True, help="source tree (twice)")
    ap.add_argument("--data", action="append", required=True, help="data dir per tree (its index)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--questions", type=Path, default=Path("eval/golden.yaml"))
    ap.add_argument("--extra", type=Path, action="append", default=[])
    args = ap.parse_args()
    if len(args.tree) != 2 or len(args.data) != 2:
        ap.error("give --tree and --data twice")
    qs = questions(args.questions, args.extra)
    workers = []
    for tree, data in zip(args.tree, args.data):
        env = dict(os.environ, PYTHONPATH=str(Path(tree).resolve()), OPC_DATA_DIR=str(data), HF_HUB_OFFLINE="1")
        p = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                             text=True, cwd=tree)
        p.stdin.write(json.dumps(qs) + "\n")
        p.stdin.flush()
        workers.append(p)
    for p in workers:
        assert p.stdout.readline().strip() == "ready"
    times: list[list[float]] = [[], []]
    for r in range(args.rounds):
        for i in ((0, 1) if r % 2 == 0 else (1, 0)):  # alternate who goes first
            workers[i].stdin.write("go\n")
            workers[i].stdin.flush()
            times[i] += json.loads(workers[i].stdout.readline())
        print(f"round {r + 1}/{args.rounds}", file=sys.stderr)
    for p in workers:
        p.stdin.close()
        p.wait()

    from assistant.evaluate.checks import percentile

    result = {tree: {"n": len(t)} | {f"p{q}": round(percentile(t, q), 1) for q in (50, 95, 99)}
              for tree, t in zip(args.tree, times)}
    a, b = (result[t]["p95"] for t in args.tree)
    print(json.dumps({"questions": len(qs), "rounds": args.rounds, "trees": result,
                      "p95_ratio": round(b / a, 3) if a else None}, indent=1))


if __name__ == "__main__":
    main()
