"""The database: sessions, the answer log with feedback, and added documents.

``OPC_DATABASE_URL`` names it: by default an SQLite file in the data directory (embedded, nothing to start);
``postgresql://user:password@host:5432/opc`` for several hosts. ``open_database`` checks the URL and the
connection before anything is written, then brings the schema up to date (Alembic, ``migrate.py``).
Every statement runs through ``Database.run``: one transaction, retried once when the connection turned
out to be dead (a restarted server), and failures become ``DatabaseUnavailable`` with a one-line reason.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from assistant.errors import ConfigError, DatabaseUnavailable
from assistant.store import models
from assistant.store.storage import is_storage_error

if TYPE_CHECKING:
    from assistant.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
SCHEMES = ("sqlite", "postgresql")
_CREDENTIALS = ("password authentication failed", "authentication failed", "no password supplied",
                "role \"", "peer authentication")


def database_url(settings: Settings) -> str:
    """The configured URL, or the default SQLite file in the data directory."""
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{Path(settings.data_dir).resolve() / 'opc.sqlite3'}"


def parse_url(text: str) -> URL:
    """A URL SQLAlchemy can use with our drivers (psycopg 3 for PostgreSQL); ConfigError otherwise."""
    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError):
        raise ConfigError(f"OPC_DATABASE_URL {text!r} is not a database URL: use sqlite:///path/opc.sqlite3 or "
                          "postgresql://user:password@host:5432/dbname.") from None
    backend = url.get_backend_name()
    if backend == "postgres":  # the old spelling many providers still print
        url, backend = url.set(drivername="postgresql"), "postgresql"
    if backend not in SCHEMES or (url.get_driver_name() not in (url.get_dialect().driver, "psycopg", "pysqlite")):
        raise ConfigError(f"OPC_DATABASE_URL must start with sqlite:/// or postgresql://, not "
                          f"{url.drivername}:// (supported: SQLite, PostgreSQL through psycopg 3).")
    if backend == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
        if not url.host and not url.query.get("host"):
            raise ConfigError("OPC_DATABASE_URL names no PostgreSQL host: postgresql://user:password@host:5432/dbname.")
        if not url.database:
            raise ConfigError("OPC_DATABASE_URL names no database: postgresql://user:password@host:5432/dbname.")
    elif not url.database or url.database == ":memory:":
        raise ConfigError("OPC_DATABASE_URL for SQLite needs a file: sqlite:////absolute/path/opc.sqlite3 "
                          "(an in-memory database would lose everything at exit and is not shared by workers).")
    return url


def reason(exc: BaseException) -> str:
    """The first line of what the driver said, without the SQL SQLAlchemy appends."""
    inner = getattr(exc, "orig", None) or exc
    text = str(inner).strip().splitlines()
    if not text:
        return inner.__class__.__name__
    first = text[0].strip()
    # psycopg: 'connection failed: connection to server at "h", port p failed: FATAL:  <why>' → '<why>'
    if "FATAL:" in first:
        return first.split("FATAL:", 1)[1].strip()
    if first.startswith("connection failed:") and first.count("failed: ") > 1:
        return first.rsplit("failed: ", 1)[1].strip()
    return first


class Database:
    """One engine (a small connection pool) per process for the configured URL."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.shown = url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)
        self.dialect = url.get_backend_name()
        self.engine = _engine(url)
        self.read_only = False  # opened read-only on a full or read-only disk (see _read_only_sqlite)
        self._version = -1
        self._checked = float("-inf")
        self._version_lock = threading.Lock()

    def run(self, work: Callable[[Connection], T], write: bool = False) -> T:
        """``work(connection)`` in one transaction (``write``: take the write lock at once on SQLite, so a
        read-then-write never fails half way), retried once on a connection the server had dropped."""
        for attempt in (1, 2):
            try:
                with self.engine.connect() as conn:
                    if write:
                        conn = conn.execution_options(opc_write=True)
                    with conn.begin():
                        return work(conn)
            except DBAPIError as exc:
                if exc.connection_invalidated and attempt == 1:
                    log.warning("database connection lost (%s); retrying on a new one", reason(exc))
                    continue
                if isinstance(exc, IntegrityError):  # a broken invariant of ours, not the database's state
                    raise
                if isinstance(exc, OperationalError) or exc.connection_invalidated:
                    raise DatabaseUnavailable(f"The database does not answer ({reason(exc)}). "
                                              "Please try again shortly.") from exc
                raise DatabaseUnavailable(f"The database refused the operation ({reason(exc)}).") from exc
        raise AssertionError("unreachable: the second attempt returns or raises")  # for the type checker

    def check(self) -> None:
        """Connect once: a clear one-line error for an unreachable server or refused credentials."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except SQLAlchemyError as exc:
            why = reason(exc)
            if any(word in why.lower() for word in _CREDENTIALS):
                raise DatabaseUnavailable(f"The database at {self.shown} refused the credentials ({why}).") from None
            raise DatabaseUnavailable(f"Cannot reach the database at {self.shown} ({why}).") from None

    def ping(self) -> None:
        self.run(lambda c: c.exec_driver_sql("SELECT 1").scalar())

    def corpus_version(self, max_age: float = 0.0) -> int:
        """The corpus version every host follows: one primary-key read, at most every ``max_age`` seconds."""
        if max_age <= 0:  # the default: no lock, no cache, one read
            return self._read_version()
        if time.monotonic() - self._checked < max_age:
            return self._version
        with self._version_lock:
            if time.monotonic() - self._checked >= max_age:
                self._version = self._read_version()
                self._checked = time.monotonic()
        return self._version

    def _read_version(self) -> int:
        table = models.corpus_state
        version: int = self.run(lambda c: c.execute(select(table.c.version).where(table.c.id == 1)).scalar_one())
        return version

    def close(self) -> None:
        self.engine.dispose()


def _engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        Path(cast(str, url.database)).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # transactions are begun below, so SQLite DDL is transactional too
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # several worker processes read while one writes
            # FULL: every commit is on disk before it returns (NORMAL in WAL mode can lose the last commits to a
            # power cut), so a document acknowledged with 201 is never lost; commits here are few and small.
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("opc_write") else "BEGIN")

        return engine
    # No pre-ping (it would cost a round trip per request): a connection found dead is retried in ``run``.
    return create_engine(url, pool_size=5, max_overflow=10, pool_recycle=1800,
                         connect_args={"connect_timeout": 5, "application_name": "opc-assistant"})


_OPEN: dict[str, Database] = {}
_OPEN_LOCK = threading.Lock()


def open_database(settings: Settings, *, upgrade: bool = True) -> Database:
    """The process's database for ``settings`` (opened once per URL): the URL checked, connected, the
    schema upgraded, earlier files carried over. Raises ConfigError / DatabaseUnavailable, writing nothing."""
    # imported here, not at the top: legacy and migrate import this module (circular)
    from assistant.store.legacy import import_legacy
    from assistant.store.migrate import current, head
    from assistant.store.migrate import upgrade as run_upgrade

    text = database_url(settings)
    with _OPEN_LOCK:
        db = _OPEN.get(text)
        if db is not None:
            return db
        url = parse_url(text)
        if url.get_backend_name() == "sqlite" and settings.database_url is None:
            Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        db = Database(url)
        try:
            db.check()
        except DatabaseUnavailable as exc:
            db.close()
            db = _read_only_sqlite(url, exc)
        try:
            if upgrade and not db.read_only:
                try:
                    run_upgrade(db)
                    import_legacy(db, Path(settings.data_dir))
                except DatabaseUnavailable as exc:  # a full or read-only disk: fine if nothing was to change
                    if not _storage(exc) or current(db) != head():
                        raise
                    log.warning("the database cannot be written (%s); its schema is current", reason(exc))
        except BaseException:
            db.close()
            raise
        _OPEN[text] = db
        return db


def _storage(exc: BaseException) -> bool:
    return is_storage_error(exc)


def _read_only_sqlite(url: URL, exc: DatabaseUnavailable) -> Database:
    """An SQLite file on a full or read-only disk after a clean stop (no write-ahead log left) cannot be opened
    as usual: WAL mode must create its shared-memory file first. Its content is then all in the main file, so
    it is opened immutable (read-only, no side files): everything stored is read; every write fails as a
    read-only database does, which the callers treat as a full disk. Anything else: the error stands."""
    if url.get_backend_name() != "sqlite" or not _storage(exc):
        raise exc
    path = Path(cast(str, url.database))  # parse_url refused an SQLite URL without a file
    wal = path.with_name(path.name + "-wal")
    if not path.is_file() or (wal.exists() and wal.stat().st_size > 0):  # a log to replay: never read without it
        raise exc
    log.warning("the database file cannot be opened for writing (%s); opening it read-only", reason(exc))
    db = Database.__new__(Database)
    db.url, db.dialect, db.read_only = url, "sqlite", True
    db.shown = url.render_as_string(hide_password=True)
    db.engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(
        f"file:{path}?immutable=1", uri=True, check_same_thread=False))
    db._version, db._checked, db._version_lock = -1, float("-inf"), threading.Lock()
    db.check()
    return db


def forget(settings: Settings) -> None:
    """Close and drop the process's engine for ``settings`` (tests that restart a server, `opc db`)."""
    with _OPEN_LOCK:
        db = _OPEN.pop(database_url(settings), None)
    if db is not None:
        db.close()
