"""Added documents on disk: ``<data_dir>/documents/<doc_id>/`` in the corpus folder format.

Each folder holds ``document.yaml`` (titles, ``authority: document``, per-language version metadata: file,
source URL, format, pages, content hashes, time added), one ``<lang>.yaml`` per language (clauses with
label, title, text, page and numbering key) and the original files. Every change is staged in a hidden
folder and moved in with ``os.rename``; a ``Change`` can still be rolled back until it is committed, so a
failed index update leaves the folder exactly as it was.

With a database attached to the folder (``use_database``), the database is the record and these
folders are its cache: committing a change stores the folder in the database and bumps the shared corpus
version in one transaction (``assistant.store.documents``); if that fails, the change is rolled back.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.errors import DuplicateDocument
from assistant.library.index import file_lock
from assistant.library.versions import try_file_lock
from assistant.store.documents import Conflict, note_version, publish, sync_cache
from assistant.store.documents import cached_version as held
from assistant.store.documents import materialise as pull
from assistant.store.storage import fsync_path, fsync_tree


def documents_root(data_dir: Path) -> Path:
    return Path(data_dir) / "documents"


_DATABASES: dict[Path, object] = {}


def use_database(root: Path, db) -> None:
    """Record this folder's changes in ``db`` from now on (the service attaches it when it loads)."""
    _DATABASES[Path(root).resolve()] = db


def database_for(root: Path):
    return _DATABASES.get(Path(root).resolve())


def sync(root: Path) -> list[str]:
    """At start, under ``locked``: folders the database lacks are carried over into it, and the folders are made
    exactly the database's documents (missing or stale ones rewritten). The ids carried over."""
    db = database_for(root)
    return sync_cache(db, root) if db is not None else []


def materialise(root: Path) -> tuple[int, list[str]]:
    """Under ``locked``: rewrite the folders other hosts changed since this cache's version; (version, ids)."""
    return pull(database_for(root), root)


def cached_version(root: Path) -> int:
    return held(root)


def locked(root: Path):
    """One writer at a time (across processes) for the added documents and the index update after them."""
    return file_lock(root)


def try_locked(root: Path):
    """``locked`` when no writer holds it, else False at once: for readers that can answer without it."""
    return try_file_lock(root)


def slug(text: str, fallback: str = "document") -> str:
    """An ASCII id from a file name or title ("Shenzhen Rules (2026).pdf" → "shenzhen-rules-2026")."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:48].strip("-")
    return s or fallback


def unique_id(root: Path, base: str, taken: set[str]) -> str:
    doc_id, n = base, 2
    while doc_id in taken or (root / doc_id).exists():
        doc_id, n = f"{base}-{n}", n + 1
    return doc_id


def read_meta(folder: Path) -> dict:
    return yaml.safe_load((folder / "document.yaml").read_text(encoding="utf-8")) or {}


def known_hashes(corpus) -> dict[str, tuple[str, str, str]]:
    """Content hashes of the added documents' versions (file bytes and extracted text) → (id, lang, added_at),
    from the corpus in memory: checking a new document costs a lookup, not a read of every folder."""
    known: dict[str, tuple[str, str, str]] = {}
    for doc in getattr(corpus, "every_document", corpus.documents):  # quarantined ones too: no second copy
        for lang, version in (doc.versions or {}).items():
            if isinstance(version, dict):
                for kind in ("sha256", "text_sha256"):
                    if version.get(kind):
                        known[version[kind]] = (doc.id, lang, str(version.get("added_at", "earlier")))
    return known


def check_duplicate(known: dict[str, tuple[str, str, str]], hashes: dict[str, str]) -> None:
    """Refuse content already added: the same file bytes or the same extracted text (``*_sha256`` keys)."""
    for value in hashes.values():
        if value in known:
            doc_id, lang, added = known[value]
            raise DuplicateDocument(
                f"This document is already in the corpus as {doc_id!r} ({lang}, added {added}). "
                "Nothing was added; remove it first to replace it.")


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")


@dataclass
class Change:
    """A staged change to one document folder: ``commit()`` keeps it, ``rollback()`` restores the old state.

    Until it is committed, a journal file beside the folders records the change, so a process killed
    between swapping the folder in and switching the index is rolled back at the next start (``recover``):
    an upload that never got its answer is not in the corpus afterwards, and its retry is not a duplicate.
    """

    folder: Path
    backup: Path | None  # the previous folder, moved aside (None when the document is new)
    removed: bool = False  # the change removes the folder (nothing new in its place)

    @property
    def journal(self) -> Path:
        return self.folder.parent / f".pending-{self.folder.name}.yaml"

    def record(self) -> None:
        _dump(self.journal, {"folder": self.folder.name, "backup": self.backup.name if self.backup else None,
                             "removed": self.removed})
        fsync_path(self.journal)

    def commit(self) -> None:
        db = database_for(self.folder.parent)
        if db is not None:
            try:
                after = publish(db, self.folder.name, None if self.removed else self.folder, self.folder.parent,
                                check=True)
            except BaseException as exc:
                self.rollback()  # not recorded, so not kept: every host keeps agreeing with the database
                if isinstance(exc, Conflict):
                    raise DuplicateDocument(
                        f"Another host added or changed a document with the id {self.folder.name!r} at the same "
                        "moment. Nothing was changed here; please try again.") from None
                raise
            note_version(self.folder.parent, after - 1, after)
        if self.backup is not None:
            shutil.rmtree(self.backup, ignore_errors=True)
        self.journal.unlink(missing_ok=True)

    def rollback(self) -> None:
        if not self.removed:
            shutil.rmtree(self.folder, ignore_errors=True)
        if self.backup is not None and self.backup.exists():
            os.rename(self.backup, self.folder)
        self.journal.unlink(missing_ok=True)


def recover(root: Path) -> int:
    """Roll back changes a killed process left uncommitted (call under ``locked``); how many there were."""
    if not root.is_dir():
        return 0
    undone = 0
    for journal in sorted(root.glob(".pending-*.yaml")):
        entry = yaml.safe_load(journal.read_text(encoding="utf-8")) or {}
        backup = root / entry["backup"] if entry.get("backup") else None
        Change(root / entry["folder"], backup, bool(entry.get("removed"))).rollback()
        undone += 1
    for leftover in root.glob(".stage-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return undone


def _stage(root: Path, doc_id: str) -> Path:
    stage = root / f".stage-{doc_id}-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    return stage


def _swap_in(root: Path, doc_id: str, stage: Path) -> Change:
    folder = root / doc_id
    backup = root / f".backup-{doc_id}-{os.getpid()}" if folder.exists() else None
    change = Change(folder, backup)
    change.record()  # first: whatever happens next, a restart can undo it
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
        os.rename(folder, backup)
    try:
        os.rename(stage, folder)
        fsync_path(root)  # the rename itself is on disk before the change is committed (and acknowledged)
    except OSError:
        change.rollback()
        raise
    return change


def write_version(root: Path, doc_id: str, meta: dict, lang: str, clauses: list[dict], original: bytes,
                  filename: str, files: dict[str, str] | None = None) -> Change:
    """Create a document folder, or add a language version to one, atomically. ``meta`` is the whole
    new ``document.yaml``; ``files``: more text files of the folder written in the same change (the
    document's extracted ``facts.yaml``), replacing earlier ones of the same name."""
    root.mkdir(parents=True, exist_ok=True)
    stage = _stage(root, doc_id)
    try:
        if (root / doc_id).exists():
            shutil.copytree(root / doc_id, stage)
        else:
            stage.mkdir()
        _dump(stage / f"{lang}.yaml", {"lang": lang, "clauses": clauses})
        (stage / filename).write_bytes(original)
        for name, text in (files or {}).items():
            (stage / name).write_text(text, encoding="utf-8")
        _dump(stage / "document.yaml", meta)
        fsync_tree(stage)  # a 201 is only sent after the commit: the files it names must survive a power cut
        return _swap_in(root, doc_id, stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def rewrite_meta(root: Path, doc_id: str, meta: dict) -> Change:
    """Replace a document's ``document.yaml`` only (an admin's trust decision), atomically like any change."""
    stage = _stage(root, doc_id)
    try:
        shutil.copytree(root / doc_id, stage)
        _dump(stage / "document.yaml", meta)
        return _swap_in(root, doc_id, stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def remove_folder(root: Path, doc_id: str) -> Change:
    """Move a document folder aside; the returned change deletes it on commit, restores it on rollback."""
    folder = root / doc_id
    backup = root / f".backup-{doc_id}-{os.getpid()}"
    change = Change(folder, backup, removed=True)
    change.record()
    shutil.rmtree(backup, ignore_errors=True)
    os.rename(folder, backup)
    fsync_path(root)
    return change


def original_name(lang: str, filename: str, fmt: str) -> str:
    """The stored copy of the original file: ``original-<lang>.<ext>`` (ext from the detected format)."""
    ext = {"pdf": "pdf", "docx": "docx", "html": "html", "markdown": "md", "text": "txt"}[fmt]
    return f"original-{lang}.{ext}"
