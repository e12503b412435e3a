#!/usr/bin/env python3
"""Grounding-gate overhead per answer, printed as ONE JSON object on stdout.

Every model answer of eval/gate.yaml and the blind sets (eval/blind/gate_answers{,_holdout}.yaml) is checked the way
the LLM path checks it (assistant/answering/gate.py `check` with the claim rules, the gazetteer, the jurisdiction and
the statement check against the cited clauses and their fact records; the sources are the top-k clauses
retrieved for its question, numbered as in the prompt). Retrieval is done once beforehand: only the
gate is timed (time.perf_counter).

- ``cold_ms``: every cache cleared before each answer (sources never seen before: a fresh process);
- ``server_ms``: what a running server pays: the sources (corpus clauses) were analysed before (every cache is
  cleared, then another answer on the same sources is checked), the answer and its statements are new.

Target: p95 <= 10 ms per answer in a running server (server_ms). Run from the repository root:  python -m bench.gate [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent

TARGET_P95_MS = 10.0
# the answer that shows the gate the sources before the timed one (an obligation and a superlative: their checks
# read the clauses' sentences too)
WARM = "必须。最。must. "


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data-dir", default=None)
    args = ap.parse_args()


    import importlib

    from assistant import Assistant, Settings
    from assistant.answering.citations import citation_for
    from assistant.answering.gate import check

    # every cache the gate keeps (looked up by name: this script also measures a tree that lacks some of them)
    def clearer(mod: str, name: str):
        obj = getattr(importlib.import_module(mod), name, None)
        return obj if name == "clear_caches" else getattr(obj, "cache_clear", None)

    clearers = [c for c in (clearer(m, n) for m, n in (
        ("assistant.knowledge.claims", "clear_caches"), ("assistant.answering.support", "clear_caches"),
        ("assistant.answering.gate", "clear_caches"), ("assistant.knowledge.figures", "clear_caches"),
        ("assistant.answering.statements", "spell_out"), ("assistant.answering.statements", "statements")))
        if c is not None]

    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    bot = Assistant.load(settings)
    corpus = bot.corpus
    from assistant.answering.gate import cited_numbers
    from assistant.evaluate.adversarial import _numbered, load_items
    from assistant.understanding.text import detect_language

    items = [it for name in ("gate.yaml", "blind/gate_answers.yaml", "blind/gate_answers_holdout.yaml")
             for it in load_items(ROOT / "eval" / name)]
    by_clause: dict[str, list] = {}
    for f in corpus.facts:
        by_clause.setdefault(f.clause_id, []).append(f)
    prepared = []
    for it in items:
        lang = detect_language(it.question)
        ids = [h.clause_id for h in bot.retriever.search(it.question, lang).hits]
        sources = {i + 1: citation_for(corpus, corpus.clause(c), lang, i + 1) for i, c in enumerate(ids)}
        text = _numbered(it.answer, [ids.index(c) + 1 if c in ids else 1 for c in it.cite])
        facts = [f for n in cited_numbers(text) if n in sources for f in by_clause.get(sources[n].clause_id, ())]
        jurisdiction = corpus.places.jurisdiction_of(corpus.document(ids[0].split(":", 1)[0]))
        prepared.append((text, sources, lang, it.question, jurisdiction, facts))
    print(f"{len(prepared)} answers prepared", file=sys.stderr)

    cpu: list[float] = []   # the gate thread's CPU time of each timed check

    def clear_all() -> None:
        for clear in clearers:
            clear()
        corpus.places.names_in.cache_clear()

    def run(clear: bool, salt: int = 0) -> list[float]:
        """``clear``: nothing seen before. Else every cache is cleared, then the gate checks another answer on the
        same sources (a server has seen the clauses), then this one is timed: none of its statements is cached."""
        out = []
        for text, sources, lang, question, jurisdiction, facts in prepared:
            text += " " * salt
            question += " " * salt
            clear_all()
            if not clear:
                warm = WARM + "".join(f"[{n}]" for n in cited_numbers(text))   # the same cited clauses
                check(warm, True, sources, lang, question="", rules=corpus.claims, places=corpus.places,
                      jurisdiction=jurisdiction, support=corpus.support, facts=facts)
            t, c = time.perf_counter(), time.thread_time()
            check(text, True, sources, lang, question=question, rules=corpus.claims, places=corpus.places,
                  jurisdiction=jurisdiction, support=corpus.support, facts=facts)
            out.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
        return out

    if os.environ.get("GATE_BENCH_SLOWEST"):   # which answers make the tail (a developer's look)
        run(False)
        times = [run(False, salt=r + 1) for r in range(args.repeat)]
        per = sorted(((min(t[i] for t in times), prepared[i][0][:90]) for i in range(len(prepared))), reverse=True)
        for ms, text in per[:15]:
            print(f"{ms:8.2f} ms  {text}", file=sys.stderr)
    cold = [x for _ in range(args.repeat) for x in run(True)]
    cpu.clear()
    warm = [x for r in range(args.repeat) for x in run(False, salt=r + 1)]
    result = {
        "answers": len(prepared), "repeat": args.repeat,
        "cold_ms": {"p50": pct(cold, 0.5), "p95": pct(cold, 0.95), "max": round(max(cold), 3),
                    "mean": round(statistics.mean(cold), 3)},
        "server_ms": {"p50": pct(warm, 0.5), "p95": pct(warm, 0.95), "max": round(max(warm), 3),
                    "mean": round(statistics.mean(warm), 3)},
        # CPU time of the gate's thread: what the load of other processes on the machine does not change
        "server_cpu_ms": {"p50": pct(cpu, 0.5), "p95": pct(cpu, 0.95), "mean": round(statistics.mean(cpu), 3)},
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": pct(warm, 0.95) <= TARGET_P95_MS,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
