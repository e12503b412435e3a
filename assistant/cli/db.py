"""`opc db …`: the database's schema revision and upgrades."""

from __future__ import annotations

import typer

from assistant.cli.common import fail, out
from assistant.errors import OPCError
from assistant.settings import Settings
from assistant.store.database import open_database

db_app = typer.Typer(help="The database (OPC_DATABASE_URL): schema upgrades and the revision in use.",
                     no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema to this release (run it before starting upgraded hosts); carry over the
    data directory's conversation and answer files of earlier releases."""
    # imported here: Alembic loads only for the db commands
    from assistant.store.migrate import current

    try:
        db = open_database(Settings())
        out.print(f"Database {db.shown} is at revision {current(db)} (the newest).")
    except OPCError as exc:
        fail(exc)


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision and the newest this release knows, without changing anything."""
    # imported here: Alembic loads only for the db commands
    from assistant.store.migrate import current, head

    try:
        db = open_database(Settings(), upgrade=False)
        now, newest = current(db), head()
    except OPCError as exc:
        fail(exc)
        return
    state = "up to date" if now == newest else "run `opc db upgrade`"
    out.print(f"Database {db.shown}: revision {now or 'none (empty)'}; this release's newest: {newest} ({state}).")
