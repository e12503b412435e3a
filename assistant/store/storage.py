"""The data directory's health: recognising a full (or read-only) disk, and probing that it can be written.

A full disk must never turn answers into 500s: conversation turns and the answer log are best-effort
(logged, and the founder told that this turn was not saved), while document changes are refused with a
clear 507 and nothing stored is touched. Messages name no server paths.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}
_FULL_WORDS = ("disk is full", "database or disk is full", "no space left", "read-only", "readonly database",
               "disk i/o error")
NOT_SAVED = {
    "zh": "本轮对话未能保存（服务器存储空间不足），后续追问可能缺少上下文。",
    "zh-Hant": "本輪對話未能儲存（伺服器儲存空間不足），後續追問可能缺少上下文。",
    "en": "This turn could not be saved (the server's storage is full); follow-up questions may lack context.",
}
STORAGE_FULL = "The server's storage is full or read-only; nothing was changed. Please try again later."


def is_storage_error(exc: BaseException | None) -> bool:
    """True when ``exc`` (or what caused it) is a full or read-only disk, however the library wrapped it."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        if isinstance(exc, (sqlite3.OperationalError, sqlite3.DatabaseError, OSError)) or \
                type(exc).__module__.startswith("chromadb"):
            if any(w in str(exc).lower() for w in _FULL_WORDS):
                return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def fsync_path(path: Path) -> None:
    """Flush a file or a folder (its entries: names renamed in or out) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush every file of ``folder`` and the folder itself: what a rename of it then makes visible is on disk."""
    for item in Path(folder).iterdir():
        if item.is_file():
            fsync_path(item)
    fsync_path(folder)


def writable_problem(data_dir: Path, probe_bytes: int = 64 * 1024) -> str | None:
    """None when a small file can be written and synced in ``data_dir``; else what is wrong (no path)."""
    probe = Path(data_dir) / f".probe-{uuid.uuid4().hex}"
    try:
        with open(probe, "wb") as fh:
            fh.write(b"\0" * probe_bytes)
            fh.flush()
            os.fsync(fh.fileno())
        return None
    except OSError as exc:
        return "the data directory is not writable (" + (os.strerror(exc.errno) if exc.errno else "error") + ")"
    finally:
        try:
            probe.unlink()
        except OSError:
            pass
