"""Answers and founders' feedback on them, in the database (OPC_DATABASE_URL).

Every answer is recorded (question redacted) so that feedback can name it by id and evaluators can
read what was judged. Shared by the API and the chat UI through ``Assistant.feedback``, and by every
host: feedback on an answer another host gave is accepted.
"""

from __future__ import annotations

import time

from sqlalchemy import delete, select

from .db import Database
from .db.models import answers, feedback
from .errors import InvalidFeedback, NotFound
from .redact import redact
from .types import Answer, Feedback

MAX_COMMENT_CHARS = 2000


class FeedbackStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record_answer(self, answer: Answer) -> None:
        """Keep the answer (with personal data in the question redacted) so feedback can refer to it."""
        stored = answer.model_copy(update={"question": redact(answer.question)})
        row = {"created": time.time(), "language": answer.language, "answerable": bool(answer.answerable),
               "mode": answer.mode, "question": stored.question, "answer": stored.model_dump_json()}
        # Answer ids are fresh per answer: an insert, with an update only for the rare id given twice.
        self.db.run(lambda c: _upsert(c, answer.id, row), write=True)

    def answer(self, answer_id: str) -> Answer:
        row = self.db.run(lambda c: c.execute(select(answers.c.answer).where(answers.c.id == answer_id)).first())
        if row is None:
            raise NotFound(f"No answer with id {answer_id!r}: feedback must name an answer this assistant gave.")
        return Answer.model_validate_json(row[0])

    def add(self, answer_id: str, useful: bool, comment: str | None = None, source: str = "api") -> Feedback:
        if not isinstance(useful, bool):
            raise InvalidFeedback("Feedback needs 'useful': true or false.")
        comment = (comment or "").strip() or None
        if comment is not None and len(comment) > MAX_COMMENT_CHARS:
            raise InvalidFeedback(f"A feedback comment is at most {MAX_COMMENT_CHARS} characters.")
        created = time.time()
        comment = redact(comment) if comment else None

        def work(conn) -> int:
            if conn.execute(select(answers.c.id).where(answers.c.id == answer_id)).first() is None:
                raise NotFound(f"No answer with id {answer_id!r}: feedback must name an answer this assistant gave.")
            return conn.execute(feedback.insert().values(answer_id=answer_id, created=created, useful=useful,
                                                         comment=comment, source=source)
                                .returning(feedback.c.id)).scalar_one()

        new_id = self.db.run(work, write=True)
        return Feedback(id=new_id, answer_id=answer_id, useful=useful, comment=comment, source=source, created=created)

    def list(self, answer_id: str | None = None) -> list[Feedback]:
        query = select(feedback.c.id, feedback.c.answer_id, feedback.c.created, feedback.c.useful, feedback.c.comment,
                       feedback.c.source).order_by(feedback.c.id)
        if answer_id is not None:
            query = query.where(feedback.c.answer_id == answer_id)
        rows = self.db.run(lambda c: c.execute(query).all())
        return [Feedback(id=i, answer_id=a, created=c, useful=bool(u), comment=m, source=s)
                for i, a, c, u, m, s in rows]

    def purge(self, before: float) -> int:
        """Delete answers and feedback recorded before ``before`` (epoch seconds); how many answers went."""

        def work(conn) -> int:
            gone = conn.execute(delete(answers).where(answers.c.created < before)).rowcount
            conn.execute(delete(feedback).where(feedback.c.created < before))
            return gone

        return self.db.run(work, write=True)

    def ping(self) -> None:
        """Raise if the database cannot be read (readiness checks)."""
        self.db.ping()

    def close(self) -> None:
        pass  # the engine belongs to the process (assistant.db.open_database)


def _upsert(conn, answer_id: str, row: dict) -> None:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(answers).values(id=answer_id, **row)
    conn.execute(stmt.on_conflict_do_update(index_elements=[answers.c.id], set_=row))
