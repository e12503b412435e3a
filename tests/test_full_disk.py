"""A full disk, for real: the data directory on a small tmpfs (needs root; skipped where mount is refused).

Uploads get a clear 507 and nothing stored changes; questions are still answered (the conversation and the
answer log are best-effort); /readyz says read-only: the data directory cannot be written.
"""

from __future__ import annotations

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.api import create_app
from assistant.store.storage import NOT_SAVED
from harness import docfactory as f
from harness.disk import filled, tmpfs_with_index
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ADMIN = {"Authorization": "Bearer disk-admin"}


@pytest.fixture(scope="module")
def small_disk(bot, data_dir, tmp_path_factory):  # `bot` builds the session index copied here
    with tmpfs_with_index(tmp_path_factory.mktemp("small-disk"), "24m", data_dir / "index") as mount:
        yield mount



def test_full_disk_refuses_writes_but_answers(small_disk):
    settings = Settings(data_dir=small_disk, ui=False, api_keys=["disk-admin:admin"], rate_limit="",
                        rate_limit_per_user="")
    bot = Assistant.load(settings)
    with serve(create_app(settings, bot)) as base, httpx.Client(base_url=base, headers=ADMIN, timeout=120) as http:
        earlier = http.post("/v1/ask", json={"question": "住房补贴每月多少钱？"}).json()
        before = http.get("/v1/documents").json()
        with filled(small_disk):
            upload = http.post("/v1/documents", files={"file": ("措施.pdf", f.zh_policy_pdf(), "application/pdf")})
            assert upload.status_code == 507, upload.text
            error = upload.json()["error"]
            assert error["code"] == "storage_full" and str(small_disk) not in error["message"]
            assert http.get("/v1/documents").json() == before  # nothing half-added
            ask = http.post("/v1/ask", json={"question": "How much is the monthly housing subsidy?"})
            assert ask.status_code == 200 and ask.json()["answerable"]
            chat = http.post("/v1/chat", json={"question": "住房补贴每月多少钱？"})
            assert chat.status_code == 200 and "1250元" in chat.json()["answer"]
            assert set(chat.json()["warnings"]) <= {NOT_SAVED["zh"]}
            feedback = http.post("/v1/feedback", json={"answer_id": earlier["id"], "useful": True})
            assert feedback.status_code in (201, 507)  # SQLite may still fit one row in its WAL
            ready = http.get("/readyz")  # still routed to (answers go on), but says it cannot take writes
            assert ready.status_code == 200 and ready.json()["status"] == "read-only", ready.text
            assert "not writable" in ready.json()["problem"] and str(small_disk) not in ready.text
        assert http.get("/readyz").json()["status"] == "ready"  # space again: ready again, and writes work
        added = http.post("/v1/documents", files={"file": ("措施.pdf", f.zh_policy_pdf(), "application/pdf")})
        assert added.status_code == 201, added.text
