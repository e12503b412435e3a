"""Answers and founders' feedback on them, in SQLite inside the data directory.

Every answer is recorded (question redacted) so that feedback can name it by id and evaluators can
read what was judged. Shared by the API and the chat UI through ``Assistant.feedback``.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from .errors import InvalidFeedback, NotFound
from .redact import redact
from .types import Answer, Feedback

MAX_COMMENT_CHARS = 2000


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # Answers are a log, not a record of truth: losing the last one on power loss is acceptable.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (id TEXT PRIMARY KEY, created REAL NOT NULL, language TEXT,"
            " answerable INTEGER, mode TEXT, question TEXT, answer TEXT NOT NULL)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, answer_id TEXT NOT NULL,"
            " created REAL NOT NULL, useful INTEGER NOT NULL, comment TEXT, source TEXT)"
        )

    def record_answer(self, answer: Answer) -> None:
        """Keep the answer (with personal data in the question redacted) so feedback can refer to it."""
        stored = answer.model_copy(update={"question": redact(answer.question)})
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers (id, created, language, answerable, mode, question, answer)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (answer.id, time.time(), answer.language, int(answer.answerable), answer.mode,
                 stored.question, stored.model_dump_json()),
            )

    def answer(self, answer_id: str) -> Answer:
        with self._lock:
            row = self._db.execute("SELECT answer FROM answers WHERE id = ?", (answer_id,)).fetchone()
        if row is None:
            raise NotFound(f"No answer with id {answer_id!r}: feedback must name an answer this assistant gave.")
        return Answer.model_validate_json(row[0])

    def add(self, answer_id: str, useful: bool, comment: str | None = None, source: str = "api") -> Feedback:
        if not isinstance(useful, bool):
            raise InvalidFeedback("Feedback needs 'useful': true or false.")
        comment = (comment or "").strip() or None
        if comment is not None and len(comment) > MAX_COMMENT_CHARS:
            raise InvalidFeedback(f"A feedback comment is at most {MAX_COMMENT_CHARS} characters.")
        self.answer(answer_id)  # NotFound for ids we never issued
        created = time.time()
        comment = redact(comment) if comment else None
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO feedback (answer_id, created, useful, comment, source) VALUES (?, ?, ?, ?, ?)",
                (answer_id, created, int(useful), comment, source),
            )
        return Feedback(id=cur.lastrowid, answer_id=answer_id, useful=useful, comment=comment,
                        source=source, created=created)

    def list(self, answer_id: str | None = None) -> list[Feedback]:
        query = "SELECT id, answer_id, created, useful, comment, source FROM feedback"
        args: tuple = ()
        if answer_id is not None:
            query, args = query + " WHERE answer_id = ?", (answer_id,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY id", args).fetchall()
        return [Feedback(id=i, answer_id=a, created=c, useful=bool(u), comment=m, source=s)
                for i, a, c, u, m, s in rows]

    def purge(self, before: float) -> int:
        """Delete answers and feedback recorded before ``before`` (epoch seconds); how many answers went."""
        with self._lock:
            cur = self._db.execute("DELETE FROM answers WHERE created < ?", (before,))
            self._db.execute("DELETE FROM feedback WHERE created < ?", (before,))
        return cur.rowcount

    def ping(self) -> None:
        """Raise if the database cannot be read (readiness checks)."""
        with self._lock:
            self._db.execute("SELECT 1").fetchone()

    def close(self) -> None:
        self._db.close()
