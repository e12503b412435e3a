"""A real PostgreSQL server for tests, started on loopback by the tests themselves.

The image's PostgreSQL binaries (``/usr/lib/postgresql/<v>/bin``, `make system-deps` installs them) run as the
``postgres`` user (``runuser``): a cluster in a temporary folder owned by it, a free port on 127.0.0.1, the
unix socket in the same folder, password authentication over TCP. ``fsync=off``: a test server, nothing to keep.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .servers import free_port

USER, PASSWORD = "opc", "opc-test-secret"


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class Postgres:
    def __init__(self) -> None:
        self.bin = pg_bin()
        # Not under pytest's tmp folder: the postgres user must be able to reach it (pytest's is mode 0700).
        self.base = Path(tempfile.mkdtemp(prefix="opc-pg-"))
        self.data, self.port = self.base / "data", free_port()
        os.chmod(self.base, 0o755)
        shutil.chown(self.base, "postgres", "postgres")
        pwfile = self.base / "pw"
        pwfile.write_text(PASSWORD + "\n")
        shutil.chown(pwfile, "postgres", "postgres")
        self._as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth-local=trust",
                          "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()
        self.psql(f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}'")

    def _as_postgres(self, *cmd: str) -> str:
        done = subprocess.run(["runuser", "-u", "postgres", "--", *cmd], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:2])} failed: {done.stderr or done.stdout}")
        return done.stdout

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.base / "log"),
                          "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def psql(self, sql: str, db: str = "postgres") -> str:
        return self._as_postgres(str(self.bin / "psql"), "-h", str(self.base), "-p", str(self.port), "-d", db,
                                 "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql)

    def create_database(self, name: str) -> str:
        """A fresh database owned by the test role; its URL."""
        self.psql(f"CREATE DATABASE {name} OWNER {USER}")
        return self.url(name)

    def url(self, name: str, password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        try:
            self.stop("immediate")
        except RuntimeError:
            pass
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    if pg_bin() is None:
        pytest.skip("PostgreSQL server binaries are not installed (/usr/lib/postgresql/*/bin/initdb): "
                    "`make system-deps` installs them")
    server = Postgres()
    try:
        yield server
    finally:
        server.close()
