"""Fetching a document URL with httpx: timeout, size limit, content-type check, and errors for people."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlparse

import httpx

from ..errors import DocumentTooLarge, FetchFailed, UnsupportedDocument

# Types we read; anything else (images, video, archives …) is refused before the body is downloaded.
ACCEPTED_TYPES = ("application/pdf", "text/html", "application/xhtml+xml", "text/plain", "text/markdown",
                  "text/x-markdown", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "application/octet-stream", "binary/octet-stream", "application/x-download", "")


@dataclass
class Fetched:
    data: bytes
    filename: str
    content_type: str
    url: str  # after redirects


def is_url(source: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", source.strip(), re.I))


def _filename(response: httpx.Response, content_type: str) -> str:
    disposition = response.headers.get("content-disposition", "")
    m = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition, re.I)
    if m:
        return unquote(m.group(1)).strip()
    name = PurePosixPath(unquote(urlparse(str(response.url)).path)).name
    if name and "." in name:
        return name
    ext = {"application/pdf": ".pdf", "text/plain": ".txt", "text/markdown": ".md"}.get(content_type, ".html")
    return (name or urlparse(str(response.url)).hostname or "page") + ext


def fetch(url: str, *, timeout: float, max_bytes: int) -> Fetched:
    """Download ``url``. Raises FetchFailed (unreachable, timeout, HTTP error), UnsupportedDocument (type)
    or DocumentTooLarge (declared or actual size over ``max_bytes``)."""
    scheme = urlparse(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchFailed(f"Only http and https URLs can be added, not {scheme}:// ({url}).")
    limit_mb = max_bytes / 1_000_000
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5,
                          headers={"User-Agent": "opc-assistant (document ingestion)"}) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 400:
                    reason = response.reason_phrase or "error"
                    hint = " (the page does not exist)" if response.status_code == 404 else ""
                    raise FetchFailed(f"{url} returned HTTP {response.status_code} {reason}{hint}; nothing was added.")
                content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if content_type not in ACCEPTED_TYPES:
                    raise UnsupportedDocument(
                        f"{url} is {content_type}, not a document we can read "
                        "(PDF, DOCX, HTML, Markdown or plain text).")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise DocumentTooLarge(f"{url} is {int(declared) / 1_000_000:.1f} MB; the limit is "
                                           f"{limit_mb:g} MB (OPC_MAX_DOCUMENT_MB).")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise DocumentTooLarge(f"{url} is larger than the {limit_mb:g} MB limit "
                                               "(OPC_MAX_DOCUMENT_MB); the download was stopped.")
                    chunks.append(chunk)
                return Fetched(b"".join(chunks), _filename(response, content_type), content_type, str(response.url))
    except httpx.TimeoutException:
        raise FetchFailed(f"{url} did not answer within {timeout:g} seconds; nothing was added.") from None
    except httpx.ConnectError as exc:
        raise FetchFailed(f"{url} cannot be reached ({exc}); check the address and your connection.") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchFailed(f"{url} is not a valid URL ({exc}).") from None
    except httpx.TooManyRedirects:
        raise FetchFailed(f"{url} redirects too many times; nothing was added.") from None
    except httpx.HTTPError as exc:
        raise FetchFailed(f"Fetching {url} failed ({exc.__class__.__name__}: {exc}); nothing was added.") from None
