"""Conversation history in the database (OPC_DATABASE_URL): survives restarts, shared by workers and hosts.

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
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, select, update

from assistant.errors import InvalidSessionId, NotFound
from assistant.store.database import Database
from assistant.store.models import sessions, turns
from assistant.types import Answer, Turn
from assistant.understanding.redact import redact

if TYPE_CHECKING:
    from assistant.store.feedback import FeedbackStore

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
    """Conversations in the database (``assistant.store.database``): shared by every worker and host."""

    def __init__(self, db: Database, max_turns: int = 20) -> None:
        self.db = db
        self.max_turns = max_turns

    def create(self, owner: str) -> str:
        """A new, empty conversation for ``owner``; its id (about 190 random bits) is the only way back to it."""
        session_id = "s" + secrets.token_urlsafe(24)
        now = time.time()
        self.db.run(lambda c: c.execute(sessions.insert().values(id=session_id, owner=_owner_key(owner),
                                                                 created=now, updated=now)), write=True)
        return session_id

    def check(self, session_id: str, owner: str | None) -> None:
        """NotFound unless the session exists and belongs to ``owner`` (None: any owner, for admins)."""
        check_session_id(session_id)
        row = self.db.run(lambda c: c.execute(select(sessions.c.owner).where(sessions.c.id == session_id)).first())
        if row is None or (owner is not None and not secrets.compare_digest(row[0], _owner_key(owner))):
            raise NotFound(NO_SUCH_SESSION)

    def history(self, session_id: str) -> list[Turn]:
        """The session's turns, oldest first ([] for a session without turns). Callers check ownership first."""
        check_session_id(session_id)
        rows: Sequence[tuple[Any, ...]] = self.db.run(lambda c: c.execute(
            select(turns.c.n, turns.c.created, turns.c.question, turns.c.standalone, turns.c.answer)
            .where(turns.c.session_id == session_id).order_by(turns.c.n)).all())
        return [Turn(n=n, created=created, question=q, standalone_question=s, answer=Answer.model_validate_json(a))
                for n, created, q, s, a in rows]

    def get(self, session_id: str, owner: str | None) -> list[Turn]:
        self.check(session_id, owner)
        turns_ = self.history(session_id)
        if not turns_:
            raise NotFound(NO_SUCH_SESSION)
        return turns_

    def append(self, session_id: str, answer: Answer) -> Turn:
        check_session_id(session_id)
        stored = redacted(answer)
        created = time.time()

        def work(conn: Connection) -> int:
            # The session's row lock (PostgreSQL) / the write lock (SQLite) orders turns appended at once,
            # from any worker or host, so numbers never collide.
            conn.execute(select(sessions.c.id).where(sessions.c.id == session_id).with_for_update())
            last: int = conn.execute(select(func.coalesce(func.max(turns.c.n), 0))
                                .where(turns.c.session_id == session_id)).scalar_one()
            conn.execute(turns.insert().values(session_id=session_id, n=last + 1, created=created,
                                               question=stored.question, standalone=stored.standalone_question,
                                               answer=stored.model_dump_json()))
            conn.execute(delete(turns).where(turns.c.session_id == session_id,
                                             turns.c.n <= last + 1 - self.max_turns))
            conn.execute(update(sessions).where(sessions.c.id == session_id).values(updated=created))
            return last + 1

        n: int = self.db.run(work, write=True)
        return Turn(n=n, created=created, question=stored.question,
                    standalone_question=stored.standalone_question, answer=stored)

    def delete(self, session_id: str, owner: str | None) -> bool:
        """Forget a conversation of ``owner`` (None: anyone's); False when there is none to forget."""
        try:
            self.check(session_id, owner)
        except NotFound:
            return False

        def work(conn: Connection) -> None:
            conn.execute(delete(turns).where(turns.c.session_id == session_id))
            conn.execute(delete(sessions).where(sessions.c.id == session_id))

        self.db.run(work, write=True)
        return True

    def purge(self, before: float) -> int:
        """Delete conversations idle since before ``before`` (epoch seconds), and turns of no known session."""

        def work(conn: Connection) -> int:
            gone: int = conn.execute(delete(sessions).where(sessions.c.updated < before)).rowcount
            conn.execute(delete(turns).where(turns.c.session_id.not_in(select(sessions.c.id))))
            return gone

        return self.db.run(work, write=True)

    def ping(self) -> None:
        """Raise if the database cannot be read (readiness checks)."""
        self.db.ping()

    def close(self) -> None:
        pass  # the engine belongs to the process (assistant.store.database.open_database)


def purge_expired(sessions: SessionStore, feedback: FeedbackStore, days: float) -> dict[str, int]:
    """Retention: conversations idle, and answers/feedback recorded, more than ``days`` ago are deleted."""
    before = time.time() - 86400 * days
    return {"sessions": sessions.purge(before), "answers": feedback.purge(before)}
