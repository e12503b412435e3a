"""Attacks on the chat page's own (Gradio) routes: uploads are closed, nothing is stored, no server path leaks."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from harness.servers import serve, ui_app

# Any absolute server path a response might disclose: temp folders, the data directory, the checkout.
# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


_SERVER_PATH = re.compile(r"(/tmp/|/var/|/home/|/root/|/work/|/usr/|/etc/|gradio/[0-9a-f]{16,})")


def _files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def test_upload_routes_are_closed_and_store_nothing(bot):
    from gradio.utils import get_upload_folder

    upload_dir = Path(get_upload_folder())
    before = _files(upload_dir)
    with serve(ui_app(bot, api_keys=["k-ask:ask"])) as url:
        bodies = []
        with httpx.Client(base_url=url, timeout=30) as http:
            for n in range(60):
                for route in ("/gradio_api/upload", "/gradio_api/upload?upload_id=x", "//gradio_api//upload/"):
                    r = http.post(url + route, files={"files": (f"evil{n}.html", b"<script>alert(1)</script>", "text/html")})
                    assert r.status_code == 404, (route, r.status_code, r.text)
                    assert r.json()["error"]["code"] == "route_closed", (route, r.text)
                    bodies.append(r.text)
            # with a valid API key too: the page takes no files from anyone
            r = http.post("/gradio_api/upload", files={"files": ("a.txt", b"x")}, headers={"Authorization": "Bearer k-ask"})
            assert r.status_code == 404
            for route in ("/gradio_api/upload_progress?upload_id=x", "/gradio_api/process_recording",
                          "/gradio_api/stream/abc", "/gradio_api/component_server", "/gradio_api/vibe-edit",
                          "/gradio_api/run-history/connect"):
                r = http.request("GET" if "progress" in route else "POST", route, content=b"x" * 100)
                assert r.status_code == 404, (route, r.status_code)
                bodies.append(r.text)
            r = http.post("/gradio_api/upload", files={"files": ("a.txt", b"x")}, headers={"Accept-Language": "zh-CN"})
            assert "不接受上传" in r.json()["error"]["message"]
            # What the page does serve discloses no server path either.
            for route in ("/", "/config", "/gradio_api/info", "/gradio_api/file=/etc/passwd",
                          f"/gradio_api/file={upload_dir}/x.html"):
                r = http.get(route)
                assert r.status_code != 500, route
                bodies.append(r.text)
        # The page itself still answers.
        tab = Client(url + "/", verbose=False)
        history, _ = tab.predict("住房补贴每月多少钱？", None, api_name="/ask")
        assert history
    for body in bodies:
        assert not _SERVER_PATH.search(body), body[:500]
        assert str(bot.settings.data_dir) not in body
    assert _files(upload_dir) == before  # nothing accumulated


def test_page_cache_expires(bot):
    from ui.chat import build_ui

    blocks = build_ui(bot)
    assert blocks.delete_cache is not None
    frequency, age = blocks.delete_cache
    assert 0 < frequency <= 24 * 3600 and 0 < age <= 24 * 3600
