"""Fetching a document URL safely: every hop checked by the SSRF guard and pinned to the checked address.

httpx never resolves the host itself: each request goes to the IP ``netguard`` approved, with the real host
in the Host header and as the TLS server name (SNI), so certificates are still verified against the name.
Redirects are followed by hand (each hop checked again), and time, size and hops are capped. Callers see
one generic failure message; the details (refused connection, status, reply) go to the server log only.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlparse

import httpx

from assistant.errors import DocumentTooLarge, FetchFailed, UnsupportedDocument
from assistant.ingest.netguard import FetchPolicy, Target

log = logging.getLogger(__name__)

# Types we read; anything else (images, video, archives …) is refused before the body is downloaded.
ACCEPTED_TYPES = ("application/pdf", "text/html", "application/xhtml+xml", "text/plain", "text/markdown",
                  "text/x-markdown", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "application/octet-stream", "binary/octet-stream", "application/x-download", "")
MAX_REDIRECTS = 5
COULD_NOT_FETCH = "Could not fetch a document from that address; nothing was added."


@dataclass
class Fetched:
    data: bytes
    filename: str
    content_type: str
    url: str  # after redirects


def is_url(source: str) -> bool:
    """Looks like a URL (``scheme:``, e.g. ``http:/etc/passwd``) rather than a path: such strings are only ever
    handed to the fetcher (which refuses what is not http(s)://host), never opened as files. A one-letter
    scheme is a Windows drive (``C:\\docs``), not a URL."""
    return bool(re.match(r"^[a-z][a-z0-9+.-]+:", source.strip(), re.I))


def _filename(response: httpx.Response, url: str, content_type: str) -> str:
    disposition = response.headers.get("content-disposition", "")
    m = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition, re.I)
    if m:
        return PurePosixPath(unquote(m.group(1)).strip().replace("\\", "/")).name or "download"
    name = PurePosixPath(unquote(urlparse(url).path)).name
    if name and "." in name:
        return name
    ext = {"application/pdf": ".pdf", "text/plain": ".txt", "text/markdown": ".md"}.get(content_type, ".html")
    return (name or urlparse(url).hostname or "page") + ext


def _send(client: httpx.Client, target: Target) -> httpx.Response:
    request = client.build_request(
        "GET", target.pinned_url, headers={"Host": target.host_header},
        extensions={"sni_hostname": target.host} if target.scheme == "https" else {})
    return client.send(request, stream=True)


def fetch(url: str, *, timeout: float, max_bytes: int, policy: FetchPolicy | None = None) -> Fetched:
    """Download ``url``. Raises AddressNotAllowed (not a public http(s) address, at any hop), FetchFailed
    (unreachable, timeout, HTTP error), UnsupportedDocument (type) or DocumentTooLarge (over ``max_bytes``)."""
    policy = policy or FetchPolicy()
    deadline = time.monotonic() + timeout  # for the whole fetch, redirects and slow bodies included
    limit_mb = max_bytes / 1_000_000
    target = policy.check(url)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                          headers={"User-Agent": "opc-assistant (document ingestion)"}) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                response = _send(client, target)
                try:
                    location = response.headers.get("location")
                    if response.is_redirect and location:
                        target = policy.check(urljoin(target.url, location.strip()))
                        continue
                    return _read(response, target, deadline, max_bytes, limit_mb)
                finally:
                    response.close()
            log.info("fetch of %s: more than %d redirects", url, MAX_REDIRECTS)
            raise FetchFailed(COULD_NOT_FETCH)
    except httpx.HTTPError as exc:
        log.info("fetch of %s failed: %s: %s", target.url, exc.__class__.__name__, exc)
        raise FetchFailed(COULD_NOT_FETCH) from None


def _read(response: httpx.Response, target: Target, deadline: float, max_bytes: int, limit_mb: float) -> Fetched:
    if response.status_code >= 300:
        log.info("fetch of %s: HTTP %s", target.url, response.status_code)
        raise FetchFailed(COULD_NOT_FETCH)
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ACCEPTED_TYPES:
        raise UnsupportedDocument("That address did not return a document we can read "
                                  "(PDF, DOCX, HTML, Markdown or plain text).")
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise DocumentTooLarge(f"The document is {int(declared) / 1_000_000:.1f} MB; the limit is "
                               f"{limit_mb:g} MB (OPC_MAX_DOCUMENT_MB).")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise DocumentTooLarge(f"The document is larger than the {limit_mb:g} MB limit "
                                   "(OPC_MAX_DOCUMENT_MB); the download was stopped.")
        if time.monotonic() > deadline:  # a server trickling bytes cannot hold a worker for ever
            log.info("fetch of %s: over the time limit", target.url)
            raise FetchFailed(COULD_NOT_FETCH)
        chunks.append(chunk)
    return Fetched(b"".join(chunks), _filename(response, target.url, content_type), content_type, target.url)
