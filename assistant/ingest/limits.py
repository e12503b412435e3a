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
    def from_settings(cls, s: Settings) -> ParseLimits:
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


# The most bytes a format can spend per character of text: UTF-8 (4), and HTML's markup around it. A text file
# larger than the text limit times this cannot fit, and is refused before parsing (a 50 MB text file costs
# nothing but this comparison).
BYTES_PER_CHAR = {"text": 4, "markdown": 4, "html": 40}


def precheck(data: bytes, filename: str, fmt: str, limits: ParseLimits) -> None:
    """Refuse a document whose parsing would cost too much, before parsing it."""
    if fmt in BYTES_PER_CHAR and len(data) > limits.text_chars * BYTES_PER_CHAR[fmt]:
        raise too_much_text(filename, limits)
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
        raise too_much_text(filename, limits)


def too_much_text(filename: str, limits: ParseLimits) -> DocumentTooComplex:
    """The text limit, and why: indexing is the costly step (the embedding model reads every sentence), done by
    the one document writer, so a longer document would hold up every other upload for minutes
    (bench/upload_limits.py measures it)."""
    n = limits.text_chars
    return DocumentTooComplex(
        f"{filename} has more than {n:,} characters of text; the limit is {n:,} (OPC_MAX_TEXT_MB="
        f"{n / 1_000_000:g}), because indexing a longer document would keep the server from adding any other "
        "document for several minutes. Nothing was added; split it into smaller documents.",
        translations={
            "zh": f"{filename} 的正文超过 {n:,} 个字符，上限为 {n:,} 个字符（OPC_MAX_TEXT_MB={n / 1_000_000:g}）："
                  "更长的文件建立索引需要数分钟，期间服务器无法添加其他文件。未添加任何内容，请拆分为较小的文件后再上传。",
            "zh-Hant": f"{filename} 的正文超過 {n:,} 個字元，上限為 {n:,} 個字元（OPC_MAX_TEXT_MB={n / 1_000_000:g}）："
                       "更長的文件建立索引需要數分鐘，期間伺服器無法新增其他文件。未新增任何內容，請拆分為較小的文件後再上傳。"})
