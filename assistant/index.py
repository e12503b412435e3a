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
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from .corpus import Corpus
from .errors import IndexUnavailable
from .segments import Entry, Keywords, Segment, document_entries
from .settings import Settings

log = logging.getLogger(__name__)

SCHEMA = 4  # bump when the entry layout, tokenisation or segment files change
COLLECTION = "opc_entries"
MAX_SEGMENTS = 8  # added-document segments beyond this are merged into one (no re-embedding)
Progress = Callable[[str, int, int], None]
_CLIENTS = threading.Lock()  # opening and closing embedded Chroma clients, one at a time

__all__ = ["Entry", "SearchIndex", "make_entries", "load_version", "current_build", "file_lock"]


def make_entries(corpus: Corpus) -> list[Entry]:
    return [e for d in corpus.documents for e in document_entries(d)]


def _base_docs(corpus: Corpus) -> list:
    return [d for d in corpus.documents if d.authority != "document"]


def doc_hash(doc) -> str:
    """What a document contributes to the index: a change (a translation added) means re-indexing it."""
    return hashlib.sha256(json.dumps([(e.key, e.text) for e in document_entries(doc)],
                                     ensure_ascii=False).encode()).hexdigest()[:16]


def fingerprint(settings: Settings, corpus: Corpus) -> str:
    """The generation: built-in documents and index settings (added documents are segments within it)."""
    payload = {"schema": SCHEMA, "base": [doc_hash(d) for d in _base_docs(corpus)], **settings.index_fingerprint()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _chroma_client(settings: Settings, build: Path):
    """The embedded on-disk store inside the build folder, or the Chroma server named by OPC_CHROMA_URL."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma = ChromaSettings(anonymized_telemetry=False)
    if not settings.chroma_url:
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
    """One version of the index: its segments' entries, vectors and keyword statistics, and the Chroma store."""

    def __init__(self, path: Path, manifest: dict, segments: list[Segment], settings: Settings) -> None:
        self.path = path  # the generation folder
        self.manifest = manifest
        self.version = manifest["name"]  # "<generation>/v000007.json", as CURRENT names it
        self.digest = manifest["digest"]
        self.segments = {s.name: s for s in segments}
        self.entries = [e for s in segments for e in s.entries]
        dim = next((s.vectors.shape[1] for s in segments if len(s.entries)), 1)
        self.vectors = np.vstack([s.vectors for s in segments]) if self.entries else np.zeros((0, dim), np.float32)
        self.keywords = Keywords(segments)
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

    def store_get(self, doc_id: str) -> dict:
        """A document's entries as the Chroma store holds them (ids and metadata)."""
        with _store(self.settings, self.path, create=False) as collection:
            return collection.get(where={"doc_id": doc_id}, include=["metadatas"])

    def close(self) -> None:
        """Free this version's vectors once nothing reads it (see Assistant.use). No Chroma client is held
        (each store operation opens and closes its own); segments may be shared with the next version, so
        only this version's own stacked copy and keyword statistics go."""
        self.vectors = self.keywords = None
        _trim_heap()

    def count(self) -> int:
        """Vectors in the Chroma collection (a live round trip, for readiness checks)."""
        with _store(self.settings, self.path, create=False) as collection:
            return collection.count()

    # --- search ----------------------------------------------------------------------------
    def dense(self, query_vec, k: int, allowed: np.ndarray | None = None,
              sims: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Entry positions and cosine similarities of the k nearest entries of this version (exact search
        over its own vectors, so every host answers from exactly the version its manifest names). ``sims``:
        the similarities already computed for this query (one pass serves every scope tier)."""
        if not self.entries:
            return []
        if sims is None:
            sims = self.vectors @ np.asarray(query_vec, dtype=np.float32)
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
        cls, settings: Settings, corpus: Corpus, embedder, *, rebuild: bool = False, progress: Progress | None = None,
        reuse: "SearchIndex | None" = None,
    ) -> "SearchIndex":
        """The index for ``corpus``: the current version when it matches, else a new version that changes only
        what differs (documents added, removed or changed), else a new generation. ``reuse``: the open index,
        whose loaded segments are shared instead of read again."""
        root = _root(settings)
        digest = fingerprint(settings, corpus)
        with file_lock(root):
            notice = None
            manifest = None if rebuild else _read_manifest(root)
            if not rebuild and manifest is None:
                notice = "No index yet; building it." if not (root / "CURRENT").exists() else \
                    "The index could not be read (its manifest is missing or damaged); rebuilding it."
            if manifest is not None and manifest.get("digest") != digest:
                notice, manifest = "The corpus or index settings changed; rebuilding the index.", None
            if manifest is not None:
                try:
                    current = _open(root, manifest, settings, reuse)
                    with _store(settings, current.path):  # the store opens (a server is reachable) before any change
                        pass
                    return _sync(root, current, corpus, embedder, progress, settings)
                except IndexUnavailable:
                    raise
                except Exception as exc:  # any unreadable part means rebuild, never crash
                    notice = f"The index at {manifest['name']} could not be read ({exc.__class__.__name__}: {exc}); " \
                             "rebuilding it."
            if notice:
                log.warning(notice)
            try:
                index = _generation(root, digest, corpus, embedder, progress, settings)
            except Exception as exc:
                # The previous generation (if any) is untouched and still named in CURRENT.
                raise IndexUnavailable(
                    f"Building the index failed ({exc.__class__.__name__}: {exc}). "
                    "Nothing was changed; any previous index is still in use."
                ) from exc
            index.notice = notice or "Index rebuilt."
            _prune(root, index, settings)
            return index


def load_version(settings: Settings, reuse: SearchIndex | None = None) -> SearchIndex | None:
    """The version ``CURRENT`` names, read only (None when there is none): what a host or worker switches to
    when another one changed the library. Segments already open in ``reuse`` are shared, not read again."""
    root = _root(settings)
    manifest = _read_manifest(root)
    return None if manifest is None else _open(root, manifest, settings, reuse)


def current_build(settings: Settings) -> str | None:
    """The version named in CURRENT (what the newest writer switched to), if any."""
    try:
        return (_root(settings) / "CURRENT").read_text(encoding="utf-8").strip() or None
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def _root(settings: Settings) -> Path:
    root = Path(settings.data_dir) / "index"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexUnavailable(f"Cannot create the index folder {root}: {exc.strerror}.") from None
    return root


def _read_manifest(root: Path) -> dict | None:
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
        manifest = json.loads((root / name).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA or not isinstance(manifest.get("segments"), list):
        return None
    manifest["name"] = name
    return manifest


def _open(root: Path, manifest: dict, settings: Settings, reuse: SearchIndex | None) -> SearchIndex:
    path = root / manifest["name"].split("/", 1)[0]
    have = reuse.segments if reuse is not None and reuse.path == path else {}
    segments = [have.get(s["id"]) or Segment.load(path / "segments", s["id"]) for s in manifest["segments"]]
    total = sum(len(s.entries) for s in segments)
    if total != manifest.get("entries"):
        raise IndexUnavailable(f"index holds {total} entries, its manifest says {manifest.get('entries')}")
    return SearchIndex(path, manifest, segments, settings)


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


def _embed(entries: list[Entry], embedder, report: Progress, cache: dict[str, np.ndarray] | None = None,
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
        client.close()  # callers hold _CLIENTS (see _store)
    except Exception:  # an HTTP client, or already closed
        pass


@contextmanager
def _store(settings: Settings, build: Path, *, create: bool = True):
    """The generation's Chroma collection, on a client opened for this use and closed after it, all under
    ``_CLIENTS``: chromadb's per-path system cache is not thread-safe (a request reading the store while the
    writer opened or closed a client on the same path lost the cache entry: KeyError, the intermittent 500),
    and a client left open per add/remove leaked its system's memory. One client at a time, never kept."""
    with _CLIENTS:
        client = _chroma_client(settings, build)
        try:
            name = _collection_name(settings, build)
            # reads never create (nor write: a readiness probe on a full disk must report the disk, not this)
            yield client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"}) if create \
                else client.get_collection(name)
        finally:
            _close_client(client)


def whose(doc) -> dict:
    """What every entry of a document carries in the store: whose policy it is and while it is valid."""
    meta = {"doc_id": doc.id, "authority": doc.authority, "doc_type": doc.doc_type,
            "issuer": doc.issuer.get("zh") or doc.issuer.get("en") or "", "jurisdiction": doc.jurisdiction or "",
            "level": doc.level or "", "effective_date": doc.effective_date or "", "valid_until": doc.valid_until or ""}
    return meta


def _store_upsert(collection, segment: Segment, docs: set[str], corpus: Corpus) -> None:
    """Put the vectors of ``docs`` (from ``segment``) in Chroma, replacing any earlier ones of the same documents."""
    owners = {d: whose(corpus.document(d)) for d in docs}
    for doc in sorted(docs):
        collection.delete(where={"doc_id": doc})  # leftovers of a crashed attempt or an older version
    rows = [i for i, e in enumerate(segment.entries) if e.doc_id in docs]
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        collection.upsert(ids=[segment.entries[i].key for i in chunk], embeddings=segment.vectors[chunk].tolist(),
                          documents=[segment.entries[i].text for i in chunk],
                          metadatas=[{"clause_id": segment.entries[i].clause_id, "lang": segment.entries[i].lang,
                                      "kind": segment.entries[i].kind, **owners[segment.entries[i].doc_id]}
                                     for i in chunk])


def _segment_name(version: int) -> str:
    return f"s{version:06d}-{uuid.uuid4().hex[:8]}"


def _seg_row(seg: Segment, hashes: dict[str, str]) -> dict:
    return {"id": seg.name, "entries": len(seg.entries), "docs": {d: hashes[d] for d in sorted(seg.docs) if d in hashes}}


def _write_manifest(root: Path, path: Path, version: int, digest: str, segments: list[tuple[Segment, dict]],
                    embedder) -> dict:
    manifest = {"schema": SCHEMA, "version": version, "digest": digest, "built_at": time.time(),
                "embedder": getattr(embedder, "name", type(embedder).__name__),
                "entries": sum(len(s.entries) for s, _ in segments), "segments": [row for _, row in segments]}
    name = f"{path.name}/v{version:06d}.json"
    tmp = path / f".v{version:06d}.json.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / name)
    pointer = root / f"CURRENT.{os.getpid()}.tmp"
    with open(pointer, "w", encoding="utf-8") as fh:
        fh.write(name)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer, root / "CURRENT")  # the atomic switch to the new version
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    manifest["name"] = name
    return manifest


def _generation(root: Path, digest: str, corpus: Corpus, embedder, progress: Progress | None,
                settings: Settings) -> SearchIndex:
    """A new generation: the built-in documents' segment plus one segment of every added document."""
    report = progress or (lambda stage, done, total: None)
    # Unique even for the same corpus twice in one second (add then remove): a name reused within the second
    # collided with the previous build's folder and failed the rename.
    final = root / f"build-{digest[:12]}-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "segments").mkdir(parents=True)
    try:
        hashes = {d.id: doc_hash(d) for d in corpus.documents if d.authority == "document"}
        base_entries = [e for d in _base_docs(corpus) for e in document_entries(d)]
        added_entries = [e for d in corpus.documents if d.authority == "document" for e in document_entries(d)]
        base = Segment.build(_segment_name(1), base_entries, _embed(base_entries, embedder, report, pool=False))
        parts = [base]
        if added_entries:
            parts.append(Segment.build(_segment_name(1), added_entries, _embed(added_entries, embedder, report)))
        report("keywords", 0, 1)
        for seg in parts:
            seg.save(tmp / "segments")
        # The client is closed before the folder is renamed: a cached connection to a moved SQLite file answered
        # "readonly database" (SQLITE_READONLY_DBMOVED) when a later build reused it.
        with _store(settings, tmp) as collection:
            for seg in parts:
                _store_upsert(collection, seg, seg.docs, corpus)
            held = collection.count()
        if held != sum(len(s.entries) for s in parts):
            raise IndexUnavailable(f"the vector store holds {held} entries")
        report("keywords", 1, 1)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if settings.chroma_url:
            _drop_collection(_chroma_client(settings, tmp), _collection_name(settings, final))
        raise
    manifest = _write_manifest(root, final, 1, digest, [(s, _seg_row(s, hashes)) for s in parts], embedder)
    return SearchIndex(final, manifest, parts, settings)


def _sync(root: Path, index: SearchIndex, corpus: Corpus, embedder, progress: Progress | None,
          settings: Settings) -> SearchIndex:
    """Bring ``index`` to ``corpus`` by changing only the documents that differ; a new version if any do."""
    want = {d.id: doc_hash(d) for d in corpus.documents if d.authority == "document"}
    have = index.docs
    gone = {d for d, h in have.items() if want.get(d) != h}
    new = [d for d in corpus.documents if d.authority == "document" and have.get(d.id) != want[d.id]]
    if not gone and not new:
        return index
    report = progress or (lambda stage, done, total: None)
    version = int(index.manifest["version"]) + 1
    folder = index.path / "segments"
    old_rows = {row["id"]: row for row in index.manifest["segments"]}
    kept: list[tuple[Segment, dict]] = []
    for name, seg in index.segments.items():
        row = old_rows[name]
        if gone & set(row["docs"]):
            seg = seg.without(_segment_name(version), gone)
            if seg is None:
                continue
            seg.save(folder)
            row = _seg_row(seg, want)
        kept.append((seg, row))
    if new:
        entries = [e for d in new for e in document_entries(d)]
        # a changed document (a translation added) keeps the vectors of the text it already had
        cache = {index.entries[i].text: index.vectors[i] for i, e in enumerate(index.entries) if e.doc_id in gone}
        seg = Segment.build(_segment_name(version), entries, _embed(entries, embedder, report, cache))
        seg.save(folder)
        with _store(settings, index.path) as collection:  # embedding is done: the client lock is held briefly
            _store_upsert(collection, seg, seg.docs, corpus)
        kept.append((seg, _seg_row(seg, want)))
    small = [(s, r) for s, r in kept[1:]]
    if len(small) > MAX_SEGMENTS:  # compaction: the added documents' segments become one
        merged = Segment.merge(_segment_name(version), [s for s, _ in small])
        merged.save(folder)
        kept = [kept[0], (merged, _seg_row(merged, want))]
    manifest = _write_manifest(root, index.path, version, index.digest, kept, embedder)
    removed = sorted(gone - set(want))
    if removed:
        with _store(settings, index.path) as collection:
            for doc in removed:  # removed documents leave the store once no version names them
                collection.delete(where={"doc_id": doc})
    updated = SearchIndex(index.path, manifest, [s for s, _ in kept], settings)
    _prune(root, updated, settings)
    return updated


def _drop_collection(client, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception:  # absent already, or the server is gone: nothing to clean
        pass


def _prune(root: Path, index: SearchIndex, settings: Settings) -> None:
    """Remove older generations (keeping the newest previous one for processes that may still read it), and
    in the current one the manifests and segments no recent version names."""
    builds = sorted((p for p in root.glob("build-*") if p.is_dir() and p != index.path and not p.name.endswith(".tmp")),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in builds[1:]:
        if settings.chroma_url:
            _drop_collection(_chroma_client(settings, old), _collection_name(settings, old))
        shutil.rmtree(old, ignore_errors=True)
    for tmp in root.glob("build-*.tmp"):
        if tmp.stat().st_mtime < time.time() - 3600:
            shutil.rmtree(tmp, ignore_errors=True)
    manifests = sorted(index.path.glob("v*.json"))
    live = {index.manifest["name"].split("/")[-1]} | {m.name for m in manifests[-3:]}
    named: set[str] = set()
    for m in manifests:
        if m.name in live:
            try:
                named |= {s["id"] for s in json.loads(m.read_text(encoding="utf-8"))["segments"]}
            except (OSError, ValueError, KeyError):
                pass
        else:
            m.unlink(missing_ok=True)
    for seg in (index.path / "segments").iterdir():
        if seg.name not in named and not seg.name.startswith("."):
            shutil.rmtree(seg, ignore_errors=True)
