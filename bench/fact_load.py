#!/usr/bin/env python3
"""Facts of added documents at corpus load: stored at ingestion (``facts.yaml``, only verified again at
load) against extracted at every load (documents added by older code).

Writes N generated notices (``bench/notices.py``, seeded) as document folders the way ingestion does (structure,
facts by rule, ``store.write_version``; no index: this measures the corpus load only), then times
``load_corpus`` over them, cold (first parse in the process) and warm (folders parsed before are cached), with
the facts files and again with the facts files removed.

    python -m bench.fact_load [--n 1000] [--repeat 3]

Prints ONE JSON object on stdout. Nothing here uses the network.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path


def write_library(root: Path, n: int, settings) -> tuple[float, int]:
    """N notice folders with their facts files; (seconds, facts written)."""
    from assistant.ingest import facts as ingest_facts
    from assistant.ingest import store
    from assistant.ingest.extract import extract
    from assistant.ingest.govdoc import clean_blocks, page_meta
    from assistant.ingest.pipeline import prepare
    from assistant.ingest.sources import Source
    from assistant.knowledge.corpus import load_corpus
    from bench.notices import library

    corpus = load_corpus(settings.corpus_dir)
    known, taken = {}, {d.id for d in corpus.documents}
    written = 0
    started = time.perf_counter()
    for note in library(n):
        src = Source(note.text.encode("utf-8"), note.filename)
        extracted = extract(src.data, src.filename)
        extracted.blocks, meta = clean_blocks(extracted.blocks, page_meta(extracted.meta))
        prepared = prepare(src, extracted, meta, root, corpus, lang=None, title=None, translation_of=None,
                           known=known, taken=taken)
        files, reading = ingest_facts.extract(prepared, root, corpus.claims, settings)
        written += len(reading.facts)
        store.write_version(root, prepared.doc_id, prepared.meta, prepared.lang, prepared.rows, prepared.original,
                            prepared.filename, files=files).commit()
        taken.add(prepared.doc_id)
    return time.perf_counter() - started, written


def time_load(roots, repeat: int) -> dict:
    """Cold (fresh caches) and warm load times, and the facts loaded."""
    from assistant.knowledge import claims
    from assistant.knowledge import corpus as corpus_mod

    spent: list[float] = []
    real = corpus_mod.load_facts

    def timed(*args, **kwargs):  # the facts' share of a load (verifying stored files, or extracting)
        t = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t)

    corpus_mod.load_facts = timed
    cold, warm, cold_facts, warm_facts = [], [], [], []
    facts = problems = 0
    for _ in range(repeat):
        corpus_mod._PARSED.clear()
        claims.clear_caches()
        t = time.perf_counter()
        loaded = corpus_mod.load_corpus(*roots)
        cold.append(time.perf_counter() - t)
        cold_facts.append(spent[-1])
        t = time.perf_counter()
        loaded = corpus_mod.load_corpus(*roots)
        warm.append(time.perf_counter() - t)
        warm_facts.append(spent[-1])
        facts, problems = len(loaded.facts), len(loaded.fact_problems)
    corpus_mod.load_facts = real
    return {"cold_s": round(statistics.median(cold), 2), "warm_s": round(statistics.median(warm), 2),
            "cold_facts_s": round(statistics.median(cold_facts), 3),
            "warm_facts_s": round(statistics.median(warm_facts), 3),
            "facts": facts, "fact_problems": problems}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from assistant import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        root = Path(tmp) / "documents"
        write_s, written = write_library(root, args.n, settings)
        stored = time_load((settings.corpus_dir, root), args.repeat)
        for folder in root.iterdir():
            (folder / "facts.yaml").unlink(missing_ok=True)
        at_load = time_load((settings.corpus_dir, root), args.repeat)
    print(json.dumps({"notices": args.n, "write_s": round(write_s, 1), "facts_written": written,
                      "load_with_facts_files": stored, "load_extracting_at_load": at_load,
                      "cpus": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()]}))


if __name__ == "__main__":
    main()
