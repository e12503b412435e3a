"""The search index: Chroma (dense, e5) beside bm25s (keywords), built atomically.

Layout under ``<data_dir>/index``: one ``build-<hash>-<stamp>/`` folder per build and a
``CURRENT`` file naming the one in use. A build is written to a temporary folder and only
named in ``CURRENT`` (an atomic rename) once complete, so a crash mid-build never leaves a
half-written index in use. The hash covers the corpus and the settings that shape the
index, so a change to either triggers a rebuild.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from .corpus import Corpus
from .errors import IndexUnavailable
from .settings import Settings
from .text import split_sentences, tokenize

log = logging.getLogger(__name__)

SCHEMA = 3  # bump when the entry layout or tokenisation changes
COLLECTION = "opc_entries"
Progress = Callable[[str, int, int], None]
_CLIENTS = threading.Lock()  # opening and closing embedded Chroma clients, one at a time


@dataclass
class Entry:
    """One searchable unit: a whole clause or one sentence of it, in one language."""

    clause_id: str
    lang: str
    kind: str  # "clause" | "sentence"
    sent: int  # sentence number within the clause text, -1 for the whole clause
    text: str

    @property
    def key(self) -> str:
        return f"{self.clause_id}|{self.lang}|{self.sent}"


def make_entries(corpus: Corpus) -> list[Entry]:
    entries: list[Entry] = []
    for clause in corpus.clauses:
        for lang, text in clause.text.items():
            head = " ".join(x for x in (clause.label.get(lang, ""), clause.title.get(lang, "")) if x)
            entries.append(Entry(clause.id, lang, "clause", -1, f"{head}\n{text}".strip()))
            for i, sentence in enumerate(split_sentences(text)):
                entries.append(Entry(clause.id, lang, "sentence", i, sentence))
    return entries


def fingerprint(settings: Settings, corpus: Corpus) -> str:
    payload = {"schema": SCHEMA, "corpus": corpus.digest, **settings.index_fingerprint()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _chroma_client(settings: Settings, build: Path):
    """The embedded on-disk store inside the build folder, or the Chroma server named by OPC_CHROMA_URL."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma = ChromaSettings(anonymized_telemetry=False)
    if not settings.chroma_url:
        # chromadb's per-path system cache is not thread-safe: a request refreshing onto a new build while the
        # writer opens the same build (or a replaced one is closed) lost the cache entry (KeyError, 500).
        with _CLIENTS:
            return chromadb.PersistentClient(path=str(build / "chroma"), settings=chroma)
    url = urlsplit(settings.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise IndexUnavailable(f"OPC_CHROMA_URL must look like http://host:port, not {settings.chroma_url!r}.")
    try:
        return chromadb.HttpClient(host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                                   ssl=url.scheme == "https", settings=chroma)
    except Exception as exc:
        raise IndexUnavailable(f"Cannot reach the Chroma server at {settings.chroma_url} ({exc}).") from None


def _collection_name(settings: Settings, build: Path) -> str:
    # On a shared server every build gets its own collection, so a new build never disturbs the one in use.
    return f"opc-{build.name.removesuffix('.tmp')}" if settings.chroma_url else COLLECTION


class SearchIndex:
    """An opened index: entries, their vectors, the bm25 model and the Chroma store."""

    def __init__(self, path: Path, digest: str, entries: list[Entry], vectors: np.ndarray, bm25, store) -> None:
        self.path = path
        self.digest = digest
        self.entries = entries
        self.vectors = vectors
        self.bm25 = bm25
        self.store = store
        self.notice: str | None = None  # set when the index had to be (re)built, for front ends to show
        self._pos = {e.key: pos for pos, e in enumerate(entries)}  # Chroma id → entry position
        self._sentences: dict[str, list[int]] = {}
        for pos, e in enumerate(entries):
            if e.kind == "sentence":
                self._sentences.setdefault(e.clause_id, []).append(pos)

    def vector_cache(self) -> dict[str, np.ndarray]:
        """Vectors by entry text, so a rebuild after adding a document embeds only what is new."""
        return {e.text: self.vectors[i] for i, e in enumerate(self.entries)}

    def sentence_positions(self, clause_id: str) -> list[int]:
        """Positions of a clause's sentence entries, all languages, in text order."""
        return self._sentences.get(clause_id, [])

    def close(self) -> None:
        """Release the Chroma client (and the memory of its cached system) once nothing reads this build."""
        _close_client(getattr(self.store, "_client", None))
        self.vectors = self.bm25 = None  # in-flight readers are long gone (see Assistant.use)
        _trim_heap()

    def count(self) -> int:
        """Vectors in the Chroma collection (a live round trip, for readiness checks)."""
        return self.store._collection.count()

    # --- search ----------------------------------------------------------------------------
    def dense(self, query_vec: list[float], k: int) -> list[tuple[int, float]]:
        """Entry positions and cosine similarities of the k nearest entries."""
        hits = self.store.similarity_search_by_vector_with_relevance_scores(query_vec, k=min(k, len(self.entries)))
        return [(self._pos[doc.id], 1.0 - float(dist)) for doc, dist in hits]

    def sparse(self, tokens: list[str], k: int) -> list[tuple[int, float]]:
        if not tokens:
            return []
        scores = self.bm25.get_scores(tokens)
        top = np.argsort(-scores)[:k]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    # --- open / build ------------------------------------------------------------------------
    @classmethod
    def open_or_build(
        cls, settings: Settings, corpus: Corpus, embedder, *, rebuild: bool = False, progress: Progress | None = None,
        reuse: "SearchIndex | None" = None,
    ) -> "SearchIndex":
        """``reuse``: an open index built with the same settings whose vectors may be reused by text."""
        root = Path(settings.data_dir) / "index"
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexUnavailable(f"Cannot create the index folder {root}: {exc.strerror}.") from None
        digest = fingerprint(settings, corpus)
        notice = None
        if not rebuild:
            current = _read_current(root)
            if current is None:
                notice = "No index yet; building it."
            else:
                try:
                    index = cls._open(current, digest, embedder, settings)
                    if index is not None:
                        return index
                    notice = "The corpus or index settings changed; rebuilding the index."
                except Exception as exc:  # any unreadable part means rebuild, never crash
                    notice = f"The index at {current} could not be read ({exc.__class__.__name__}: {exc}); rebuilding it."
        with file_lock(root):
            # Another process may have finished the same build while we waited for the lock.
            current = _read_current(root)
            if current is not None and not rebuild:
                try:
                    index = cls._open(current, digest, embedder, settings)
                    if index is not None:
                        return index
                except Exception:
                    pass
            if notice:
                log.warning(notice)
            try:
                path = _build(root, digest, corpus, embedder, progress, settings, reuse)
            except Exception as exc:
                # The previous build (if any) is untouched and still named in CURRENT.
                raise IndexUnavailable(
                    f"Building the index failed ({exc.__class__.__name__}: {exc}). "
                    "Nothing was changed; any previous index is still in use."
                ) from exc
            index = cls._open(path, digest, embedder, settings)
            if index is None:  # pragma: no cover - a just-built index always matches its digest
                raise IndexUnavailable("The freshly built index does not match its own manifest.")
            index.notice = notice or "Index rebuilt."
            _prune(root, keep={path.name}, settings=settings)
            return index

    @classmethod
    def _open(cls, path: Path, digest: str, embedder, settings: Settings) -> "SearchIndex | None":
        import bm25s
        from langchain_chroma import Chroma

        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("digest") != digest:
            return None
        entries = [Entry(**e) for e in json.loads((path / "entries.json").read_text(encoding="utf-8"))]
        bm25 = bm25s.BM25.load(str(path / "bm25"))
        store = Chroma(collection_name=_collection_name(settings, path), client=_chroma_client(settings, path),
                       embedding_function=embedder, create_collection_if_not_exists=False)
        got = store.get(include=["embeddings"])
        if len(got["ids"]) != len(entries) or manifest.get("entries") != len(entries):
            raise IndexUnavailable(f"index holds {len(got['ids'])} vectors for {len(entries)} entries")
        positions = {e.key: pos for pos, e in enumerate(entries)}
        if set(got["ids"]) != set(positions):
            raise IndexUnavailable("index vectors do not match its entries")
        vectors = np.zeros((len(entries), len(got["embeddings"][0])), dtype=np.float32)
        for key, vec in zip(got["ids"], got["embeddings"]):
            vectors[positions[key]] = vec
        return cls(path, digest, entries, vectors, bm25, store)


def current_build(settings: Settings) -> str | None:
    """The name of the build named in CURRENT (what the newest writer switched to), if any."""
    path = _read_current(Path(settings.data_dir) / "index")
    return path.name if path else None


def _read_current(root: Path) -> Path | None:
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    path = root / name
    return path if name and path.is_dir() else None


@contextmanager
def file_lock(root: Path):
    """One writer at a time, across processes, for what lives under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _pooled(entries: list[Entry], corpus: Corpus) -> dict[int, list[int]]:
    """Whole-clause entries of added documents → positions of their sentences in the same language.

    Their vector is the mean of those sentence vectors instead of a second pass of the model over the
    whole clause: that halves the embedding work of ingesting long documents (e5 reads 512 tokens at most
    anyway). The built-in corpus keeps whole-clause embeddings, so its answers are unchanged.
    """
    added = {d.id for d in corpus.documents if d.authority == "document"}
    sentences: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(entries):
        if e.kind == "sentence":
            sentences.setdefault((e.clause_id, e.lang), []).append(i)
    return {i: sentences[(e.clause_id, e.lang)] for i, e in enumerate(entries)
            if e.kind == "clause" and e.clause_id.split(":", 1)[0] in added and (e.clause_id, e.lang) in sentences}


def _embed_all(entries: list[Entry], embedder, cache: dict[str, np.ndarray] | None, report,
               pooled: dict[int, list[int]] | None = None) -> list[list[float]]:
    """Vectors of every entry: reused from ``cache`` by text where possible, pooled from sentences for
    ``pooled`` positions, the rest embedded in batches."""
    cache = dict(cache or {})
    pooled = pooled or {}
    missing = list(dict.fromkeys(e.text for i, e in enumerate(entries) if e.text not in cache and i not in pooled))
    done = len(entries) - len(missing)
    report("embedding", done, len(entries))
    batch = 32
    for start in range(0, len(missing), batch):
        chunk = missing[start : start + batch]
        for text, vec in zip(chunk, embedder.embed_documents(chunk)):
            cache[text] = np.asarray(vec, dtype=np.float32)
        report("embedding", min(done + start + batch, len(entries)), len(entries))
    for i, members in pooled.items():
        if entries[i].text not in cache:
            mean = np.mean([np.asarray(cache[entries[j].text], dtype=np.float32) for j in members], axis=0)
            cache[entries[i].text] = mean / (np.linalg.norm(mean) or 1.0)
    report("embedding", len(entries), len(entries))
    return [np.asarray(cache[e.text], dtype=np.float32).tolist() for e in entries]


def _fill_store(settings: Settings, tmp: Path, final: Path, entries: list[Entry], vectors: list[list[float]],
                reuse: "SearchIndex | None") -> None:
    """Write the Chroma store for ``entries``. With ``reuse`` (embedded store), start from a copy of its store
    and change only the entries that differ (by id and text): adding one document then costs its own entries,
    not the corpus. On a Chroma server each build is a new collection, filled with the (reused) vectors."""
    def meta(e: Entry) -> dict:
        return {"clause_id": e.clause_id, "lang": e.lang, "kind": e.kind}

    if reuse is not None and not settings.chroma_url and (reuse.path / "chroma").is_dir():
        shutil.copytree(reuse.path / "chroma", tmp / "chroma")
        client = _chroma_client(settings, tmp)
        store = client.get_collection(COLLECTION)
        old = {e.key: e.text for e in reuse.entries}
        keys = {e.key for e in entries}
        stale = [k for k in old if k not in keys]
        fresh = [i for i, e in enumerate(entries) if old.get(e.key) != e.text]
        stale += [entries[i].key for i in fresh if entries[i].key in old]
    else:
        client = _chroma_client(settings, tmp)
        name = _collection_name(settings, final)
        if settings.chroma_url:
            _drop_collection(client, name)  # leftovers of an interrupted build with the same name
        store = client.create_collection(name, metadata={"hnsw:space": "cosine"})
        stale, fresh = [], list(range(len(entries)))
    batch = 1000
    for start in range(0, len(stale), batch):
        store.delete(ids=stale[start : start + batch])
    for start in range(0, len(fresh), batch):
        chunk = [entries[i] for i in fresh[start : start + batch]]
        store.add(ids=[e.key for e in chunk], embeddings=[vectors[i] for i in fresh[start : start + batch]],
                  documents=[e.text for e in chunk], metadatas=[meta(e) for e in chunk])
    try:
        if store.count() != len(entries):
            raise IndexUnavailable(f"the vector store holds {store.count()} entries, expected {len(entries)}")
    finally:
        # Release the client before the folder is renamed: chromadb caches one system per path, and a cached
        # connection to a moved SQLite file is what answered "readonly database" (SQLITE_READONLY_DBMOVED,
        # 1032) when the next build reused the same temporary name within the same second; it also leaked.
        _close_client(client)
        del store, client


def _trim_heap() -> None:
    """Give freed heap back to the OS (glibc keeps it otherwise, and RSS only ever grows)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _close_client(client) -> None:
    try:
        with _CLIENTS:
            client.close()
    except Exception:  # an HTTP client, or already closed
        pass


def _build(root: Path, digest: str, corpus: Corpus, embedder, progress: Progress | None, settings: Settings,
           reuse: "SearchIndex | None" = None) -> Path:
    import bm25s

    # Unique even for the same corpus twice in one second (add then remove): a name reused within the second
    # collided with the previous build's folder and failed the rename.
    final = root / f"build-{digest[:12]}-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        entries = make_entries(corpus)
        total = len(entries)
        report = progress or (lambda stage, done, total: None)
        vectors = _embed_all(entries, embedder, reuse.vector_cache() if reuse else None, report,
                             _pooled(entries, corpus))
        # The collection is the one langchain-chroma opens (same name and space); vectors go in precomputed.
        _fill_store(settings, tmp, final, entries, vectors, reuse)
        report("keywords", 0, 1)
        bm25 = bm25s.BM25()
        bm25.index([tokenize(e.text) or ["∅"] for e in entries], show_progress=False)
        bm25.save(str(tmp / "bm25"))
        report("keywords", 1, 1)
        (tmp / "entries.json").write_text(json.dumps([asdict(e) for e in entries], ensure_ascii=False), "utf-8")
        manifest = {"digest": digest, "entries": total, "schema": SCHEMA, "built_at": time.time(),
                    "embedder": getattr(embedder, "name", type(embedder).__name__)}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if settings.chroma_url:
            _drop_collection(_chroma_client(settings, tmp), _collection_name(settings, final))
        raise
    pointer = root / f"CURRENT.{os.getpid()}.tmp"
    pointer.write_text(final.name, encoding="utf-8")
    os.replace(pointer, root / "CURRENT")  # the atomic switch to the new build
    return final


def _drop_collection(client, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception:  # absent already, or the server is gone: nothing to clean
        pass


def _prune(root: Path, keep: set[str], settings: Settings) -> None:
    """Remove older builds, keeping the newest previous one for processes that may still read it."""
    builds = sorted((p for p in root.glob("build-*") if p.is_dir() and p.name not in keep and not p.name.endswith(".tmp")),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in builds[1:]:
        if settings.chroma_url:
            _drop_collection(_chroma_client(settings, old), _collection_name(settings, old))
        shutil.rmtree(old, ignore_errors=True)
    for tmp in root.glob("build-*.tmp"):
        if tmp.stat().st_mtime < time.time() - 3600:
            shutil.rmtree(tmp, ignore_errors=True)
