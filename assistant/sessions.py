"""Conversation history in SQLite inside the data directory: survives restarts, shared by workers.

Each session keeps its last ``max_turns`` turns (older ones are dropped), which bounds both the
file and what follow-up resolution has to read.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from pathlib import Path

from .errors import InvalidSessionId, NotFound
from .types import Answer, Turn

_SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")


def check_session_id(session_id: str) -> str:
    if not isinstance(session_id, str) or not _SESSION_ID.match(session_id):
        raise InvalidSessionId(
            "A session id is 1–128 characters: letters, digits, '_', '-', '.', ':' (starting with a letter or digit)."
        )
    return session_id


class SessionStore:
    def __init__(self, path: Path, max_turns: int = 20) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.max_turns = max_turns
        self._lock = threading.Lock()
        # One connection per store; WAL lets several worker processes read while one writes.
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS turns (session_id TEXT NOT NULL, n INTEGER NOT NULL, created REAL NOT NULL,"
            " question TEXT NOT NULL, standalone TEXT, answer TEXT NOT NULL, PRIMARY KEY (session_id, n))"
        )

    def history(self, session_id: str) -> list[Turn]:
        """The session's turns, oldest first ([] for a session that does not exist yet)."""
        check_session_id(session_id)
        with self._lock:
            rows = self._db.execute(
                "SELECT n, created, question, standalone, answer FROM turns WHERE session_id = ? ORDER BY n",
                (session_id,),
            ).fetchall()
        return [Turn(n=n, created=created, question=q, standalone_question=s, answer=Answer.model_validate_json(a))
                for n, created, q, s, a in rows]

    def get(self, session_id: str) -> list[Turn]:
        turns = self.history(session_id)
        if not turns:
            raise NotFound(f"No conversation with id {session_id!r}.")
        return turns

    def append(self, session_id: str, answer: Answer) -> Turn:
        check_session_id(session_id)
        created = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                (last,) = self._db.execute(
                    "SELECT COALESCE(MAX(n), 0) FROM turns WHERE session_id = ?", (session_id,)).fetchone()
                self._db.execute(
                    "INSERT INTO turns (session_id, n, created, question, standalone, answer) VALUES (?, ?, ?, ?, ?, ?)",
                    (session_id, last + 1, created, answer.question, answer.standalone_question,
                     answer.model_dump_json()),
                )
                self._db.execute("DELETE FROM turns WHERE session_id = ? AND n <= ?",
                                 (session_id, last + 1 - self.max_turns))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return Turn(n=last + 1, created=created, question=answer.question,
                    standalone_question=answer.standalone_question, answer=answer)

    def delete(self, session_id: str) -> bool:
        check_session_id(session_id)
        with self._lock:
            cur = self._db.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))
        return cur.rowcount > 0

    def ping(self) -> None:
        """Raise if the database cannot be read (readiness checks)."""
        with self._lock:
            self._db.execute("SELECT 1").fetchone()

    def close(self) -> None:
        self._db.close()
