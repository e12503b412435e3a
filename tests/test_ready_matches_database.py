"""Ready means answering from every document the database holds: a host the shared corpus moved past (a document
added on another host) is not "ready" with fewer documents; /readyz follows first, then reports the count the
database implies. On SQLite and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.api import create_app
from assistant.store.documents import stored_ids
from harness.pg import postgres  # noqa: F401  (fixture)
from harness.servers import serve

from .test_database import POLICY, backend  # noqa: F401  (fixture)

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


def test_ready_lists_what_the_database_holds(backend, seeded_data_dir):  # noqa: F811
    url = backend()
    one = Assistant.load(Settings(data_dir=seeded_data_dir("ready-a"), database_url=url))
    shared = url or f"sqlite:///{one.settings.data_dir / 'opc.sqlite3'}"
    settings = Settings(data_dir=seeded_data_dir("ready-b"), database_url=shared, ui=False, rate_limit="",
                        rate_limit_per_user="")
    two = Assistant.load(settings)
    builtin = len(two.corpus.documents)
    info = one.add_document(POLICY.encode(), filename="nanshan-rent.md", title="南山区青年创业者租房补贴实施细则")
    with serve(create_app(settings, two)) as base, httpx.Client(base_url=base, timeout=120) as http:
        ready = http.get("/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "ready", ready.text
        assert ready.json()["documents"] == builtin + len(stored_ids(two.db)) == builtin + 1
        assert ready.json()["corpus_version"] == two.db.corpus_version()
        listed = {d["id"] for d in http.get("/v1/documents").json() if d["authority"] == "document"}
        assert listed == stored_ids(two.db) == {info.id}
    # A start whose folders lack a stored document fetches it before answering.
    three = Assistant.load(Settings(data_dir=seeded_data_dir("ready-c"), database_url=shared))
    assert {d.id for d in three.corpus.documents if d.authority == "document"} == {info.id}
