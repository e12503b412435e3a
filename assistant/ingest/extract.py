"""Bytes of a document → text blocks in reading order, each with its page number when the format has pages.

One reader per format: PDF (pypdf, page numbers kept), DOCX (python-docx), HTML (BeautifulSoup + lxml,
navigation and other page furniture removed, headings kept), Markdown (markdown-it-py, then as HTML) and
plain text in UTF-8 or GBK / GB18030 (charset-normalizer). Every failure is an ``IngestError`` subclass
with a message for the person who gave us the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from charset_normalizer import from_bytes

from assistant.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    NoExtractableText,
    UnsupportedDocument,
)
from assistant.ingest.pdftables import draws_lines, page_with_tables
from assistant.ingest.tables import table_rows

FORMATS = ("pdf", "docx", "html", "markdown", "text")
_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
               ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text", "": "text"}
_CONTENT_TYPES = {"application/pdf": "pdf", "text/html": "html", "application/xhtml+xml": "html",
                  "text/markdown": "markdown", "text/x-markdown": "markdown", "text/plain": "text",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}
# Signatures of files people may try that we cannot read (said plainly instead of "corrupt").
_FOREIGN = [(b"\xd0\xcf\x11\xe0", "an old-style Microsoft Office file (.doc/.xls) or a password-protected "
                                  "Office file; save it as .docx or PDF"),
            (b"\x89PNG", "a PNG image; OCR is not supported"), (b"\xff\xd8\xff", "a JPEG image; OCR is not supported"),
            (b"GIF8", "a GIF image"), (b"{\\rtf", "an RTF file; save it as .docx or PDF")]


@dataclass
class Block:
    """A line (PDF) or paragraph (other formats) of text."""

    text: str
    page: int | None = None
    heading: bool = False  # an HTML/Markdown/Word heading element
    soft: bool = False  # a PDF line: may continue the previous line's paragraph


@dataclass
class Extracted:
    format: str
    blocks: list[Block]
    title: str | None = None
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)  # what the file says about itself (HTML meta tags, info table)
    attachments: list[dict] = field(default_factory=list)  # {"title", "url"} of linked attachment files
    extractor: str | None = None  # HTML: which main-content extractor's text was kept

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def detect_format(data: bytes, filename: str, content_type: str | None = None) -> str:
    """The format to read ``data`` as: content first, then the content type, then the file extension."""
    head = data[:1024].lstrip()
    for magic, what in _FOREIGN:
        if head.startswith(magic):
            raise UnsupportedDocument(f"{filename} is {what}. Supported: PDF, DOCX, HTML, Markdown, plain text.")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            raise CorruptDocument(f"{filename} looks like a Word (.docx) file but its archive is damaged.") from None
        if "word/document.xml" in names:
            return "docx"
        raise UnsupportedDocument(f"{filename} is a ZIP archive but not a Word .docx document "
                                  "(spreadsheets and presentations are not supported).")
    suffix = PurePosixPath(filename.lower()).suffix
    by_type = _CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())
    fmt = _EXTENSIONS.get(suffix) if suffix in _EXTENSIONS else None
    if fmt in ("pdf", "docx"):  # the extension promised a binary format the content does not have
        raise CorruptDocument(f"{filename} is not a valid {fmt.upper()} file (its content is not {fmt.upper()}).")
    if re.match(rb"\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)", data[:512], re.I):
        return "html"
    if by_type in ("html", "markdown", "text"):
        return by_type
    if fmt is None:
        raise UnsupportedDocument(f"Unsupported file type {suffix or '(none)'} for {filename}. "
                                  "Supported: PDF, DOCX, HTML, Markdown (.md), plain text (.txt).")
    return fmt


def extract(data: bytes, filename: str, content_type: str | None = None, base_url: str | None = None) -> Extracted:
    """Read any supported document. Raises an ``IngestError`` subclass for anything unusable.
    ``base_url`` (where a page was fetched) resolves the links of its attachments."""
    # imported here, not at the top: html imports this module (circular)
    from assistant.ingest.html import extract_html

    if not data.strip():
        raise EmptyDocument(f"{filename} is empty.")
    fmt = detect_format(data, filename, content_type)
    if fmt == "html":
        result = extract_html(data, filename, base_url)
    else:
        reader = {"pdf": extract_pdf, "docx": extract_docx, "markdown": extract_markdown, "text": extract_text}[fmt]
        result = reader(data, filename)
    result.blocks = [b for b in result.blocks if b.text.strip()]
    if not result.blocks:
        raise EmptyDocument(f"{filename} contains no text.")
    return result


# --- PDF -------------------------------------------------------------------------------------------
def _has_images(page: Any) -> bool:
    try:
        xobjects = page["/Resources"].get_object().get("/XObject")
        return xobjects is not None and any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())
    except Exception:  # odd resource trees: assume nothing
        return False


_WIDE = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"


def tidy_pdf_line(line: str) -> str:
    """Undo the spaces PDF text extraction puts between CJK glyphs ("（ O P C ）", "3 0 %", "5 0万元")."""
    line = " ".join(line.split())
    visible = len(line.replace(" ", ""))
    if not visible or len(re.findall(f"[{_WIDE}]", line)) < visible / 4:
        return line
    line = re.sub(f"(?<=[{_WIDE}]) +| +(?=[{_WIDE}])", "", line)
    line = re.sub(r"(?<=[\d.,%]) +(?=[\d.,%])", "", line)
    return re.sub(r"(?<![A-Za-z])([A-Za-z]) (?=[A-Za-z](?![A-Za-z]))", r"\1", line)  # "O P C" → "OPC"


_UNMAPPED = re.compile(r"\(cid:\d+\)")


def extract_pdf(data: bytes, filename: str) -> Extracted:
    # imported here: parser libraries load in the sandboxed parse worker (forkserver preload), not the server
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs carry only an owner password (printing/copying limits): those open with "".
            try:
                opened = bool(reader.decrypt(""))
            except (DependencyError, NotImplementedError, FileNotDecryptedError, PdfReadError):
                opened = False
            if not opened:
                raise EncryptedDocument(f"{filename} is password-protected (encrypted). "
                                        "Remove the password and add it again.")
        pages = list(reader.pages)
        blocks: list[Block] = []
        images = 0
        unreadable = 0
        for number, page in enumerate(pages, start=1):
            images += _has_images(page)
            ruled = page_with_tables(data, number) if draws_lines(page) else None
            if ruled is None:
                ruled = [(line, False) for line in (page.extract_text() or "").splitlines()]
            for line, is_row in ruled:
                line = line if is_row else tidy_pdf_line(line)  # rows are tidied cell by cell already
                if _UNMAPPED.search(line) or line.count("\ufffd") > len(line) / 4:
                    unreadable += 1  # glyphs without a Unicode map: not text we can quote
                    continue
                if line:
                    blocks.append(Block(line, number, soft=not is_row))
        meta_title = reader.metadata.get("/Title") if reader.metadata else None
    except EncryptedDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise CorruptDocument(f"{filename} is a damaged PDF that cannot be read ({exc.__class__.__name__}).") from None
    if not pages:
        raise EmptyDocument(f"{filename} has no pages.")
    if unreadable and not blocks:
        raise NoExtractableText(f"{filename} has no readable text: its fonts carry no Unicode map ((cid:N) glyphs). "
                                "Ask the publisher for a PDF with embedded Unicode text, or add the DOCX/HTML.")
    if not blocks:
        if images:
            raise NoExtractableText(f"{filename} has no extractable text; OCR is not supported. "
                                    "It looks like a scanned document: add a PDF with a text layer, or the DOCX/HTML.")
        raise NoExtractableText(f"{filename} has no extractable text; OCR is not supported.")
    title = str(meta_title).strip() if meta_title else None
    if title and re.match(r"(microsoft word|untitled|无标题)", title, re.I):
        title = None  # producer junk, not a title
    warnings = [f"{unreadable} lines of {filename} had glyphs without a Unicode map and were left out."] \
        if unreadable else []
    return Extracted("pdf", blocks, title=title, pages=len(pages), warnings=warnings)


# --- DOCX ------------------------------------------------------------------------------------------
def extract_docx(data: bytes, filename: str) -> Extracted:
    # imported here: parser libraries load in the sandboxed parse worker (forkserver preload), not the server
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocument(f"{filename} is a damaged Word document ({exc.__class__.__name__}).") from None
    except Exception as exc:  # lxml XMLSyntaxError and friends from a broken part
        raise CorruptDocument(f"{filename} is a damaged Word document ({exc.__class__.__name__}).") from None
    body = document.element.body
    # Page numbers only when Word recorded where pages break (it does when it saves a file it laid out).
    breaks = body.xpath(".//w:lastRenderedPageBreak | .//w:br[@w:type='page']")
    page = 1 if breaks else None
    blocks: list[Block] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraphs = [child]
        elif child.tag == qn("w:tbl"):
            # One line per row with its header context; each row is its own paragraph.
            grid = [[cell.text for cell in row.cells] for row in Table(child, document).rows]
            blocks.extend(Block(line, page) for line in table_rows(grid))
            continue
        else:
            continue
        for p in paragraphs:
            if page is not None and p.xpath(".//w:lastRenderedPageBreak | .//w:br[@w:type='page']"):
                # A break before any text in this paragraph moves the whole paragraph to the next page.
                page += 1
            text = "".join(t.text or "" for t in p.xpath(".//w:t | .//w:tab"))
            style = p.xpath("string(./w:pPr/w:pStyle/@w:val)") or ""
            if text.strip():
                blocks.append(Block(" ".join(text.split()), page,
                                    heading=bool(re.match(r"(heading|title|标题)", style, re.I))))
    title = (document.core_properties.title or "").strip() or None
    if title is None and blocks and blocks[0].heading:
        title = blocks[0].text  # the first heading of the document names it
    return Extracted("docx", blocks, title=title, pages=page)


# --- HTML and Markdown -------------------------------------------------------------------------------
_BOILERPLATE_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg",
                     "button", "select", "template", "menu", "object", "embed"]
_BOILERPLATE_ATTR = re.compile(r"(^|[\s_-])(nav|navbar|navigation|menu|breadcrumbs?|crumbs?|footer|foot|header|"
                               r"head|sidebar|side|topbar|top|banner|share|copyright|skip|toolbar|login|search|"
                               r"related|ad|ads|cookie)($|[\s_-])", re.I)
_BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu"}
BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "td", "th", "dt", "dd",
               "section", "article", "main", "tr", "table", "ul", "ol", "dl", "br", "hr", "center", "body"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_ERROR_PAGE = re.compile(r"\b(40[0-9]|41[0-9]|5[0-9]{2})\b.*\b(error|not found|forbidden|unavailable)\b|"
                         r"\bpage not found\b|\bnot found\b|\bserver error\b|\baccess denied\b|\berror\b|"
                         r"页面不存在|页面未找到|找不到(该|此)?页面|访问出错|出错了|服务器错误|无法访问|禁止访问|404", re.I)


def looks_like_error_page(title: str | None, text: str) -> bool:
    """A short page whose title or first line announces an error ("404 Not Found", "页面不存在")."""
    head = " ".join(x for x in (title or "", text.strip().split("\n", 1)[0][:200]) if x)
    return len(text) < 600 and bool(_ERROR_PAGE.search(head))


def decode_text(data: bytes, filename: str, declared: str | None = None) -> str:
    """Bytes → str: UTF-8 (with or without BOM) when valid, else the declared or detected charset."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "cp1252"]).best()
    if best is None:
        raise UnsupportedDocument(f"{filename} is binary data, not text in a known encoding "
                                  "(supported: UTF-8, GBK/GB18030).")
    # GBK is a subset of GB18030: decode with the superset so rare characters survive.
    encoding = "gb18030" if best.encoding in ("gbk", "gb2312", "gb18030") else best.encoding
    return data.decode(encoding, errors="strict")


def is_boilerplate(tag) -> bool:
    if tag.name in _BOILERPLATE_TAGS or (tag.get("role") or "").lower() in _BOILERPLATE_ROLES:
        return True
    attrs = " ".join([*(tag.get("class") or []), tag.get("id") or ""])
    return bool(attrs and _BOILERPLATE_ATTR.search(attrs))


def extract_markdown(data: bytes, filename: str) -> Extracted:
    # imported here: parser libraries load in the sandboxed parse worker (forkserver preload), not the server
    from markdown_it import MarkdownIt

    # imported here, not at the top: html imports this module (circular)
    from assistant.ingest.html import html_from_text

    html = MarkdownIt("commonmark").enable("table").render(decode_text(data, filename))
    return html_from_text(f"<html><body>{html}</body></html>", filename, "markdown")


# --- plain text ------------------------------------------------------------------------------------
def extract_text(data: bytes, filename: str) -> Extracted:
    text = decode_text(data, filename)
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if "\x00" in text or controls > len(text[:20000]) / 100:
        raise UnsupportedDocument(f"{filename} is binary data, not text. "
                                  "Supported: PDF, DOCX, HTML, Markdown (.md), plain text (.txt).")
    blocks: list[Block] = []
    page = 1 if "\f" in text else None  # form feeds: the page breaks of text exported from PDF or Word
    for chunk in text.split("\f"):
        for para in re.split(r"\n\s*\n", chunk):
            lines = [" ".join(line.split()) for line in para.splitlines() if line.strip()]
            # Each line is its own block: a numbered line must start a clause even without a blank line before it.
            blocks.extend(Block(line, page, soft=i > 0) for i, line in enumerate(lines))
        if page is not None:
            page += 1
    first = blocks[0].text if blocks else None
    return Extracted("text", blocks, title=first if first and len(first) <= 80 else None, pages=page and page - 1)
