"""The search index: entries of every document with e5 vectors and BM25 keywords, versioned by manifest.

Layout under ``<data_dir>/index``: one ``build-<hash>-<stamp>/`` folder per *generation* (the built-in
corpus and the settings that shape the index: a change to either starts a new one) holding the Chroma
store (one collection; vectors upserted and deleted by document, metadata ``doc_id``), the segments
(``segments.py``: entries, vectors and keyword postings of some documents, each written once) and one
small manifest per version (``v000007.json``: the segments and the documents each holds, with a hash of
their content). ``CURRENT`` names the manifest in use. Adding a document writes its own segment and a new
manifest; removing one rewrites only its segment. Every file is written to a temporary name, fsynced and
renamed in, ``CURRENT`` last, so a crash at any point leaves the previous version answering. Hosts and
workers follow a new version by reading its manifest (``load_version``), never by rebuilding.
The version files live in ``versions.py``, the Chroma store in ``vectorstore.py``.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.errors import IndexUnavailable
from assistant.knowledge.corpus import Corpus
from assistant.library import vectorstore, versions
from assistant.library.builds import Progress, base_docs, build_generation, doc_hash, sync_version
from assistant.library.embed import DocumentEmbedder
from assistant.library.segments import Entry, Keywords, Segment, document_entries
from assistant.library.versions import SCHEMA, current_build, file_lock  # public here too: hosts, ingestion
from assistant.settings import Settings

if TYPE_CHECKING:  # chromadb takes seconds to import: only its types here
    from chromadb.api.types import GetResult

log = logging.getLogger(__name__)


__all__ = ["Entry", "Progress", "SearchIndex", "make_entries", "load_version", "current_build", "file_lock"]


def make_entries(corpus: Corpus) -> list[Entry]:
    return [e for d in corpus.documents for e in document_entries(d)]


def fingerprint(settings: Settings, corpus: Corpus) -> str:
    """The generation: built-in documents and index settings (added documents are segments within it)."""
    payload = {"schema": SCHEMA, "base": [doc_hash(d) for d in base_docs(corpus)], **settings.index_fingerprint()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class SearchIndex:
    """One version of the index: its segments' entries, vectors and keyword statistics, and the Chroma store."""

    def __init__(self, path: Path, manifest: versions.Manifest, segments: list[Segment], settings: Settings) -> None:
        self.path = path  # the generation folder
        self.manifest = manifest
        self.version = manifest["name"]  # "<generation>/v000007.json", as CURRENT names it
        self.digest = manifest["digest"]
        self.segments = {s.name: s for s in segments}
        self.entries = [e for s in segments for e in s.entries]
        dim = next((s.vectors.shape[1] for s in segments if len(s.entries)), 1)
        self.vectors: np.ndarray | None = np.vstack([s.vectors for s in segments]) if self.entries else np.zeros((0, dim), np.float32)
        self.keywords = Keywords(segments)
        # The first segment holds the built-in documents (the plan and its background), with keyword statistics
        # of their own: the built-in clauses rank among themselves as in an empty library, however many notices.
        self.builtin = len(segments[0].entries) if segments else 0
        self.builtin_keywords = Keywords(segments[:1])
        self._rows, self._dense, self._copies = _distinct_rows(segments)
        self.settings = settings
        self.notice: str | None = None  # set when the index had to be (re)built, for front ends to show
        names: dict[str, int] = {}
        self._doc_code = np.asarray([names.setdefault(e.doc_id, len(names)) for e in self.entries], dtype=np.int32)
        self._doc_names = names
        self._sentences: dict[str, list[int]] = {}
        for pos, e in enumerate(self.entries):
            if e.kind == "sentence":
                self._sentences.setdefault(e.clause_id, []).append(pos)

    @property
    def docs(self) -> dict[str, str]:
        """Added documents in this version → their content hash."""
        return {d: h for seg in self.manifest["segments"] for d, h in seg["docs"].items()}

    def mask(self, docs: set[str]) -> np.ndarray:
        """Entries of ``docs`` (for searching within a scope)."""
        codes = [self._doc_names[d] for d in docs if d in self._doc_names]
        return np.isin(self._doc_code, np.asarray(codes, dtype=np.int32))

    def vocabulary(self) -> set[str]:
        return self.keywords.vocab

    def sentence_positions(self, clause_id: str) -> list[int]:
        """Positions of a clause's sentence entries, all languages, in text order."""
        return self._sentences.get(clause_id, [])

    def store_get(self, doc_id: str) -> GetResult:
        """A document's entries as the Chroma store holds them (ids and metadata)."""
        with vectorstore.store(self.settings, self.path, create=False) as collection:
            return collection.get(where={"doc_id": doc_id}, include=["metadatas"])

    def close(self) -> None:
        """Free this version's vectors once nothing reads it (see Assistant.use). No Chroma client is held
        (each store operation opens and closes its own); segments may be shared with the next version, so
        only this version's own stacked copy and keyword statistics go."""
        if self.vectors is None:  # closed already
            return
        self.vectors = None
        del self.keywords, self.builtin_keywords, self._dense  # a read after close fails, as it always did
        _trim_heap()

    def count(self) -> int:
        """Vectors in the Chroma collection (a live round trip, for readiness checks)."""
        with vectorstore.store(self.settings, self.path, create=False) as collection:
            return collection.count()

    # --- search ----------------------------------------------------------------------------
    def similarities(self, query_vec: np.ndarray | list[float]) -> np.ndarray:
        """Cosine of the query with every entry: one matrix product over the distinct vectors (a clause of one
        sentence has its sentence's vector: computed once, copied), the cost that grows with the library."""
        sims = np.empty(len(self.entries), dtype=np.float32)
        if len(sims):
            sims[self._rows] = self._dense @ np.asarray(query_vec, dtype=np.float32)
            sims[self._copies[0]] = sims[self._copies[1]]
        return sims

    def dense(self, query_vec: np.ndarray | list[float], k: int, allowed: np.ndarray | None = None,
              sims: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Entry positions and cosine similarities of the k nearest entries of this version (exact search
        over its own vectors, so every host answers from exactly the version its manifest names). ``sims``:
        the similarities already computed for this query (one pass serves every scope tier)."""
        if not self.entries:
            return []
        if sims is None:
            sims = self.similarities(query_vec)
        if allowed is not None:
            sims = np.where(allowed, sims, -np.inf)
        k = min(k, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top])]
        return [(int(i), float(sims[i])) for i in top if np.isfinite(sims[i])]

    def sparse(self, tokens: list[str], k: int, allowed: np.ndarray | None = None,
               scores: np.ndarray | None = None) -> list[tuple[int, float]]:
        if not tokens or not self.entries:
            return []
        if scores is None:
            scores = self.keywords.scores(tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    # --- open / build ------------------------------------------------------------------------
    @classmethod
    def open_or_build(
        cls, settings: Settings, corpus: Corpus, embedder: DocumentEmbedder, *, rebuild: bool = False, progress: Progress | None = None,
        reuse: SearchIndex | None = None,
    ) -> SearchIndex:
        """The index for ``corpus``: the current version when it matches, else a new version that changes only
        what differs (documents added, removed or changed), else a new generation. ``reuse``: the open index,
        whose loaded segments are shared instead of read again."""
        root = versions.index_root(settings)
        digest = fingerprint(settings, corpus)
        with file_lock(root):
            notice = None
            manifest = None if rebuild else versions.read_manifest(root)
            if not rebuild and manifest is None:
                notice = "No index yet; building it." if not (root / "CURRENT").exists() else \
                    "The index could not be read (its manifest is missing or damaged); rebuilding it."
            if manifest is not None and manifest.get("digest") != digest:
                notice, manifest = "The corpus or index settings changed; rebuilding the index.", None
            if manifest is not None:
                try:
                    current = _open(root, manifest, settings, reuse)
                    # the store opens (a server is reachable) before any change
                    with vectorstore.store(settings, current.path):
                        pass
                    return _synced(root, current, sync_version(root, current, corpus, embedder, progress, settings),
                                   settings)
                except IndexUnavailable:
                    raise
                except Exception as exc:  # any unreadable part means rebuild, never crash
                    notice = f"The index at {manifest['name']} could not be read ({exc.__class__.__name__}: {exc}); " \
                             "rebuilding it."
            if notice:
                log.warning(notice)
            try:
                index = SearchIndex(*build_generation(root, digest, corpus, embedder, progress, settings), settings)
            except Exception as exc:
                # The previous generation (if any) is untouched and still named in CURRENT.
                raise IndexUnavailable(
                    f"Building the index failed ({exc.__class__.__name__}: {exc}). "
                    "Nothing was changed; any previous index is still in use."
                ) from exc
            index.notice = notice or "Index rebuilt."
            versions.prune(root, index.path, index.manifest["name"], settings)
            return index


def load_version(settings: Settings, reuse: SearchIndex | None = None) -> SearchIndex | None:
    """The version ``CURRENT`` names, read only (None when there is none): what a host or worker switches to
    when another one changed the library. Segments already open in ``reuse`` are shared, not read again."""
    root = versions.index_root(settings)
    manifest = versions.read_manifest(root)
    return None if manifest is None else _open(root, manifest, settings, reuse)


def _synced(root: Path, index: SearchIndex, changed: tuple[versions.Manifest, list[Segment]] | None,
            settings: Settings) -> SearchIndex:
    """``index`` itself when nothing changed, else the new version (older ones pruned)."""
    if changed is None:
        return index
    updated = SearchIndex(index.path, *changed, settings)
    versions.prune(root, updated.path, updated.manifest["name"], settings)
    return updated


def _open(root: Path, manifest: versions.Manifest, settings: Settings, reuse: SearchIndex | None) -> SearchIndex:
    path = root / manifest["name"].split("/", 1)[0]
    have = reuse.segments if reuse is not None and reuse.path == path else {}
    segments = [have.get(s["id"]) or Segment.load(path / "segments", s["id"]) for s in manifest["segments"]]
    total = sum(len(s.entries) for s in segments)
    if total != manifest.get("entries"):
        raise IndexUnavailable(f"index holds {total} entries, its manifest says {manifest.get('entries')}")
    return SearchIndex(path, manifest, segments, settings)


def _distinct_rows(segments: list[Segment]) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """(rows searched, their vectors stacked, (copies, originals)) of a version, from each segment's own
    (worked out once per segment: versions share segments)."""
    rows, copies, originals, offset = [], [], [], 0
    for seg in segments:
        keep, copy, orig = seg.distinct()
        rows.append(keep + offset)
        copies.append(copy + offset)
        originals.append(orig + offset)
        offset += len(seg.entries)
    if not segments:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros((0, 1), np.float32), (empty, empty)
    dense = np.concatenate([seg.vectors[seg.distinct()[0]] for seg in segments]) if offset else \
        np.zeros((0, segments[0].vectors.shape[1]), np.float32)
    return np.concatenate(rows), np.ascontiguousarray(dense, dtype=np.float32), \
        (np.concatenate(copies), np.concatenate(originals))


def _trim_heap() -> None:
    """Give freed heap back to the OS (glibc keeps it otherwise, and RSS only ever grows)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
