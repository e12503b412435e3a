#!/usr/bin/env python3
"""Grounding-gate overhead per answer, printed as ONE JSON object on stdout.

Every model answer of eval/gate.yaml is checked the way the LLM path checks it (assistant/answering/gate.py
`check` with the claim rules, the gazetteer and the jurisdiction; the sources are the top-k clauses
retrieved for its question, numbered as in the prompt). Retrieval is done once beforehand: only the
gate is timed (time.perf_counter).

- ``cold_ms``: every cache cleared before each answer (sources never seen before: a fresh process);
- ``server_ms``: what a running server pays: the sources (corpus clauses) were bound before, the answer
  text is new (each repeat makes every answer a string the caches have not seen).

Target: p95 <= 20 ms per answer. Run from the repository root:  python -m bench.gate [--repeat N]
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

TARGET_P95_MS = 20.0


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data-dir", default=None)
    args = ap.parse_args()

    import yaml

    from assistant import Assistant, Settings
    from assistant.answering.citations import citation_for
    from assistant.knowledge.claims import clear_caches
    from assistant.answering.gate import check

    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    bot = Assistant.load(settings)
    corpus = bot.corpus
    items = yaml.safe_load((ROOT / "eval" / "gate.yaml").read_text(encoding="utf-8"))
    prepared = []
    for it in items:
        hits = bot.retriever.search(it["question"], it["lang"]).hits
        ids = [h.clause_id for h in hits]
        sources = {i + 1: citation_for(corpus, corpus.clause(c), it["lang"], i + 1) for i, c in enumerate(ids)}
        n = ids.index(it["cite"][0]) + 1 if it["cite"][0] in ids else 1
        jurisdiction = corpus.places.jurisdiction_of(corpus.document(ids[0].split(":", 1)[0]))
        prepared.append((it["answer"].replace("[n]", f"[{n}]"), sources, it["lang"], it["question"], jurisdiction))
    print(f"{len(prepared)} answers prepared", file=sys.stderr)

    def run(clear: bool, salt: int = 0) -> list[float]:
        out = []
        for text, sources, lang, question, jurisdiction in prepared:
            text += " " * salt   # new strings: nothing cached for this answer or question
            question += " " * salt
            if clear:
                clear_caches()
                corpus.places.names_in.cache_clear()
            t = time.perf_counter()
            check(text, True, sources, lang, question=question, rules=corpus.claims, places=corpus.places,
                  jurisdiction=jurisdiction)
            out.append((time.perf_counter() - t) * 1000)
        return out

    cold = [x for _ in range(args.repeat) for x in run(True)]
    run(False)   # the sources, as a server has seen them
    warm = [x for r in range(args.repeat) for x in run(False, salt=r + 1)]
    result = {
        "answers": len(prepared), "repeat": args.repeat,
        "cold_ms": {"p50": pct(cold, 0.5), "p95": pct(cold, 0.95), "max": round(max(cold), 3),
                    "mean": round(statistics.mean(cold), 3)},
        "server_ms": {"p50": pct(warm, 0.5), "p95": pct(warm, 0.95), "max": round(max(warm), 3),
                    "mean": round(statistics.mean(warm), 3)},
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": pct(warm, 0.95) <= TARGET_P95_MS,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
