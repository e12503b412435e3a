"""Carrying over the SQLite files of earlier releases (``sessions.sqlite3``, ``feedback.sqlite3`` in the data
directory) into the database, once: each file is renamed ``*.imported`` after its rows are committed, and
kept as a backup. Rows already in the database (an import retried after a crash) are skipped."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from assistant.store.database import Database
from assistant.store.models import answers, feedback, sessions, turns

log = logging.getLogger(__name__)


def _rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(query).fetchall()
    except sqlite3.OperationalError:  # a table the old file never had
        return []
    finally:
        con.close()


def _done(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        old = path.with_name(path.name + suffix)
        if old.exists():
            old.rename(old.with_name(old.name + ".imported"))


def _import_sessions(db: Database, path: Path) -> int:
    heads = _rows(path, "SELECT id, owner, created, updated FROM sessions")
    body = _rows(path, "SELECT session_id, n, created, question, standalone, answer FROM turns")

    def work(conn: Connection) -> int:
        have: set[str] = set(conn.execute(select(sessions.c.id)).scalars())
        new = [dict(id=i, owner=o, created=c, updated=u) for i, o, c, u in heads if i not in have]
        if new:
            conn.execute(sessions.insert(), new)
        ids = {r["id"] for r in new}
        rows = [dict(session_id=s, n=n, created=c, question=q, standalone=st, answer=a)
                for s, n, c, q, st, a in body if s in ids]
        if rows:
            conn.execute(turns.insert(), rows)
        return len(new)

    return db.run(work, write=True)


def _import_feedback(db: Database, path: Path) -> int:
    logged = _rows(path, "SELECT id, created, language, answerable, mode, question, answer FROM answers")
    votes = _rows(path, "SELECT answer_id, created, useful, comment, source FROM feedback ORDER BY id")

    def work(conn: Connection) -> int:
        have: set[str] = set(conn.execute(select(answers.c.id)).scalars())
        new = [dict(id=i, created=c, language=lg, answerable=None if a is None else bool(a), mode=m, question=q,
                    answer=ans) for i, c, lg, a, m, q, ans in logged if i not in have]
        if new:
            conn.execute(answers.insert(), new)
        seen = {tuple(r) for r in conn.execute(select(feedback.c.answer_id, feedback.c.created))}
        rows = [dict(answer_id=a, created=c, useful=bool(u), comment=cm, source=s)
                for a, c, u, cm, s in votes if (a, c) not in seen]
        if rows:
            conn.execute(feedback.insert(), rows)
        return len(new)

    return db.run(work, write=True)


def import_legacy(db: Database, data_dir: Path) -> dict[str, int]:
    """Import the data directory's old SQLite files, if any; how many sessions and answers came over."""
    done = {}
    for name, work in (("sessions", _import_sessions), ("answers", _import_feedback)):
        path = data_dir / f"{'sessions' if name == 'sessions' else 'feedback'}.sqlite3"
        if path.is_file():
            done[name] = work(db, path)
            _done(path)
            log.warning("carried %d %s over from %s into the database", done[name], name, path.name)
    return done
