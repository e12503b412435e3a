"""Small real volumes for the full-disk and read-only tests: a tmpfs of a given size holding a copy of an index,
and a context that fills a file system to its last byte (needs root; skipped where mount is refused)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def tmpfs_with_index(mount: Path, size: str, index: Path) -> Iterator[Path]:
    """Mount a tmpfs of ``size`` (e.g. "8m") on ``mount`` with a copy of ``index``; unmount afterwards."""
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()})")
    try:
        shutil.copytree(index, mount / "index", ignore=shutil.ignore_patterns(".lock"))
        yield mount
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=False)  # a test may have made it read-only
        subprocess.run(["umount", "-l", str(mount)], check=False)


@contextlib.contextmanager
def filled(folder: Path) -> Iterator[None]:
    """Fill the file system holding ``folder`` to the last byte; free it again afterwards."""
    filler = folder / "filler.bin"
    with open(filler, "wb") as fh:
        with contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
    with contextlib.suppress(OSError):  # and the last few bytes
        with open(folder / "filler-2.bin", "wb") as fh:
            while True:
                fh.write(b"\0")
                fh.flush()
    try:
        yield
    finally:
        filler.unlink()
        (folder / "filler-2.bin").unlink(missing_ok=True)
