#!/usr/bin/env python3
"""A city's policy library (issue 16): bulk add, one more document, memory, start, ask latency and the golden
set's accuracy with 0 / 100 / 1,000 / 3,000 generated notices loaded (``bench/notices.py``, seeded).

Each size runs in a data dir of its own, starting from one built-in index built once. Two processes per size,
so that each peak RSS is its own (``ru_maxrss`` of the process and its parser workers):

- loader: ``Assistant.load`` + ``add_documents`` of the whole folder (what ``opc documents add DIR`` does):
  ``add_s``, ``docs_per_s``, ``loader_peak_rss_mb``;
- server: ``start_s`` (``Assistant.load`` of the loaded library), ``index_mb`` on disk, ``ask_ms`` p50/p95 over
  the golden questions (after a warm-up pass), the golden set's ``figure_accuracy`` / ``citation_accuracy`` and
  ``plan_displaced`` (answers to plan questions whose first citation is another document), ``one_more_s``
  (one more notice added through the service), ``rss_mb`` after each of 10 further adds, ``server_peak_rss_mb``.

    python bench/library.py [--sizes 0,100,1000,3000] [--workers 2] [--keep DIR]

Prints ONE JSON object on stdout. Nothing here uses the network.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"bulk_1000_s": 300, "one_more_at_1000_s": 2.0, "peak_rss_at_3000_mb": 1536, "ask_p95_ratio_3000": 1.5}


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return round(s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))], 1)


def _settings(data: Path, workers: int):
    from assistant import Settings

    return Settings(data_dir=data, bulk_workers=workers)


def phase_load(data: Path, src: Path, workers: int) -> dict:
    from assistant import Assistant
    from assistant.ingest.bulk import expand

    bot = Assistant.load(_settings(data, workers))
    sources = expand(str(src)) if src.is_dir() else []
    started = time.perf_counter()
    report = bot.add_documents(sources) if sources else None
    add_s = time.perf_counter() - started
    return {"add_s": round(add_s, 1), "docs_per_s": round(len(sources) / add_s, 1) if sources else None,
            "added": report.count("added") if report else 0, "failed": report.count("failed") if report else 0,
            "loader_peak_rss_mb": _peak_mb()}


def phase_serve(data: Path, n: int, workers: int) -> dict:
    from assistant import Assistant
    from assistant.evaluate.dataset import load_dataset
    from assistant.evaluate.metrics import Scorer
    from assistant.evaluate.run import evaluate
    from bench.notices import notice

    started = time.perf_counter()
    bot = Assistant.load(_settings(data, workers))
    start_s = time.perf_counter() - started
    index_mb = sum(p.stat().st_size for p in (data / "index").rglob("*") if p.is_file()) / 2**20
    cases = load_dataset()
    questions = [c.question for c in cases if not c.turns]
    for q in questions[:20]:  # warm-up
        bot.ask(q)
    latencies = []
    for q in questions:
        t = time.perf_counter()
        bot.ask(q)
        latencies.append((time.perf_counter() - t) * 1000)
    run = evaluate(bot, cases, Scorer())
    plan = {c.id for c in bot.corpus.clauses if c.doc_id == "sz-ai-opc-plan"}
    displaced = sum(1 for r in run.cases if r.expected_answerable and set(r.expected_clauses) <= plan
                    and r.expected_clauses and r.cited and r.cited[0] not in plan)
    tmp = Path(tempfile.mkdtemp())
    one_more = []
    rss = []
    for k in range(11):
        extra = notice(100_000 + n + k)
        path = tmp / extra.filename
        path.write_text(extra.text, encoding="utf-8")
        t = time.perf_counter()
        bot.add_document(str(path))
        one_more.append(time.perf_counter() - t)
        rss.append(_rss_mb())
    shutil.rmtree(tmp, ignore_errors=True)
    summary = run.summary
    return {"start_s": round(start_s, 1), "index_mb": round(index_mb, 1), "entries": len(bot.index.entries),
            "ask_ms": {"p50": _pct(latencies, 50), "p95": _pct(latencies, 95)},
            "figure_accuracy": summary["figure_accuracy"].value if "figure_accuracy" in summary else None,
            "citation_accuracy": summary["citation_accuracy"].value,
            "golden_passed": sum(r.passed for r in run.cases), "golden_cases": len(run.cases),
            "plan_displaced": displaced,
            "one_more_s": round(one_more[0], 2), "further_adds_s_p50": _pct(one_more[1:], 50),
            "rss_mb_after_adds": rss, "server_peak_rss_mb": _peak_mb()}


def _child(args: list[str]) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="0,100,1000,3000")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep")
    ap.add_argument("--phase", choices=["load", "serve", "base"])
    ap.add_argument("--data")
    ap.add_argument("--src")
    ap.add_argument("--n", type=int, default=0)
    a = ap.parse_args()
    if a.phase == "base":
        from assistant import Assistant

        t = time.perf_counter()
        Assistant.load(_settings(Path(a.data), a.workers))
        print(json.dumps({"build_s": round(time.perf_counter() - t, 1)}))
        return
    if a.phase == "load":
        print(json.dumps(phase_load(Path(a.data), Path(a.src), a.workers)))
        return
    if a.phase == "serve":
        print(json.dumps(phase_serve(Path(a.data), a.n, a.workers)))
        return

    from bench.notices import library

    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="opc-library-"))
    work.mkdir(parents=True, exist_ok=True)
    base = work / "base"
    result: dict = {"base": _child(["--phase", "base", "--data", str(base), "--workers", str(a.workers)]), "runs": {}}
    for n in [int(s) for s in a.sizes.split(",")]:
        data, src = work / f"data-{n}", work / f"notices-{n}"
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(base / "index", data / "index", ignore=shutil.ignore_patterns(".lock"))
        src.mkdir(exist_ok=True)
        for item in library(n):
            (src / item.filename).write_text(item.text, encoding="utf-8")
        run = _child(["--phase", "load", "--data", str(data), "--src", str(src), "--workers", str(a.workers)])
        run |= _child(["--phase", "serve", "--data", str(data), "--n", str(n), "--workers", str(a.workers)])
        result["runs"][str(n)] = run
        print(json.dumps({n: run}), file=sys.stderr, flush=True)
    runs = result["runs"]
    checks = {}
    if "1000" in runs:
        checks["bulk_1000_s"] = runs["1000"]["add_s"] <= TARGETS["bulk_1000_s"]
        checks["one_more_at_1000_s"] = runs["1000"]["one_more_s"] <= TARGETS["one_more_at_1000_s"]
        if "0" in runs:
            checks["golden_at_1000_not_lower"] = (
                runs["1000"]["figure_accuracy"] >= runs["0"]["figure_accuracy"]
                and runs["1000"]["citation_accuracy"] >= runs["0"]["citation_accuracy"])
    if "3000" in runs:
        peak = max(runs["3000"]["loader_peak_rss_mb"], runs["3000"]["server_peak_rss_mb"])
        checks["peak_rss_at_3000_mb"] = peak <= TARGETS["peak_rss_at_3000_mb"]
        if "0" in runs:
            checks["ask_p95_ratio_3000"] = runs["3000"]["ask_ms"]["p95"] <= \
                TARGETS["ask_p95_ratio_3000"] * runs["0"]["ask_ms"]["p95"]
    result |= {"targets": TARGETS, "meets_targets": checks,
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "load": os.getloadavg()[0]}}
    print(json.dumps(result, ensure_ascii=False))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
