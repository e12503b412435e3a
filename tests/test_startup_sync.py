"""A start after a crash mid-batch: the database holds documents the index version ``CURRENT`` names does not
(the batch committed them, and was killed before indexing them). A storage error while starting on a disk
that can still be written — as a store reopened after ``kill -9`` can give once — must not make the start
read-only, which answers and lists only the index version's documents: it is started again, and serves every
document the database holds."""

from __future__ import annotations

import sqlite3

from assistant import Assistant, Settings
from assistant.library import startup
from assistant.library.index import SearchIndex
from assistant.store.database import forget
from assistant.store.documents import stored_ids
from bench.notices import notice


def _crashed_mid_batch(data_dir) -> set[str]:
    """A document committed (database and folder) while ``CURRENT`` still names the version before it."""
    settings = Settings(data_dir=data_dir)
    bot = Assistant.load(settings)
    before = (data_dir / "index" / "CURRENT").read_text(encoding="utf-8")
    first = notice(100)
    info = bot.add_document(first.text.encode(), filename=first.filename)
    (data_dir / "index" / "CURRENT").write_text(before, encoding="utf-8")  # the batch's index never written
    stored = stored_ids(bot.db)
    assert info.id in stored
    forget(settings)
    return stored


def test_a_transient_storage_error_at_start_does_not_hide_stored_documents(seeded_data_dir, monkeypatch):
    data_dir = seeded_data_dir("opc-start-after-crash")
    stored = _crashed_mid_batch(data_dir)
    real, calls = SearchIndex.open_or_build, []

    def once(*args, **kwargs):  # the reopened store fails once, as after a kill -9, on a writable disk
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.OperationalError("disk I/O error")
        return real(*args, **kwargs)

    monkeypatch.setattr(startup.SearchIndex, "open_or_build", once)
    settings = Settings(data_dir=data_dir)
    try:
        bot = Assistant.load(settings)
        assert bot.read_only is None  # the disk can be written: not a read-only start
        served = {d.id for d in bot.corpus.documents if d.authority == "document"}
        assert served == stored and set(bot.index.docs) == stored
    finally:
        forget(settings)


def test_a_full_disk_at_start_still_starts_read_only(seeded_data_dir, monkeypatch):
    """When the disk cannot be written the start is read-only, as before (answering from the index as it is)."""
    data_dir = seeded_data_dir("opc-start-full")
    _crashed_mid_batch(data_dir)

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(startup.SearchIndex, "open_or_build", full)
    monkeypatch.setattr(startup, "writable_problem", lambda data_dir: "the data directory is not writable")
    settings = Settings(data_dir=data_dir)
    try:
        bot = Assistant.load(settings)
        assert bot.read_only == "the data directory filled up while starting"
        assert not [d for d in bot.corpus.documents if d.authority == "document"]
    finally:
        forget(settings)
