"""The operator's console and the API docs in a real browser (Debian's Chromium) against a real server, with
every request to anywhere but loopback blocked: what an operator on an offline network sees.

Screenshots land in test-artifacts/screenshots/ for review.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import urlparse

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.api import create_app
from harness import docfactory as f
from harness.servers import serve

from .test_ui_browser import ARGS, CHROMIUM, SHOTS

pytestmark = [pytest.mark.system, pytest.mark.skipif(not CHROMIUM or not __import__("pathlib").Path(CHROMIUM).exists(),
                                reason="needs Chromium (make test installs it: apt-get install chromium)")]
ADMIN = "browser-admin-key"
REFUSED = "What is the visa policy for foreign founders?"
# The plan is valid to the end of 2027: on this day it expires within the console's 30-day window.
TODAY = date(2027, 12, 10)


@pytest.fixture(scope="module")
def site(seeded_data_dir):
    settings = Settings(data_dir=seeded_data_dir("opc-console-browser"), ui=False, api_keys=[f"{ADMIN}:admin"],
                        rate_limit="", rate_limit_per_user="", today=TODAY)
    with serve(create_app(settings, Assistant.load(settings))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Offline:
    """A browser context where every request off loopback is refused (and remembered)."""

    def __init__(self, browser, width: int = 1400, height: int = 1000) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        self.blocked: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)

    def _route(self, route) -> None:
        url = route.request.url
        if urlparse(url).hostname in ("127.0.0.1", "localhost") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def tab(browser):
    t = Offline(browser)
    yield t
    t.context.close()


def test_console_lists_added_documents_refusals_exports_csv_and_uploads(tab, site):
    with httpx.Client(base_url=site, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=120) as http:
        added = http.post("/v1/documents", files={"file": ("nanshan.docx", f.docx_bytes())})
        assert added.status_code == 201, added.text
        doc = added.json()
        assert http.post("/v1/ask", json={"question": REFUSED}).json()["answerable"] is False

    page = tab.page
    page.goto(f"{site}/admin/")
    page.fill("input[name=key]", ADMIN)
    page.click("button[type=submit]")
    page.wait_for_selector("#library")
    # The document added through the API is listed, with its issuer and a remove button.
    row = page.locator(f"tr.document[data-doc='{doc['id']}']")
    assert row.count() == 1 and row.locator("button.remove").count() == 1
    title = doc["title"].get("zh") or doc["title"].get("en")
    assert title in row.inner_text()
    plan = page.locator("tr.document[data-doc='sz-ai-opc-plan']")
    assert "expires in 21 days" in plan.inner_text() and plan.locator("button.remove").count() == 0
    # The refused question, counted.
    refused = page.locator("#unanswered tr.unanswered", has_text=REFUSED)
    assert refused.count() == 1 and refused.locator("td").nth(1).inner_text() == "1"
    tab.shot("console")
    # The CSV export downloads, with the question in it.
    with page.expect_download() as caught:
        page.click("#export-unanswered")
    download = caught.value
    assert download.suggested_filename == f"opc-unanswered-{TODAY.isoformat()}.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert rows[0][0] == "question" and any(r[0] == REFUSED and r[1] == "1" for r in rows[1:])

    # Upload from the console: a batch job runs, the page follows it, and the new document appears.
    page.set_input_files("#upload-form input[name=files]", files=[{
        "name": "nanshan-en.html", "mimeType": "text/html", "buffer": f.en_policy_html().encode()}])
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#status:has-text('started')")
    page.wait_for_selector("tr.job[data-status=done]", timeout=180_000)
    page.wait_for_function("document.querySelectorAll('tr.document button.remove').length >= 2", timeout=60_000)
    assert page.locator("tr.job[data-status=done] td").nth(4).inner_text() == "1"  # added
    new_ids = {b.get_attribute("data-doc") for b in page.locator("tr.document button.remove").all()} - {doc["id"]}
    assert new_ids == {"nanshan-en"}  # named after the uploaded file, as a single upload would be
    tab.shot("console-after-upload")

    # Removal through the console's button (the DELETE route), confirmed in the dialog.
    page.on("dialog", lambda dialog: dialog.accept())
    gone = new_ids.pop()
    page.click(f"button.remove[data-doc='{gone}']")
    page.wait_for_function(f"!document.querySelector(\"tr.document[data-doc='{gone}']\")")
    assert page.locator(f"tr.document[data-doc='{doc['id']}']").count() == 1
    assert tab.blocked == []  # the console asked nothing of the outside world


def test_api_docs_render_offline(tab, site):
    page = tab.page
    page.goto(f"{site}/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "OPC Policy Assistant API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-summary-path[data-path='/v1/chat/completions']")
    assert page.locator(".opblock").count() >= 15
    tab.shot("swagger-offline")
    page.goto(f"{site}/redoc")
    page.wait_for_selector("h1:has-text('OPC Policy Assistant API')", timeout=60_000)
    page.locator("h2", has_text="OpenAI-compatible chat completion").first.wait_for()
    tab.shot("redoc-offline")
    assert tab.blocked == []  # Swagger UI and ReDoc, all from this server
