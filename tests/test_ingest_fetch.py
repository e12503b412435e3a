"""URL fetching against a real HTTP server on 127.0.0.1: good pages, and every way a URL can be unusable."""

from __future__ import annotations

import socket

import pytest

from assistant.errors import DocumentTooLarge, FetchFailed, UnsupportedDocument
from assistant.ingest.extract import extract
from assistant.ingest.fetch import COULD_NOT_FETCH, fetch, is_url
from assistant.ingest.netguard import FetchPolicy

# The test server is on loopback, which the guard refuses unless the operator trusts it (OPC_FETCH_ALLOW).
# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


LOOPBACK = FetchPolicy(["127.0.0.1/32"])


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_fetch_html_page(doc_server):
    got = fetch(doc_server.url("/policies/nanshan-measures-en.html"), timeout=5, max_bytes=2_000_000, policy=LOOPBACK)
    assert got.filename == "nanshan-measures-en.html" and got.content_type == "text/html"
    assert "Article 3" in extract(got.data, got.filename, got.content_type).text


def test_fetch_pdf(doc_server):
    got = fetch(doc_server.url("/policies/futian-guidelines.pdf"), timeout=5, max_bytes=2_000_000, policy=LOOPBACK)
    assert got.data.startswith(b"%PDF") and got.filename == "futian-guidelines.pdf"


@pytest.mark.parametrize("path, error, words", [
    # One message for every network failure: a caller cannot map ports, paths or replies with it.
    ("/missing.html", FetchFailed, COULD_NOT_FETCH),
    ("/broken.html", FetchFailed, COULD_NOT_FETCH),
    ("/slow.html", FetchFailed, COULD_NOT_FETCH),
    ("/huge.pdf", DocumentTooLarge, "the limit is 1 MB"),
    ("/huge-undeclared.html", DocumentTooLarge, "download was stopped"),
    ("/photo.png", UnsupportedDocument, "not return a document we can read"),
])
def test_unusable_urls(doc_server, path, error, words):
    with pytest.raises(error) as info:
        fetch(doc_server.url(path), timeout=1, max_bytes=1_000_000, policy=LOOPBACK)
    assert words in str(info.value)


def test_unreachable_host():
    with pytest.raises(FetchFailed) as info:
        fetch(f"http://127.0.0.1:{_closed_port()}/policy.html", timeout=2, max_bytes=1_000_000, policy=LOOPBACK)
    assert str(info.value) == COULD_NOT_FETCH


@pytest.mark.parametrize("url, ok", [("https://www.sz.gov.cn/x.html", True), ("http://127.0.0.1:8/a", True),
                                     ("ftp://host/file.pdf", True), ("http:/etc/passwd", True),
                                     ("file:policy.pdf", True), ("policy.pdf", False), ("/tmp/a.pdf", False),
                                     ("C:\\docs\\a.pdf", False)])
def test_is_url(url, ok):
    assert is_url(url) is ok


def test_only_http_urls():
    with pytest.raises(FetchFailed, match="only be fetched from public web servers over http or https"):
        fetch("ftp://127.0.0.1/policy.pdf", timeout=1, max_bytes=1_000_000)
