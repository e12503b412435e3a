"""The keys file: deleting it revokes its keys; an edit that keeps its size and mtime is still noticed."""

from __future__ import annotations

import os
import time

import pytest

from assistant.api.security import KeyRing
from assistant.errors import ConfigError
from assistant.settings import Settings

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


def _ring(path, recheck=0.2) -> KeyRing:
    return KeyRing(Settings(api_keys=["static-key:ask"], api_keys_file=path, api_keys_file_recheck=recheck))


def test_deleting_the_file_revokes_its_keys_and_recreating_restores(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("file-key-1:admin\n", encoding="utf-8")
    ring = _ring(path)
    assert b"file-key-1" in ring.keys()
    path.unlink()
    keys = ring.keys()
    assert b"file-key-1" not in keys and b"static-key" in keys  # the environment's keys stay
    assert ring.configured  # still keyed: deleting the file never opens the API
    path.write_text("file-key-2:ask\n", encoding="utf-8")
    assert set(ring.keys()) == {b"static-key", b"file-key-2"}


def test_same_size_same_mtime_rewrite_is_noticed(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("aaaaaaaa:ask\n", encoding="utf-8")
    ring = _ring(path, recheck=0.3)
    st = path.stat()
    assert b"aaaaaaaa" in ring.keys()
    # Rewritten in place: same inode, same size, and the old modification time put back.
    with open(path, "r+b") as f:
        f.write(b"bbbbbbbb:ask\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)
    time.sleep(0.35)
    keys = ring.keys()
    assert b"bbbbbbbb" in keys and b"aaaaaaaa" not in keys


def test_broken_edit_keeps_previous_keys(tmp_path, caplog):
    path = tmp_path / "keys.txt"
    path.write_text("good-key:ask\n", encoding="utf-8")
    ring = _ring(path, recheck=0.05)
    path.write_text("not a key: at all\n", encoding="utf-8")
    for _ in range(5):
        assert b"good-key" in ring.keys()
        time.sleep(0.06)
    assert sum("not reloaded" in r.getMessage() for r in caplog.records) == 1  # reported once, not per check


def test_missing_file_at_start_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="OPC_API_KEYS_FILE"):
        _ring(tmp_path / "absent.txt")
