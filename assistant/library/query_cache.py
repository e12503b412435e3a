"""Query vectors kept on disk, shared by every worker on a host and kept across restarts.

Embedding a question is by far the most expensive step of an extractive answer (tens of milliseconds of CPU,
against a few for everything else), and founders ask the same questions over and over — but each worker's
in-memory cache (``CachedQueries``) starts empty and learns alone. This file in the data directory lets a
question embedded once by any worker be reused by all of them, and after a restart.

A cache, never a record: the key is a hash of the text (no question is stored), the file is named by the
embedder settings (another model never reads these vectors), writes are not synced, and any failure (a locked,
full or read-only disk) just means the model is asked — an answer never fails because of the cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
PRUNE_EVERY = 500  # inserts between trims to the size limit


class QueryVectorStore:
    def __init__(self, path: Path, max_rows: int) -> None:
        self.max_rows = max_rows
        self._lock = threading.Lock()
        self._inserts = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=0.5, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")  # a lost vector is recomputed: no fsync per question
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")

    @classmethod
    def open(cls, data_dir: Path, embedder_fingerprint: Mapping[str, object], max_rows: int) -> QueryVectorStore | None:
        """The store for this embedder's settings, or None (logged) when the data directory cannot hold it."""
        if max_rows <= 0:
            return None
        name = hashlib.sha256(json.dumps(embedder_fingerprint, sort_keys=True).encode()).hexdigest()[:16]
        try:
            return cls(Path(data_dir) / "cache" / f"query-vectors-{name}.sqlite3", max_rows)
        except (OSError, sqlite3.Error) as exc:
            log.warning("query vectors will not be shared between workers (%s: %s)", exc.__class__.__name__, exc)
            return None

    @staticmethod
    def _key(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8")).digest()

    def get(self, text: str) -> list[float] | None:
        try:
            with self._lock:
                row = self._db.execute("SELECT vector FROM vectors WHERE key = ?", (self._key(text),)).fetchone()
        except sqlite3.Error:
            return None
        return np.frombuffer(row[0], dtype=np.float32).tolist() if row else None

    def put(self, text: str, vector: list[float]) -> None:
        blob = np.asarray(vector, dtype=np.float32).tobytes()
        try:
            with self._lock:
                self._db.execute("INSERT OR IGNORE INTO vectors (key, vector) VALUES (?, ?)", (self._key(text), blob))
                self._inserts += 1
                if self._inserts % PRUNE_EVERY == 0:  # keep the newest max_rows (rowids only grow)
                    self._db.execute("DELETE FROM vectors WHERE rowid <= (SELECT MAX(rowid) FROM vectors) - ?",
                                     (self.max_rows,))
        except sqlite3.Error as exc:  # locked by another worker for too long, full or read-only disk
            log.debug("query vector not cached: %s", exc)

    def close(self) -> None:
        self._db.close()
