#!/usr/bin/env python3
"""Sweep the refusal thresholds (min_dense x min_coverage) over the golden questions.

For every combination of ``RetrievalSettings.min_dense`` (0.76..0.86 step 0.01) and
``min_coverage`` (0.30..0.70 step 0.05) this scores the non-follow-up cases of
``eval/golden.yaml``: answerable accuracy, refusal accuracy and figure accuracy. It prints ONE
JSON object on stdout (progress on stderr): every combination, the best one by (answerable
accuracy, then refusal accuracy; ties broken by figure accuracy, then closeness to the defaults),
all combinations tied with it, and the currently configured defaults' scores.

The Assistant is loaded once. Per combination the thresholds are swapped in with
``model_copy(update=...)`` on ``bot.settings.retrieval`` / ``bot.extractive.settings`` (and the
retriever's reference, kept in step). Only the retrieval of each question (query embedding and
hybrid ranking, which read neither threshold) is computed once; sentence scoring, the
answerable decision and the answer text are recomputed per combination by
``bot.extractive.answer``. A check that this path agrees with ``bot.ask`` at the defaults is
reported as ``defaults_match_bot_ask``.

Run from the repository root:

    python -m bench.tune [--data-dir DIR]

Without ``--data-dir`` the index is built in a temporary directory that is removed afterwards.
Nothing here uses the network.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ["RAGAS_DO_NOT_TRACK"] = "true"
ROOT = Path(__file__).resolve().parent.parent

from bench.core import load_cases, log, quality  # noqa: E402  (bench/core.py, beside this file)

DENSE = [round(0.76 + 0.01 * i, 2) for i in range(11)]       # 0.76 .. 0.86
COVERAGE = [round(0.30 + 0.05 * i, 2) for i in range(9)]     # 0.30 .. 0.70
KEYS = ("answerable_accuracy", "refusal_accuracy", "figure_accuracy")


def set_thresholds(bot, base, min_dense: float, min_coverage: float) -> None:
    new = base.model_copy(update={"min_dense": min_dense, "min_coverage": min_coverage})
    bot.settings.retrieval = new
    bot.extractive.settings = new
    bot.retriever.settings = new  # reads only top_k/candidates/rrf_k, kept consistent anyway


def prepare(bot, cases: list[dict]) -> list[tuple]:
    """Per question, what bot.ask computes before any threshold is read."""
    from assistant import InvalidQuestion
    from assistant.understanding.text import detect_language, has_content, validate_question

    out = []
    for c in cases:
        try:
            cleaned = validate_question(c["question"], bot.settings.max_question_chars)
        except InvalidQuestion:
            out.append((None, None, None))
            continue
        lang = detect_language(cleaned)
        retrieval = bot.retriever.search(cleaned, lang) if has_content(cleaned) else None
        out.append((cleaned, lang, retrieval))
    return out


def answer_all(bot, prepared: list[tuple]) -> list:
    answers = []
    for cleaned, lang, retrieval in prepared:
        if cleaned is None:
            answers.append(None)
        elif retrieval is None:
            answers.append(bot.extractive.refusal(cleaned, lang, no_content=True))
        else:
            answers.append(bot.extractive.answer(cleaned, retrieval))
    return answers


def scores(cases: list[dict], answers: list) -> dict:
    q = quality(cases, answers)
    return {k: q[k] for k in KEYS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, help="index location (default: a temp dir, built there)")
    args = ap.parse_args()

    from assistant import Assistant, Settings

    with tempfile.TemporaryDirectory(prefix="opc-tune-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        log(f"loading the assistant from {data_dir} (built if missing) ...")
        bot = Assistant.load(Settings(data_dir=data_dir))
        base = bot.settings.retrieval
        defaults = (base.min_dense, base.min_coverage)
        cases = load_cases()

        log(f"retrieving {len(cases)} non-follow-up golden questions once ...")
        prepared = prepare(bot, cases)
        set_thresholds(bot, base, *defaults)
        default_answers = answer_all(bot, prepared)
        via_ask = [bot.ask(c["question"]).answerable if p[0] else False for c, p in zip(cases, prepared)]
        consistent = via_ask == [bool(a and a.answerable) for a in default_answers]

        started = time.perf_counter()
        grid = []
        for d in DENSE:
            for cov in COVERAGE:
                set_thresholds(bot, base, d, cov)
                grid.append({"min_dense": d, "min_coverage": cov, **scores(cases, answer_all(bot, prepared))})
            log(f"min_dense={d:.2f} done")
        bot.settings.retrieval = bot.extractive.settings = bot.retriever.settings = base
        sweep_s = time.perf_counter() - started

    def rank(g: dict) -> tuple:
        closeness = abs(g["min_dense"] - defaults[0]) / 0.01 + abs(g["min_coverage"] - defaults[1]) / 0.05
        return (g["answerable_accuracy"], g["refusal_accuracy"], g["figure_accuracy"] or 0.0, -closeness)

    best = max(grid, key=rank)
    ties = [(g["min_dense"], g["min_coverage"]) for g in grid
            if (g["answerable_accuracy"], g["refusal_accuracy"]) == (best["answerable_accuracy"], best["refusal_accuracy"])]
    result = {
        "n_cases": len(cases),
        "grid": {"min_dense": DENSE, "min_coverage": COVERAGE, "combinations": len(grid)},
        "defaults": {"min_dense": defaults[0], "min_coverage": defaults[1], **scores(cases, default_answers)},
        "best": best,
        "tied_on_answerable_then_refusal": {"count": len(ties), "min_dense_range": [min(t[0] for t in ties), max(t[0] for t in ties)],
                                            "min_coverage_range": [min(t[1] for t in ties), max(t[1] for t in ties)],
                                            "combinations": ties},
        "defaults_match_bot_ask": consistent,
        "sweep_s": round(sweep_s, 2),
        "results": grid,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
