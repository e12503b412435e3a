"""Embedding the chat page: /?embed=1 at 375 px inside an iframe on another origin (a second loopback server
serving the host page), allowed when OPC_FRAME_ANCESTORS lists that origin and blocked when it does not;
the frame headers themselves for each setting. Headless Chromium (Debian's) against real servers."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from assistant import Settings
from harness.servers import serve, ui_app

from .test_ui_browser import ARGS, CHROMIUM, SHOTS

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


IFRAME = '<iframe id="opc" src="{src}" title="OPC" style="width:375px;height:667px;border:0"></iframe>'


@contextlib.contextmanager
def host_site(frame_src: str) -> Iterator[tuple[str, list[str]]]:
    """A web site on its own loopback port whose page frames ``frame_src``; yields its origin and a list
    that fills with the URL of the framed page once the host page is asked for it."""
    page = f"<!doctype html><html><body style='margin:0'><h1>Host</h1>{IFRAME}</body></html>".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page.replace(b"{src}", self.server.frame_src.encode())
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.frame_src = frame_src
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Chromium (make test installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def sites(bot):
    """Two host sites on other origins; the chat page (UI + API) lets only the first one frame it."""
    with host_site("") as (allowed, allowed_server), host_site("") as (other, other_server):
        with serve(ui_app(bot, frame_ancestors=[allowed])) as app_url:
            allowed_server.frame_src = other_server.frame_src = f"{app_url}/?embed=1&lang=en"
            yield {"app": app_url, "allowed": allowed, "other": other}


def open_host(browser, url: str):
    context = browser.new_context(viewport={"width": 414, "height": 800}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    return context, page


def test_embed_mode_in_an_allowed_iframe_at_375_px(browser, sites):
    context, page = open_host(browser, sites["allowed"])
    try:
        frame = page.frame_locator("#opc")
        frame.locator("#opc-question textarea").wait_for()
        chat = page.frame(url=lambda u: u.startswith(sites["app"]))
        assert chat is not None and "embed=1" in chat.url
        assert chat.evaluate("document.documentElement.classList.contains('opc-embed')")
        assert not frame.locator("#opc-header").is_visible()  # no page header ...
        assert frame.locator("#opc-notice").is_visible()  # ... but the notice stays
        # ?lang=en: the interface is English
        chat.wait_for_function("document.querySelector('#opc-send').innerText.trim() === 'Send'")
        frame.locator("#opc-question textarea").fill("How much is the monthly housing subsidy?")
        frame.locator("#opc-question textarea").press("Enter")
        answer = frame.locator(".bot .opc-answer:not(.opc-streaming)").last
        answer.wait_for()
        assert "1,250 yuan" in answer.inner_text()
        # A follow-up in the same frame keeps the conversation.
        frame.locator("#opc-question textarea").fill("and for how long?")
        frame.locator("#opc-question textarea").press("Enter")
        chat.wait_for_function("document.querySelectorAll('.bot .opc-answer:not(.opc-streaming)').length === 2")
        width = chat.evaluate("""() => {
            const doc = document.documentElement;
            const wide = [...document.querySelectorAll('body *')].filter(e => {
                const r = e.getBoundingClientRect();
                return r.width > 0 && (r.right > doc.clientWidth + 1 || r.left < -1);
            }).map(e => e.tagName + '.' + e.className);
            return {client: doc.clientWidth, scroll: doc.scrollWidth, wide: wide.slice(0, 5)};
        }""")
        assert width["client"] == 375 and width["scroll"] <= 375 and width["wide"] == [], width
        assert frame.locator("#opc-send").is_visible()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "embed-iframe-375.png"), full_page=True)
    finally:
        context.close()


def test_a_site_not_listed_cannot_frame_the_page(browser, sites):
    context, page = open_host(browser, sites["other"])
    try:
        page.wait_for_load_state("load")
        page.wait_for_timeout(1500)
        frame = page.query_selector("#opc").content_frame()
        # Chromium replaces a frame that frame-ancestors refuses with its own error page.
        assert frame is not None and not frame.url.startswith(sites["app"]), frame.url
        assert frame.query_selector("#opc-question") is None
    finally:
        context.close()
    # The same page opened directly (a top-level tab, not framed) works as always.
    context, page = open_host(browser, f"{sites['app']}/?embed=1")
    try:
        page.locator("#opc-question textarea").wait_for()
        assert not page.locator("#opc-header").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize(("ancestors", "csp", "xfo"), [
    ([], "frame-ancestors 'self'", "SAMEORIGIN"),
    (["https://mp.example.com", "https://*.example.cn:8443"],
     "frame-ancestors 'self' https://mp.example.com https://*.example.cn:8443", None),
    (["*"], "frame-ancestors 'self' *", None),
    (["none"], "frame-ancestors 'none'", "DENY"),
])
def test_frame_headers_follow_the_setting(bot, ancestors, csp, xfo):
    with serve(ui_app(bot, ui=False, frame_ancestors=ancestors)) as url:
        for path in ("/healthz", "/v1/models", "/docs"):
            r = httpx.get(url + path)
            assert r.headers["content-security-policy"] == csp
            assert r.headers.get("x-frame-options") == xfo


@pytest.mark.parametrize("bad", ["https://a.example.com/chat", "https://a.example.com; script-src *", "*,https://a.cn",
                                 "javascript:alert(1)", "a.example.com"])
def test_bad_frame_ancestors_are_refused_at_start(bad):
    with pytest.raises(ValueError, match="OPC_FRAME_ANCESTORS"):
        Settings(frame_ancestors=bad)
