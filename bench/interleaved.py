#!/usr/bin/env python3
"""Warm ``ask`` latency of two source trees, measured interleaved (A B A B …) so machine load hits both alike.

Each round runs one subprocess per tree (its own PYTHONPATH and data dir): it loads the assistant, answers every
golden question that is not a follow-up once to warm up, then ``--repeat`` times timed. Prints ONE JSON object:
per tree the p50/p95 over all rounds, and head's p95 as a share of base's.

    python bench/interleaved.py --base /path/to/base/tree --head . [--rounds 2] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys, time, yaml
from pathlib import Path
from assistant.service import Assistant
from assistant.settings import Settings
bot = Assistant.load(Settings(mode="extractive"))
golden = yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8"))
cases = golden["cases"] if isinstance(golden, dict) else golden
qs = [c["question"] for c in cases if c.get("category") != "followup"]
for q in qs:
    bot.ask(q)
times = []
for _ in range(int(sys.argv[2])):
    for q in qs:
        t = time.perf_counter(); bot.ask(q); times.append((time.perf_counter() - t) * 1000)
print(json.dumps(times))
"""


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return round(s[min(len(s) - 1, int(len(s) * p / 100))], 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--head", default=".")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--data", default=".opc-data/interleaved")
    args = ap.parse_args()
    golden = str(Path(args.head, "eval", "golden.yaml").resolve())
    out: dict[str, list[float]] = {"base": [], "head": []}
    for r in range(args.rounds):
        for name in ("base", "head"):
            tree = str(Path(getattr(args, name)).resolve())
            env = {**os.environ, "PYTHONPATH": tree, "OPC_DATA_DIR": str(Path(args.data, name).resolve()),
                   "HF_HUB_OFFLINE": "1"}
            done = subprocess.run([sys.executable, "-c", CHILD, golden, str(args.repeat)], env=env, cwd=tree,
                                  capture_output=True, text=True, check=True)
            times = json.loads(done.stdout.strip().splitlines()[-1])
            out[name] += times
            print(f"round {r + 1} {name}: p95 {pct(times, 95)} ms", file=sys.stderr)
    result = {k: {"n": len(v), "p50_ms": pct(v, 50), "p95_ms": pct(v, 95)} for k, v in out.items()}
    result["head_p95_vs_base"] = round(result["head"]["p95_ms"] / result["base"]["p95_ms"], 3)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
