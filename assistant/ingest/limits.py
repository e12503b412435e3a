"""Checks that bound the cost of parsing an untrusted document, run before (and just after) extraction.

A DOCX is a zip: member count and every member's *declared* and *actual* uncompressed size are checked
while streaming, before python-docx inflates anything; its XML parts are scanned with expat (no DTD, so
no entity expansion) for nesting depth. HTML gets a linear depth pre-scan (parsers slow down sharply with
depth). After extraction, page count and text length are bounded. Every refusal names the limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from assistant.errors import CorruptDocument, DocumentTooComplex, DocumentTooLarge
from assistant.settings import Settings

MAX_MEMBERS = 5000
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
# Elements that never nest (void) or that HTML parsers close implicitly when a sibling opens.
_FLAT = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source",
         b"track", b"wbr", b"p", b"li", b"dt", b"dd", b"tr", b"td", b"th", b"option", b"param"}


@dataclass(frozen=True)
class ParseLimits:
    uncompressed_bytes: int
    depth: int
    pages: int
    text_chars: int
    timeout: float
    memory_mb: int

    @classmethod
    def from_settings(cls, s: Settings) -> "ParseLimits":
        return cls(int(s.max_uncompressed_mb * 1_000_000), s.max_depth, s.max_pages, int(s.max_text_mb * 1_000_000),
                   s.parse_timeout, s.parse_memory_mb)


def _too_deep(limits: ParseLimits, filename: str) -> DocumentTooComplex:
    return DocumentTooComplex(f"{filename} nests its elements more than {limits.depth} levels deep "
                              "(OPC_MAX_DEPTH); nothing was added.")


def check_zip(data: bytes, filename: str, limits: ParseLimits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise CorruptDocument(f"{filename} looks like a Word (.docx) file but its archive is damaged.") from None
    if len(members) > MAX_MEMBERS:
        raise DocumentTooComplex(f"{filename} has {len(members)} parts; at most {MAX_MEMBERS} are read.")
    cap = limits.uncompressed_bytes
    too_big = DocumentTooLarge(f"{filename} expands to more than {cap / 1_000_000:g} MB when unpacked "
                               "(OPC_MAX_UNCOMPRESSED_MB); nothing was added.")
    if sum(m.file_size for m in members) > cap:  # declared sizes: refuse before inflating a byte
        raise too_big
    total = 0
    for member in members:
        xml = member.filename.endswith((".xml", ".rels"))
        parser = _depth_parser(limits, filename) if xml else None
        try:
            with archive.open(member) as stream:  # declared sizes can lie: count what actually comes out
                while chunk := stream.read(1 << 20):
                    total += len(chunk)
                    if total > cap:
                        raise too_big
                    if parser is not None:
                        parser.Parse(chunk, False)
                if parser is not None:
                    parser.Parse(b"", True)
        except expat.ExpatError as exc:
            # expat reports running out of the worker's memory as an XML error: it is the memory limit.
            if getattr(exc, "code", None) == expat.errors.codes[expat.errors.XML_ERROR_NO_MEMORY]:
                raise MemoryError from None
            raise CorruptDocument(f"{filename} has a damaged or disallowed XML part ({member.filename}).") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
            raise CorruptDocument(f"{filename} looks like a Word (.docx) file but its archive is damaged.") from None


def _depth_parser(limits: ParseLimits, filename: str):
    parser = expat.ParserCreate()
    depth = 0

    def start(name, attrs):
        nonlocal depth
        depth += 1
        if depth > limits.depth:
            raise _too_deep(limits, filename)

    def end(name):
        nonlocal depth
        depth -= 1

    def doctype(*args):  # a DTD is where entity bombs and external entities live: Word never writes one
        raise expat.ExpatError("DTD not allowed")

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    return parser


def check_html_depth(data: bytes, filename: str, limits: ParseLimits) -> None:
    """Linear scan of tag nesting (void and implicitly closed elements do not count)."""
    depth = 0
    for m in _TAG.finditer(data):
        name = m.group(2).lower()
        if name in _FLAT or m.group(3):
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > limits.depth:
                raise _too_deep(limits, filename)


def check_pdf_pages(data: bytes, filename: str, limits: ParseLimits) -> None:
    # imported here: parser libraries load in the sandboxed parse worker (forkserver preload), not the server
    from pypdf import PdfReader

    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # damaged or encrypted: extraction reports it in its own words
        return
    postcheck(pages, 0, filename, limits)


def precheck(data: bytes, filename: str, fmt: str, limits: ParseLimits) -> None:
    """Refuse a document whose parsing would cost too much, before parsing it."""
    if fmt == "docx":
        check_zip(data, filename, limits)
    elif fmt == "html":
        check_html_depth(data, filename, limits)
    elif fmt == "pdf":
        check_pdf_pages(data, filename, limits)


def postcheck(pages: int | None, text_chars: int, filename: str, limits: ParseLimits) -> None:
    if pages is not None and pages > limits.pages:
        raise DocumentTooComplex(f"{filename} has {pages} pages; the limit is {limits.pages} (OPC_MAX_PAGES).")
    if text_chars > limits.text_chars:
        raise DocumentTooComplex(f"{filename} has more than {limits.text_chars / 1_000_000:g} MB of text "
                                 "(OPC_MAX_TEXT_MB); split it into smaller documents.")
