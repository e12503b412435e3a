"""Answers and founders' feedback on them, in the database (OPC_DATABASE_URL).

Every answer is recorded (question redacted) so that feedback can name it by id and evaluators can
read what was judged. Shared by the API and the chat UI through ``Assistant.feedback``, and by every
host: feedback on an answer another host gave is accepted.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, select

from assistant.errors import DatabaseUnavailable, InvalidFeedback, NotFound
from assistant.store.database import Database
from assistant.store.models import answers, feedback
from assistant.store.storage import is_storage_error
from assistant.types import Answer, Feedback
from assistant.understanding.redact import redact

MAX_COMMENT_CHARS = 2000
MAX_PENDING = 10_000  # answers waiting for the writer; beyond this (database down for long) the oldest go
log = logging.getLogger(__name__)


class FeedbackStore:
    """The answer log and feedback. ``flush_seconds`` > 0: answers are written by a background thread in one
    transaction per batch, off the request path (under load, one write transaction per answer from every
    worker queued behind SQLite's write lock and made the slowest answers slower); 0 writes each at once."""

    def __init__(self, db: Database, flush_seconds: float = 0.0) -> None:
        self.db = db
        self.flush_seconds = flush_seconds
        self._pending: dict[str, dict[str, Any]] = {}
        self._cond = threading.Condition()
        self._writer: threading.Thread | None = None
        self._failing = False  # the last write was refused (logged once per outage)
        if flush_seconds > 0:
            atexit.register(self.flush)  # a worker stopped gracefully writes what it holds

    def record_answer(self, answer: Answer) -> None:
        """Keep the answer (with personal data in the question redacted) so feedback can refer to it."""
        stored = answer.model_copy(update={"question": redact(answer.question)})
        row = {"created": time.time(), "language": answer.language, "answerable": bool(answer.answerable),
               "mode": answer.mode, "question": stored.question, "answer": stored.model_dump_json()}
        if self.flush_seconds <= 0:
            # Answer ids are fresh per answer: an insert, with an update only for the rare id given twice.
            self.db.run(lambda c: _upsert(c, answer.id, row), write=True)
            return
        with self._cond:
            if len(self._pending) >= MAX_PENDING:
                self._pending.pop(next(iter(self._pending)))
            self._pending[answer.id] = row
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._write_loop, name="answer-log", daemon=True)
                self._writer.start()
            self._cond.notify()

    def flush(self, raise_errors: bool = False) -> None:
        """Write every answer still waiting (before feedback is looked up, and at exit). A batch the database
        refuses (down, disk full) waits for the next try, so an answer given before an outage can still be
        voted on after it; ``raise_errors``: say why to the caller too."""
        with self._cond:
            batch, self._pending = self._pending, {}
        if not batch:
            return
        try:
            # the list only drives the loop (_upsert returns nothing)
            self.db.run(lambda c: [_upsert(c, answer_id, row)  # type: ignore[func-returns-value]
                                   for answer_id, row in batch.items()], write=True)
        except Exception as exc:  # best-effort, as the synchronous write is: the answers were already given
            if not (isinstance(exc, DatabaseUnavailable) or is_storage_error(exc)):
                log.warning("answer log: %d answer(s) not written (%s)", len(batch), exc)  # never retried
                if raise_errors:
                    raise
                return
            with self._cond:
                batch.update(self._pending)  # older first; newer answers keep their place after them
                while len(batch) > MAX_PENDING:
                    batch.pop(next(iter(batch)))
                self._pending = batch
                if not self._failing:
                    log.warning("answer log: %d answer(s) not written yet (%s); will retry", len(batch), exc)
                self._failing = True
            if raise_errors:
                raise
            return
        self._failing = False

    def _write_loop(self) -> None:
        while True:
            with self._cond:
                while not self._pending:
                    self._cond.wait()
            # gather the answers of this interval into one transaction; retry a refused batch less often
            time.sleep(self.flush_seconds if not self._failing else max(1.0, self.flush_seconds))
            self.flush()

    def _stored(self, answer_id: str) -> str | None:
        with self._cond:
            waiting = answer_id in self._pending
        if waiting:
            self.flush(raise_errors=True)
        query = select(answers.c.answer).where(answers.c.id == answer_id)
        row = self.db.run(lambda c: c.execute(query).first())
        # Another worker or host may still hold it for about one interval: look again for a few intervals.
        deadline = time.monotonic() + 3 * self.flush_seconds + 0.1
        while row is None and self.flush_seconds > 0 and time.monotonic() < deadline:
            time.sleep(self.flush_seconds / 2)
            row = self.db.run(lambda c: c.execute(query).first())
        return None if row is None else row[0]

    def answer(self, answer_id: str) -> Answer:
        stored = self._stored(answer_id)
        if stored is None:
            raise _unknown(answer_id)
        return Answer.model_validate_json(stored)

    def add(self, answer_id: str, useful: bool, comment: str | None = None, source: str = "api") -> Feedback:
        if not isinstance(useful, bool):
            raise InvalidFeedback("Feedback needs 'useful': true or false.")
        comment = (comment or "").strip() or None
        if comment is not None and len(comment) > MAX_COMMENT_CHARS:
            raise InvalidFeedback(f"A feedback comment is at most {MAX_COMMENT_CHARS} characters.")
        created = time.time()
        comment = redact(comment) if comment else None
        if self._stored(answer_id) is None:
            raise _unknown(answer_id)

        def work(conn: Connection) -> int:
            if conn.execute(select(answers.c.id).where(answers.c.id == answer_id)).first() is None:
                raise _unknown(answer_id)
            new_id: int = conn.execute(feedback.insert().values(answer_id=answer_id, created=created, useful=useful,
                                                                comment=comment, source=source)
                                       .returning(feedback.c.id)).scalar_one()
            return new_id

        new_id = self.db.run(work, write=True)
        return Feedback(id=new_id, answer_id=answer_id, useful=useful, comment=comment, source=source, created=created)

    def list(self, answer_id: str | None = None) -> list[Feedback]:
        self.flush()
        query = select(feedback.c.id, feedback.c.answer_id, feedback.c.created, feedback.c.useful, feedback.c.comment,
                       feedback.c.source).order_by(feedback.c.id)
        if answer_id is not None:
            query = query.where(feedback.c.answer_id == answer_id)
        rows: Sequence[tuple[Any, ...]] = self.db.run(lambda c: c.execute(query).all())
        return [Feedback(id=i, answer_id=a, created=c, useful=bool(u), comment=m, source=s)
                for i, a, c, u, m, s in rows]

    def purge(self, before: float) -> int:
        """Delete answers and feedback recorded before ``before`` (epoch seconds); how many answers went."""
        self.flush()

        def work(conn: Connection) -> int:
            gone: int = conn.execute(delete(answers).where(answers.c.created < before)).rowcount
            conn.execute(delete(feedback).where(feedback.c.created < before))
            return gone

        return self.db.run(work, write=True)

    def ping(self) -> None:
        """Raise if the database cannot be read (readiness checks)."""
        self.db.ping()

    def close(self) -> None:
        self.flush()  # the engine belongs to the process (assistant.store.database.open_database)


def _unknown(answer_id: str) -> NotFound:
    return NotFound(f"No answer with id {answer_id!r}: feedback must name an answer this assistant gave.")


def _upsert(conn: Connection, answer_id: str, row: dict[str, Any]) -> None:
    if conn.dialect.name == "postgresql":
        # imported here: only the dialect of the configured database is loaded
        from sqlalchemy.dialects.postgresql import insert
    else:
        # the two dialects' Insert differ in type, not in on_conflict_do_update's arguments used here
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    stmt = insert(answers).values(id=answer_id, **row)
    conn.execute(stmt.on_conflict_do_update(index_elements=[answers.c.id], set_=row))
