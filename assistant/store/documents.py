"""Added documents in the database, and the data directory's ``documents/`` as a cache of them.

A document is its folder, stored generically: one row (metadata, content hashes, when added, removed or
not, the corpus version that changed it last) and every visible file of the folder as a blob. Each change
bumps the one corpus version in the same transaction; a host behind it rewrites the folders changed since
its own version (``materialise``). The cache notes, beside the folders (``.cache/<id>``, so a folder holds
exactly its document's files), the digest each folder was written from, and the version the whole cache
holds (``.cache/version``): a missing or stale folder is rewritten at start (``sync_cache``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, delete, insert, select, update

from assistant.store.database import Database
from assistant.store.models import corpus_state, document_files, documents

CACHE = ".cache"  # beside the folders: hidden names are never documents
VERSION_FILE = f"{CACHE}/version"
MARKS = f"{CACHE}/docs"


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every visible file of a document folder (markers and staging leftovers start with a dot)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def files_digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def _hashes(meta: dict[str, Any]) -> list[str]:
    return sorted({v[k] for v in (meta.get("versions") or {}).values() if isinstance(v, dict)
                   for k in ("sha256", "text_sha256") if v.get(k)})


def _bump(conn: Connection) -> int:
    # The row lock taken here also orders concurrent writers on several hosts.
    conn.execute(update(corpus_state).where(corpus_state.c.id == 1)
                 .values(version=corpus_state.c.version + 1, changed_at=time.time()))
    version: int = conn.execute(select(corpus_state.c.version).where(corpus_state.c.id == 1)).scalar_one()
    return version


class Conflict(Exception):
    """Another host changed the same document id between this host's last look and its write."""


def publish(db: Database, doc_id: str, folder: Path | None, root: Path | None = None, *,
            check: bool = False) -> int:
    """Store a document folder as it is now (``folder`` None: the document was removed from ``root``); the new
    corpus version. One transaction: the folder's row and files and the version change together or not at all.
    ``check``: refuse (``Conflict``) when the stored document is not the one this host's cache last held — two
    hosts adding the same id at once, or changing one document at once — instead of overwriting the other's."""
    root = folder.parent if folder is not None else root
    files = folder_files(folder) if folder is not None else {}
    meta = (yaml.safe_load(files.get("document.yaml", b"")) or {}) if folder is not None else {}
    digest = files_digest(files)
    held = _folder_digest(root, doc_id) if root is not None else None

    def work(conn: Connection) -> int:
        version = _bump(conn)  # first: the row lock orders this write after any other host's
        now = time.time()
        existing = conn.execute(select(documents.c.added_at, documents.c.removed, documents.c.digest)
                                .where(documents.c.id == doc_id)).first()
        if check and folder is not None and existing is not None and not existing.removed \
                and existing.digest != held:
            raise Conflict(doc_id)
        conn.execute(delete(document_files).where(document_files.c.doc_id == doc_id))
        row = {"meta": json.dumps(meta, ensure_ascii=False, default=str), "hashes": json.dumps(_hashes(meta)),
               "digest": digest, "updated_at": now, "removed": folder is None, "revision": version}
        if existing is None:
            conn.execute(insert(documents).values(id=doc_id, added_at=now, **row))
        else:
            conn.execute(update(documents).where(documents.c.id == doc_id).values(**row))
        if files:
            conn.execute(insert(document_files), [
                {"doc_id": doc_id, "name": name, "sha256": hashlib.sha256(data).hexdigest(), "data": data}
                for name, data in files.items()])
        return version

    version = db.run(work, write=True)
    if root is not None:
        _mark(root, doc_id, digest if folder is not None else None)
    return version


def _mark(root: Path, doc_id: str, digest: str | None) -> None:
    path = root / MARKS / doc_id
    if digest is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(digest, encoding="utf-8")


def cached_version(root: Path) -> int:
    try:
        return int((root / VERSION_FILE).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return -1


def _set_cached_version(root: Path, version: int) -> None:
    (root / CACHE).mkdir(parents=True, exist_ok=True)
    tmp = root / f"{VERSION_FILE}.{os.getpid()}.tmp"
    tmp.write_text(str(version), encoding="utf-8")
    os.replace(tmp, root / VERSION_FILE)


def note_version(root: Path, before: int, after: int) -> None:
    """After this host's own change (``after``): the cache is at ``after`` only if it was at the version just
    before it; otherwise another host changed something meanwhile, which the next ``materialise`` fetches."""
    if cached_version(root) == before:
        _set_cached_version(root, after)


def _write_folder(root: Path, doc_id: str, files: dict[str, bytes], digest: str) -> None:
    """Replace the cached folder in one rename (a reader sees the old folder or the new, never half)."""
    stage = root / f".stage-{doc_id}-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    for name, data in files.items():
        (stage / name).write_bytes(data)
    _drop_folder(root, doc_id)
    os.rename(stage, root / doc_id)
    _mark(root, doc_id, digest)


def _drop_folder(root: Path, doc_id: str) -> None:
    folder = root / doc_id
    if folder.exists():
        aside = root / f".old-{doc_id}-{os.getpid()}"
        shutil.rmtree(aside, ignore_errors=True)
        os.rename(folder, aside)
        shutil.rmtree(aside, ignore_errors=True)


def _folder_digest(root: Path, doc_id: str) -> str | None:
    try:
        return (root / MARKS / doc_id).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def materialise(db: Database, root: Path, since: int | None = None) -> tuple[int, list[str]]:
    """Bring the cache to the database: the documents changed after ``since`` (None: every document, and
    stale folders rewritten); (the version now held, the ids rewritten or dropped). Call under the lock."""
    since = cached_version(root) if since is None else since

    def read(conn: Connection) -> tuple[int, Sequence[tuple[Any, ...]]]:
        version: int = conn.execute(select(corpus_state.c.version).where(corpus_state.c.id == 1)).scalar_one()
        rows = conn.execute(select(documents.c.id, documents.c.removed, documents.c.digest)
                            .where(documents.c.revision > since)).all()
        return version, rows

    version, rows = db.run(read)
    root.mkdir(parents=True, exist_ok=True)
    changed: list[str] = []
    for doc_id, removed, digest in rows:
        if removed:
            _mark(root, doc_id, None)
            if (root / doc_id).exists():
                _drop_folder(root, doc_id)
                changed.append(doc_id)
        elif _folder_digest(root, doc_id) != digest or not (root / doc_id / "document.yaml").is_file():
            # SQLAlchemy's rows unpack as `object` to mypy (its Row is a TypeVarTuple generic)
            files = db.run(lambda c, d=doc_id: {n: bytes(b) for n, b in c.execute(  # type: ignore[misc]
                select(document_files.c.name, document_files.c.data).where(document_files.c.doc_id == d))})
            _write_folder(root, doc_id, files, digest)
            changed.append(doc_id)
    _set_cached_version(root, version)
    return version, changed


def import_folders(db: Database, root: Path) -> list[str]:
    """Folders with no row in the database (made before the database, when documents lived only on disk) are
    stored as they are; the ids carried over. Call under the lock, after interrupted changes are rolled back."""
    if not root.is_dir():
        return []
    known: set[str] = set(db.run(lambda c: c.execute(select(documents.c.id)).scalars().all()))
    carried = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name[0] != "." and p.name not in known):
        if (folder / "document.yaml").is_file():
            before = db.corpus_version()
            note_version(root, before, publish(db, folder.name, folder))
            carried.append(folder.name)
    return carried


def sync_cache(db: Database, root: Path) -> list[str]:
    """At start: carry over folders the database lacks, then rewrite missing or stale folders and drop removed
    ones, so ``documents/`` is exactly the database's documents. The ids carried over."""
    carried = import_folders(db, root)
    materialise(db, root, since=-1)
    return carried


def stored_ids(db: Database) -> set[str]:
    """Documents the database holds (not removed)."""
    return set(db.run(lambda c: c.execute(select(documents.c.id).where(documents.c.removed.is_(False))).scalars().all()))


def document_rows(db: Database, ids: set[str]) -> dict[str, str]:
    """Stored (not removed) documents among ``ids`` → their folder digest."""
    return dict(db.run(lambda c: c.execute(select(documents.c.id, documents.c.digest).where(
        documents.c.removed.is_(False), documents.c.id.in_(sorted(ids)))).all()))


def stored_files(db: Database, doc_id: str) -> dict[str, bytes]:
    """A stored document's files, as its folder holds them."""
    # SQLAlchemy's rows unpack as `object` to mypy (its Row is a TypeVarTuple generic)
    return db.run(lambda c: {n: bytes(b) for n, b in c.execute(  # type: ignore[misc,call-overload]
        select(document_files.c.name, document_files.c.data).where(document_files.c.doc_id == doc_id))})
