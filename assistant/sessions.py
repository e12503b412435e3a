"""Conversation history in SQLite inside the data directory: survives restarts, shared by workers.

Sessions are created by the server (``create``) with unguessable ids and belong to one owner (the API key
and end user, or the chat page's browser session; stored hashed). Anyone else asking for a session gets
the same ``NotFound`` as for an id that never existed, so ids cannot be probed. Each session keeps its last
``max_turns`` turns, with personal data (phones, ID numbers, emails, cards) redacted before storage, and
sessions idle for longer than the retention period are purged.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import threading
import time
from pathlib import Path

from .errors import InvalidSessionId, NotFound
from .redact import redact
from .types import Answer, Turn

_SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
NO_SUCH_SESSION = "No such conversation (it may have expired, or belong to someone else): start a new one."
LOCAL_OWNER = "local"  # in-process callers: the CLI and tests


def check_session_id(session_id: str) -> str:
    if not isinstance(session_id, str) or not _SESSION_ID.match(session_id):
        raise InvalidSessionId(
            "A session id is 1–128 characters: letters, digits, '_', '-', '.', ':' (starting with a letter or digit)."
        )
    return session_id


def _owner_key(owner: str) -> str:
    # Owners include end-user ids (e.g. a WeChat openid): only a hash is stored.
    return hashlib.sha256(owner.encode()).hexdigest()


def redacted(answer: Answer) -> Answer:
    """What a conversation keeps of an answer: the question and texts with personal data replaced."""
    return answer.model_copy(update={
        "question": redact(answer.question), "answer": redact(answer.answer),
        "standalone_question": redact(answer.standalone_question) if answer.standalone_question else None})


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
        self._db.execute("CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, owner TEXT NOT NULL,"
                         " created REAL NOT NULL, updated REAL NOT NULL)")

    def create(self, owner: str) -> str:
        """A new, empty conversation for ``owner``; its id (about 190 random bits) is the only way back to it."""
        session_id = "s" + secrets.token_urlsafe(24)
        now = time.time()
        with self._lock:
            self._db.execute("INSERT INTO sessions (id, owner, created, updated) VALUES (?, ?, ?, ?)",
                             (session_id, _owner_key(owner), now, now))
        return session_id

    def check(self, session_id: str, owner: str | None) -> None:
        """NotFound unless the session exists and belongs to ``owner`` (None: any owner, for admins)."""
        check_session_id(session_id)
        with self._lock:
            row = self._db.execute("SELECT owner FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None or (owner is not None and not secrets.compare_digest(row[0], _owner_key(owner))):
            raise NotFound(NO_SUCH_SESSION)

    def history(self, session_id: str) -> list[Turn]:
        """The session's turns, oldest first ([] for a session without turns). Callers check ownership first."""
        check_session_id(session_id)
        with self._lock:
            rows = self._db.execute(
                "SELECT n, created, question, standalone, answer FROM turns WHERE session_id = ? ORDER BY n",
                (session_id,),
            ).fetchall()
        return [Turn(n=n, created=created, question=q, standalone_question=s, answer=Answer.model_validate_json(a))
                for n, created, q, s, a in rows]

    def get(self, session_id: str, owner: str | None) -> list[Turn]:
        self.check(session_id, owner)
        turns = self.history(session_id)
        if not turns:
            raise NotFound(NO_SUCH_SESSION)
        return turns

    def append(self, session_id: str, answer: Answer) -> Turn:
        check_session_id(session_id)
        stored = redacted(answer)
        created = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                (last,) = self._db.execute(
                    "SELECT COALESCE(MAX(n), 0) FROM turns WHERE session_id = ?", (session_id,)).fetchone()
                self._db.execute(
                    "INSERT INTO turns (session_id, n, created, question, standalone, answer) VALUES (?, ?, ?, ?, ?, ?)",
                    (session_id, last + 1, created, stored.question, stored.standalone_question,
                     stored.model_dump_json()),
                )
                self._db.execute("DELETE FROM turns WHERE session_id = ? AND n <= ?",
                                 (session_id, last + 1 - self.max_turns))
                self._db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (created, session_id))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return Turn(n=last + 1, created=created, question=stored.question,
                    standalone_question=stored.standalone_question, answer=stored)

    def delete(self, session_id: str, owner: str | None) -> bool:
        """Forget a conversation of ``owner`` (None: anyone's); False when there is none to forget."""
        try:
            self.check(session_id, owner)
        except NotFound:
            return False
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))
            self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            self._db.execute("COMMIT")
        return True

    def purge(self, before: float) -> int:
        """Delete conversations idle since before ``before`` (epoch seconds), and turns of no known session."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cur = self._db.execute("DELETE FROM sessions WHERE updated < ?", (before,))
                self._db.execute("DELETE FROM turns WHERE session_id NOT IN (SELECT id FROM sessions)")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return cur.rowcount

    def ping(self) -> None:
        """Raise if the database cannot be read (readiness checks)."""
        with self._lock:
            self._db.execute("SELECT 1").fetchone()

    def close(self) -> None:
        self._db.close()


def purge_expired(sessions: SessionStore, feedback, days: float) -> dict[str, int]:
    """Retention: conversations idle, and answers/feedback recorded, more than ``days`` ago are deleted."""
    before = time.time() - 86400 * days
    return {"sessions": sessions.purge(before), "answers": feedback.purge(before)}
