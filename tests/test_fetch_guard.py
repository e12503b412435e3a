"""The SSRF guard against real servers on loopback: every encoding of an inside address, redirects, rebinding.

A fake resolver (the one seam) maps public-looking names to loopback, to prove that the resolved address is
what gets checked and that the connection goes to the address checked, with no second lookup.
"""

from __future__ import annotations

import ipaddress

import pytest

from assistant.errors import AddressNotAllowed, FetchFailed
from assistant.ingest.fetch import fetch
from assistant.ingest.netguard import NOT_ALLOWED, FetchPolicy, is_public, parse_url

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


PAGE = "/policies/nanshan-measures-en.html"


def _port(doc_server) -> int:
    return int(doc_server.base.rsplit(":", 1)[1])


# Every way the reporter (and OWASP's cheat sheet) reached the server's own network.
INSIDE_HOSTS = ["127.0.0.1", "localhost", "0.0.0.0", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "2130706433",
                "0x7f000001", "127.1", "0177.0.0.1", "127.0.0.1.", "LOCALHOST", "[0:0:0:0:0:0:0:1]", "[::]",
                "[64:ff9b::7f00:1]", "[2002:7f00:1::1]", "169.254.169.254", "10.0.0.1", "172.16.5.4", "192.168.1.1",
                "100.64.0.1", "[fe80::1]", "[fc00::1]", "224.0.0.1", "240.0.0.1", "255.255.255.255", "198.18.0.1"]


@pytest.mark.parametrize("host", INSIDE_HOSTS)
def test_inside_addresses_are_refused_before_any_request(doc_server, host):
    before = len(doc_server.seen)
    with pytest.raises(AddressNotAllowed) as info:
        fetch(f"http://{host}:{_port(doc_server)}{PAGE}", timeout=2, max_bytes=1_000_000)
    assert str(info.value) == NOT_ALLOWED  # the same words whatever the reason: no port or reply leaks
    assert len(doc_server.seen) == before


@pytest.mark.parametrize("url", ["http:/etc/passwd", "http:///etc/passwd", "file:///etc/passwd", "ftp://example.org/a",
                                 "gopher://example.org/", "http://user:pw@example.org/", "http://example.org@127.0.0.1/",
                                 "javascript:alert(1)", "http://", "http://exa mple.org/", "https://example.org:0/",
                                 "https://example.org:99999/", "//example.org/a", "http://example.org\\@127.0.0.1/"])
def test_not_a_fetchable_url(url):
    with pytest.raises(AddressNotAllowed):
        parse_url(url)


def test_a_url_shaped_path_is_never_read_as_a_file(ingest_bot):
    with pytest.raises(AddressNotAllowed):
        ingest_bot.add_document("http:/etc/passwd")


@pytest.mark.parametrize("address, public", [("8.8.8.8", True), ("2001:4860:4860::8888", True),
                                             ("::ffff:8.8.8.8", True), ("2002:808:808::1", True),
                                             ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo to 192.0.2.45
                                             ("ff02::1", False), ("64:ff9b::a00:1", False), ("192.0.0.8", False)])
def test_classification(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


class Resolver:
    """A fake DNS: answers from a table, one entry per lookup (so a second lookup would see the next one)."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers, self.calls = answers, []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        queue = self.answers[host]
        return queue.pop(0) if len(queue) > 1 else queue[0]


def test_public_looking_name_that_resolves_to_loopback_is_refused(doc_server):
    policy = FetchPolicy([], resolver=Resolver({"policies.example.gov.cn": [["93.184.215.14", "127.0.0.1"]]}))
    before = len(doc_server.seen)
    with pytest.raises(AddressNotAllowed):
        fetch(f"http://policies.example.gov.cn:{_port(doc_server)}{PAGE}", timeout=2, max_bytes=1_000_000,
              policy=policy)
    assert len(doc_server.seen) == before


def test_connection_is_pinned_to_the_checked_address(doc_server):
    # The operator trusts 127.0.0.1; the name resolves there first, then "rebinds" to the metadata address.
    resolver = Resolver({"docs.intranet.example": [["127.0.0.1"], ["169.254.169.254"]]})
    policy = FetchPolicy(["127.0.0.1/32"], resolver=resolver)
    got = fetch(f"http://docs.intranet.example:{_port(doc_server)}{PAGE}", timeout=5, max_bytes=2_000_000,
                policy=policy)
    assert got.filename == "nanshan-measures-en.html" and b"Article 3" in got.data
    assert resolver.calls == ["docs.intranet.example"]  # one lookup: httpx never resolved the name again
    assert doc_server.seen[-1] == (PAGE, f"docs.intranet.example:{_port(doc_server)}")  # Host header kept


def test_redirect_to_loopback_is_refused_even_from_a_trusted_host(doc_server):
    port = _port(doc_server)
    doc_server.redirects["/moved.html"] = f"http://127.0.0.1:{port}{PAGE}"
    doc_server.redirects["/moved-by-name.html"] = "http://metadata.example/latest/"
    resolver = Resolver({"mirror.example.org": [["127.0.0.1"]], "metadata.example": [["169.254.169.254"]]})
    policy = FetchPolicy(["mirror.example.org"], resolver=resolver)  # the first hop only
    fetched_before = [p for p, _ in doc_server.seen].count(PAGE)
    for path in ("/moved.html", "/moved-by-name.html"):
        with pytest.raises(AddressNotAllowed):
            fetch(f"http://mirror.example.org:{port}{path}", timeout=2, max_bytes=1_000_000, policy=policy)
    assert [p for p, _ in doc_server.seen].count(PAGE) == fetched_before  # the target was never requested


def test_redirects_within_trusted_space_are_followed_and_capped(doc_server):
    port = _port(doc_server)
    doc_server.redirects["/r/1"] = "/r/2"
    doc_server.redirects["/r/2"] = PAGE
    policy = FetchPolicy(["127.0.0.1/32"])
    got = fetch(f"http://127.0.0.1:{port}/r/1", timeout=5, max_bytes=2_000_000, policy=policy)
    assert got.url.endswith(PAGE) and b"Article 3" in got.data
    doc_server.redirects["/loop"] = "/loop"
    with pytest.raises(FetchFailed) as info:
        fetch(f"http://127.0.0.1:{port}/loop", timeout=5, max_bytes=2_000_000, policy=policy)
    assert str(info.value) == "Could not fetch a document from that address; nothing was added."


def test_settings_allow_list_reaches_the_fetcher(ingest_bot):
    assert ingest_bot.fetch_policy.networks == [ipaddress.ip_network("127.0.0.1/32")]
