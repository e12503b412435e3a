"""Writing the search index (assistant/library/index.py): a new generation of every document, or a new version
that changes only the documents that differ; each document's entries embedded (added documents' clauses pooled
from their sentences) and its content hashed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.errors import IndexUnavailable
from assistant.knowledge.corpus import Corpus
from assistant.library import vectorstore, versions
from assistant.library.embed import DocumentEmbedder
from assistant.library.segments import Entry, Segment, document_entries
from assistant.settings import Settings
from assistant.types import Document

if TYPE_CHECKING:
    from assistant.library.index import SearchIndex

MAX_SEGMENTS = 8  # added-document segments beyond this are merged into one (no re-embedding)
Progress = Callable[[str, int, int], None]


def base_docs(corpus: Corpus) -> list[Document]:
    return [d for d in corpus.documents if d.authority != "document"]


_HASHES: dict[int, tuple[Document, str]] = {}  # id(document) -> (document, hash): loads reuse unchanged documents


def doc_hash(doc: Document) -> str:
    """What a document contributes to the index: a change (a translation added) means re-indexing it.
    Remembered per document object: every add compares the whole library, whose documents are mostly the
    same objects as at the previous load."""
    held = _HASHES.get(id(doc))
    if held is not None and held[0] is doc:
        return held[1]
    if len(_HASHES) > 50_000:  # bounded: documents of old loads are forgotten eventually
        _HASHES.clear()
    value = hashlib.sha256(json.dumps([(e.key, e.text) for e in document_entries(doc)],
                                      ensure_ascii=False).encode()).hexdigest()[:16]
    _HASHES[id(doc)] = (doc, value)
    return value


def embed_entries(entries: list[Entry], embedder: DocumentEmbedder, report: Progress, cache: dict[str, np.ndarray] | None = None,
           pool: bool = True) -> np.ndarray:
    """Vectors of ``entries``: reused from ``cache`` by text, the rest embedded in batches. With ``pool``
    (added documents) a whole-clause entry is the mean of its sentences' vectors instead of a second pass
    of the model over the clause: that halves the embedding work (e5 reads 512 tokens at most anyway); the
    built-in corpus keeps whole-clause embeddings, so its answers are unchanged."""
    cache = dict(cache or {})
    sentences: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(entries):
        if e.kind == "sentence":
            sentences.setdefault((e.clause_id, e.lang), []).append(i)
    pooled = {i: sentences[(e.clause_id, e.lang)] for i, e in enumerate(entries)
              if pool and e.kind == "clause" and (e.clause_id, e.lang) in sentences}
    missing = list(dict.fromkeys(e.text for i, e in enumerate(entries) if e.text not in cache and i not in pooled))
    done = len(entries) - len(missing)
    report("embedding", done, len(entries))
    batch = 32
    for start in range(0, len(missing), batch):
        chunk = missing[start : start + batch]
        for text, vec in zip(chunk, embedder.embed_documents(chunk)):
            cache[text] = np.asarray(vec, dtype=np.float32)
        report("embedding", min(done + start + batch, len(entries)), len(entries))
    out = np.zeros((len(entries), len(next(iter(cache.values()))) if cache else 1), dtype=np.float32)
    for i, e in enumerate(entries):
        if i in pooled:
            mean = np.mean([cache[entries[j].text] for j in pooled[i]], axis=0)
            out[i] = mean / (np.linalg.norm(mean) or 1.0)
        else:
            out[i] = cache[e.text]
    report("embedding", len(entries), len(entries))
    return out


def build_generation(root: Path, digest: str, corpus: Corpus, embedder: DocumentEmbedder, progress: Progress | None,
                     settings: Settings) -> tuple[Path, versions.Manifest, list[Segment]]:
    """A new generation (its folder, manifest and segments): the built-in documents' segment plus one segment of
    every added document."""
    report = progress or (lambda stage, done, total: None)
    # Unique even for the same corpus twice in one second (add then remove): a name reused within the second
    # collided with the previous build's folder and failed the rename.
    final = root / f"build-{digest[:12]}-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "segments").mkdir(parents=True)
    try:
        hashes = {d.id: doc_hash(d) for d in corpus.documents if d.authority == "document"}
        base_entries = [e for d in base_docs(corpus) for e in document_entries(d)]
        added_entries = [e for d in corpus.documents if d.authority == "document" for e in document_entries(d)]
        name = versions.segment_name
        parts = [Segment.build(name(1), base_entries, embed_entries(base_entries, embedder, report, pool=False))]
        if added_entries:
            parts.append(Segment.build(name(1), added_entries, embed_entries(added_entries, embedder, report)))
        report("keywords", 0, 1)
        for seg in parts:
            seg.save(tmp / "segments")
        # The client is closed before the folder is renamed: a cached connection to a moved SQLite file answered
        # "readonly database" (SQLITE_READONLY_DBMOVED) when a later build reused it.
        with vectorstore.store(settings, tmp) as collection:
            for seg in parts:
                vectorstore.upsert(collection, seg, seg.docs, corpus)
            held = collection.count()
        if held != sum(len(s.entries) for s in parts):
            raise IndexUnavailable(f"the vector store holds {held} entries")
        report("keywords", 1, 1)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        vectorstore.drop(settings, tmp)
        raise
    rows = [(s, versions.segment_row(s, hashes)) for s in parts]
    return final, versions.write_manifest(root, final, 1, digest, rows, embedder), parts


def sync_version(root: Path, index: SearchIndex, corpus: Corpus, embedder: DocumentEmbedder, progress: Progress | None,
                 settings: Settings) -> tuple[versions.Manifest, list[Segment]] | None:
    """Bring ``index`` to ``corpus`` by changing only the documents that differ: a new version's manifest and
    segments if any do, else None."""
    want = {d.id: doc_hash(d) for d in corpus.documents if d.authority == "document"}
    have = index.docs
    gone = {d for d, h in have.items() if want.get(d) != h}
    new = [d for d in corpus.documents if d.authority == "document" and have.get(d.id) != want[d.id]]
    if not gone and not new:
        return None
    report = progress or (lambda stage, done, total: None)
    version = int(index.manifest["version"]) + 1
    folder = index.path / "segments"
    old_rows = {row["id"]: row for row in index.manifest["segments"]}
    kept: list[tuple[Segment, versions.SegmentRow]] = []
    for name, seg in index.segments.items():
        row = old_rows[name]
        if gone & set(row["docs"]):
            rest = seg.without(versions.segment_name(version), gone)
            if rest is None:
                continue
            seg, row = rest, versions.segment_row(rest, want)
            seg.save(folder)
        kept.append((seg, row))
    if new:
        entries = [e for d in new for e in document_entries(d)]
        # a changed document (a translation added) keeps the vectors of the text it already had
        cache = {e.text: s.vectors[i] for s in index.segments.values() for i, e in enumerate(s.entries)
                 if e.doc_id in gone}
        seg = Segment.build(versions.segment_name(version), entries, embed_entries(entries, embedder, report, cache))
        seg.save(folder)
        # embedding is done: the client lock is held briefly
        with vectorstore.store(settings, index.path) as collection:
            vectorstore.upsert(collection, seg, seg.docs, corpus)
        kept.append((seg, versions.segment_row(seg, want)))
    small = [(s, r) for s, r in kept[1:]]
    if len(small) > MAX_SEGMENTS:  # compaction: the added documents' segments become one
        merged = Segment.merge(versions.segment_name(version), [s for s, _ in small])
        merged.save(folder)
        kept = [kept[0], (merged, versions.segment_row(merged, want))]
    manifest = versions.write_manifest(root, index.path, version, index.digest, kept, embedder)
    removed = sorted(gone - set(want))
    if removed:
        with vectorstore.store(settings, index.path) as collection:
            for doc in removed:  # removed documents leave the store once no version names them
                collection.delete(where={"doc_id": doc})
    return manifest, [s for s, _ in kept]
