#!/usr/bin/env python3
"""Mini-program benchmark: time to the first streamed words through the sample client.

Serves the API with uvicorn on 127.0.0.1 (offline extractive mode, rate limits off), then runs
``bench/miniprogram.js``: the mini-program's own client (``ui/miniprogram/utils/api.js``, streaming with
``enableChunked``) over a node-http ``wx.request``. Prints ONE JSON object on stdout:

- ``first_delta_ms``: ``ask()`` called to the first ``onDelta`` (the first words a founder would see);
- ``answer_ms``: to the final answer with its sources;

as p50 / p95 over 6 questions (zh, en, zh-Hant, one refused) asked ``--repeat`` times after a warm-up round.
The query-embedding cache is off unless ``--embedder-cache N`` is given, so repeats cost what new questions do.

Run from the repository root: ``python -m bench.miniprogram [--repeat N] [--data-dir DIR]``. Needs node.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parent.parent


def pct(values: list[float], q: int) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--embedder-cache", type=int, default=0,
                        help="query embeddings remembered (default 0: every ask embeds, as a new question does)")
    args = parser.parse_args()
    node = shutil.which("node")
    if not node:
        sys.exit("bench/miniprogram.py needs node")

    from assistant import Assistant, Settings
    from harness.servers import serve, ui_app

    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant.load(Settings(data_dir=args.data_dir or Path(tmp), embedder_cache=args.embedder_cache))
        with serve(ui_app(bot, ui=False)) as url:
            run = subprocess.run([node, str(ROOT / "bench" / "miniprogram.js"), url, str(args.repeat)],
                                 capture_output=True, text=True, timeout=600, check=True)
    raw = json.loads(run.stdout)
    print(json.dumps({
        "client": "ui/miniprogram/utils/api.js (streamed, enableChunked) over node http",
        "mode": "extractive",
        "embedder_cache": args.embedder_cache,
        "asks": len(raw["first_delta_ms"]),
        "first_delta_ms": {"p50": pct(raw["first_delta_ms"], 50), "p95": pct(raw["first_delta_ms"], 95)},
        "answer_ms": {"p50": pct(raw["answer_ms"], 50), "p95": pct(raw["answer_ms"], 95)},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "node": subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()},
    }, indent=2))


if __name__ == "__main__":
    main()
