#!/usr/bin/env python3
"""A city's policy library: bulk add, one more document, memory, start, ask latency and the golden
set's accuracy with 0 / 100 / 1,000 / 3,000 generated notices loaded (``bench/notices.py``, seeded).

Each size runs in a data dir of its own, starting from one built-in index built once. Two processes per size,
so that each peak RSS is its own (``ru_maxrss`` of the process and its parser workers):

- loader: ``Assistant.load`` + ``add_documents`` of the whole folder (what ``opc documents add DIR`` does):
  ``add_s``, ``docs_per_s``, ``loader_peak_rss_mb``;
- server: ``start_s`` (``Assistant.load`` of the loaded library), ``index_mb`` on disk, ``ask_ms`` p50/p95 over
  the golden questions (after a warm-up pass), the golden set's ``figure_accuracy`` / ``citation_accuracy`` and
  ``plan_displaced`` (answers to plan questions whose first citation is another document), ``one_more_s``
  (one more notice added through the service), ``rss_mb`` after each of 10 further adds, ``server_peak_rss_mb``;
- ``interleaved_ask`` (sizes above 0, before the serve phase): the empty and the loaded library in one process,
  each golden question asked of one then the other, twice over: p50/p95 of both and ``p95_ratio`` (the
  ask-latency target: a busy shared machine slows both alike).

    python -m bench.library [--sizes 0,100,1000,3000] [--workers 2] [--keep DIR]

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

TARGETS = {"bulk_1000_s": 300, "one_more_at_1000_s": 2.0, "peak_rss_at_3000_mb": 1536, "ask_p95_ratio_3000": 1.5}


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


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
    from bench.timing import percentile, warm_ask_ms

    started = time.perf_counter()
    bot = Assistant.load(_settings(data, workers))
    start_s = time.perf_counter() - started
    index_mb = sum(p.stat().st_size for p in (data / "index").rglob("*") if p.is_file()) / 2**20
    cases = load_dataset()
    questions = [c.question for c in cases if not c.turns]
    ask_ms = warm_ask_ms(bot, questions, warmup=20, ps=(50, 95))
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
            "ask_ms": ask_ms,
            "figure_accuracy": summary["figure_accuracy"].value if "figure_accuracy" in summary else None,
            "citation_accuracy": summary["citation_accuracy"].value,
            "golden_passed": sum(r.passed for r in run.cases), "golden_cases": len(run.cases),
            "plan_displaced": displaced,
            "one_more_s": round(one_more[0], 2), "further_adds_s_p50": round(percentile(one_more[1:], 50), 2),
            "rss_mb_after_adds": rss, "server_peak_rss_mb": _peak_mb()}


def phase_pair(empty: Path, data: Path, workers: int) -> dict:
    """Ask latency of the empty library and the loaded one in one process, question by question in turn: a
    busy machine slows both alike, so their ratio is the library's own cost."""
    from assistant import Assistant
    from assistant.evaluate.dataset import load_dataset
    from bench.timing import percentile

    bots = [Assistant.load(_settings(empty, workers)), Assistant.load(_settings(data, workers))]
    questions = [c.question for c in load_dataset() if not c.turns]
    times: list[list[float]] = [[], []]
    for q in questions[:20]:  # warm-up
        for bot in bots:
            bot.ask(q)
    for _ in range(2):
        for q in questions:
            for bot, into in zip(bots, times):
                t = time.perf_counter()
                bot.ask(q)
                into.append((time.perf_counter() - t) * 1000)
    p95 = [round(percentile(t, 95), 1) for t in times]
    return {"n": len(times[0]), "empty_ms": {"p50": round(percentile(times[0], 50), 1), "p95": p95[0]},
            "loaded_ms": {"p50": round(percentile(times[1], 50), 1), "p95": p95[1]},
            "p95_ratio": round(p95[1] / p95[0], 2)}


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
    ap.add_argument("--phase", choices=["load", "serve", "base", "pair"])
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
    if a.phase == "pair":
        print(json.dumps(phase_pair(Path(a.src), Path(a.data), a.workers)))
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
        if n:  # before the serve phase adds its further notices
            run["interleaved_ask"] = _child(["--phase", "pair", "--src", str(base), "--data", str(data),
                                             "--workers", str(a.workers)])
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
        checks["ask_p95_ratio_3000"] = runs["3000"]["interleaved_ask"]["p95_ratio"] <= TARGETS["ask_p95_ratio_3000"]
    result |= {"targets": TARGETS, "meets_targets": checks,
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "load": os.getloadavg()[0]}}
    print(json.dumps(result, ensure_ascii=False))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
