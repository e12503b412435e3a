"""Schema migrations (Alembic, scripts in ``migrations/`` inside the package): run at start and by
``opc db upgrade``. The whole upgrade is one transaction under a lock, so hosts starting together
migrate once, and a failing script leaves the previous schema (PostgreSQL's DDL is transactional)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import DatabaseUnavailable
from assistant.store.database import Database, reason

SCRIPTS = Path(__file__).resolve().parent / "migrations"
_LOCK_KEY = 713_013  # any constant: the advisory lock hosts hold while migrating


def _config(conn: Connection | None, scripts: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    cfg.attributes["connection"] = conn
    return cfg


def head(scripts: Path = SCRIPTS) -> str | None:  # None only for a folder without scripts
    return ScriptDirectory.from_config(_config(None, scripts)).get_current_head()


def current(db: Database) -> str | None:
    """The revision the database is at (None: no schema yet)."""
    return db.run(lambda conn: MigrationContext.configure(conn).get_current_revision())


def upgrade(db: Database, scripts: Path = SCRIPTS) -> tuple[str | None, str | None]:
    """Bring the schema to the newest revision; (before, after). Nothing changes when a script fails."""

    def work(conn: Connection) -> tuple[str | None, str | None]:
        if db.dialect == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        before = MigrationContext.configure(conn).get_current_revision()
        command.upgrade(_config(conn, scripts), "head")
        return before, MigrationContext.configure(conn).get_current_revision()

    try:
        return db.run(work, write=True)
    except DatabaseUnavailable:
        raise
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(f"Upgrading the database schema failed ({reason(exc)}); "
                                  "the previous schema is unchanged.") from exc
    except Exception as exc:  # a migration script's own error
        raise DatabaseUnavailable(f"Upgrading the database schema failed ({exc.__class__.__name__}: {exc}); "
                                  "the previous schema is unchanged.") from exc
