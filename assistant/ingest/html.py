"""HTML pages → the document's text blocks and the page's metadata.

Metadata first: the CMS ``<meta>`` tags government sites must emit (ArticleTitle, PubDate, ContentSource,
SiteName) and gov.cn-style info tables (索引号, 发文机关, 成文日期, 发文字号), which are then removed.
Data tables become one line per row with header context (``tables.py``); attachment links are kept.

Main content: trafilatura (``bare_extraction``, precision-first) and our own tree walk (page furniture
removed by tag, role and class) both run on the prepared page; after both lose their furniture lines
(``govdoc.is_furniture``) the one that kept more numbered clauses wins, ties going to trafilatura, and
trafilatura is dropped when it kept under half of the fallback's text (it sometimes takes only a
fragment of an unusual template). See README "Government documents" for the measurements.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from assistant.errors import FetchFailed
from assistant.ingest.extract import (
    BLOCK_TAGS,
    HEADINGS,
    Block,
    Extracted,
    decode_text,
    is_boilerplate,
    looks_like_error_page,
)
from assistant.ingest.govdoc import is_furniture, rules
from assistant.ingest.structure import match_heading
from assistant.ingest.tables import table_rows

_ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|ofd|zip|rar)(\?|#|$)", re.I)


def _meta_tags(soup) -> dict:
    names = rules().meta_tags
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("name") or tag.get("property") or "").strip().lower()
        value = " ".join((tag.get("content") or "").split())
        if key in names and value and names[key] not in found:
            found[names[key]] = value
    return found


def _grid(table) -> tuple[list[list[str | None]], int]:
    """Cells of a table laid out on a grid (colspan/rowspan cover cells with None) and its <th> rows."""
    grid: list[list[str | None]] = []
    pending: dict[tuple[int, int], bool] = {}
    header_rows = 0
    for i, tr in enumerate(table.find_all("tr")):
        row: list[str | None] = []
        j = 0
        cells = tr.find_all(["td", "th"], recursive=False)
        if cells and all(c.name == "th" for c in cells) and header_rows == i:
            header_rows += 1
        for cell in cells:
            while pending.pop((i, j), False):
                row.append(None)
                j += 1
            span = max(1, min(int(cell.get("colspan") or 1) if str(cell.get("colspan") or 1).isdigit() else 1, 50))
            down = max(1, min(int(cell.get("rowspan") or 1) if str(cell.get("rowspan") or 1).isdigit() else 1, 200))
            row.append(cell.get_text(" ", strip=True))
            row.extend([None] * (span - 1))
            for k in range(1, down):
                for c in range(span):
                    pending[(i + k, j + c)] = True
            j += span
        while pending.pop((i, j), False):
            row.append(None)
            j += 1
        grid.append(row)
    return grid, header_rows


def _info_table(table) -> dict | None:
    """A gov.cn info table (label/value pairs such as 索引号 · 发文机关 · 发文字号) as fields, else None."""
    labels = rules().info_fields
    found: dict[str, str] = {}
    cells = [c.get_text(" ", strip=True) for c in table.find_all(["td", "th"])]
    for k, cell in enumerate(cells):
        m = re.match(r"^\s*([^：:]{2,24}?)\s*[：:]\s*(.*)$", cell)
        label, value = (m[1], m[2]) if m else (cell, "")
        if not value.strip() and k + 1 < len(cells):
            value = cells[k + 1]  # "索引号：" in one cell, its value in the next
        name = labels.get(label.strip().lower())
        if name and value.strip() and name not in found:
            found[name] = " ".join(value.split())
    return found if len(found) >= 2 else None


def _prepare(soup, base_url: str | None) -> tuple[dict, list[dict]]:
    """Read metadata and attachments from the page and rewrite its tables, before any extractor runs."""
    meta: dict = {}
    attachments: list[dict] = []
    for a in soup.find_all("a", href=True):
        if _ATTACHMENT.search(a["href"]):
            url = urljoin(base_url, a["href"]) if base_url else a["href"]
            if all(x["url"] != url for x in attachments):
                attachments.append({"title": a.get_text(" ", strip=True) or url.rsplit("/", 1)[-1], "url": url})
    for table in soup.find_all("table"):
        if table.find("table") is not None or getattr(table, "decomposed", False):
            continue  # layout tables hold other tables: their cells are the page, not data
        info = _info_table(table)
        if info is not None:
            for k, v in info.items():
                meta.setdefault(k, v)
            table.decompose()
            continue
        grid, header_rows = _grid(table)
        if len(grid) < 2 or max(len(r) for r in grid) < 2 or any(len(c or "") > 300 for r in grid for c in r):
            continue  # not a data table (a layout cell with a whole article in it)
        replacement = soup.new_tag("div")
        for line in table_rows(grid, header_rows or None):
            p = soup.new_tag("p")
            p.string = line
            replacement.append(p)
        table.replace_with(replacement)
    return meta, attachments


def _trafilatura_blocks(html: str) -> tuple[list[Block], dict]:
    # imported here: parser libraries load in the sandboxed parse worker (forkserver preload), not the server
    from trafilatura import bare_extraction

    # fast: without trafilatura's own fallbacks (readability, jusText), which took seconds on short pages
    # and keep page furniture; our tree walk is the fallback.
    doc = bare_extraction(html, with_metadata=True, include_tables=True, include_comments=False,
                          favor_precision=True, fast=True,
                          # htmldate's extensive search took 2 s on a page without a date meta tag; the
                          # document's own dates come from its text (govdoc), the page's from its meta tags.
                          date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is None or isinstance(doc, dict) or doc.body is None:  # with_metadata: a Document, never a dict
        return [], {}
    blocks = []
    for el in doc.body.iter("p", "head", "item", "quote", "cell", "code"):
        if el.tag == "p" and el.getparent() is not None and el.getparent().tag in ("item", "cell"):
            continue
        text = " ".join("".join(el.itertext()).split())
        if text:
            blocks.append(Block(text, None, heading=el.tag == "head"))
    return blocks, {"title": doc.title, "published": doc.date, "site": doc.sitename}


def _numbered(blocks: list[Block]) -> int:
    return sum(1 for b in blocks if match_heading(b.text) is not None)


def choose(fallback: list[Block], trafilatura: list[Block]) -> tuple[list[Block], str]:
    """The better of the two extractions of one page (rule in the module docstring)."""
    ours = [b for b in fallback if not is_furniture(b.text)]
    theirs = [b for b in trafilatura if not is_furniture(b.text)]
    size = lambda bs: sum(len(b.text) for b in bs)  # noqa: E731
    if not theirs or size(theirs) < 0.5 * size(ours) or _numbered(theirs) < _numbered(ours):
        return fallback, "fallback"
    return trafilatura, "trafilatura"


def html_from_text(html: str, filename: str, fmt: str, base_url: str | None = None) -> Extracted:
    # imported here: parser libraries load in the sandboxed parse worker (forkserver preload), not the server
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    meta, attachments = _prepare(soup, base_url) if fmt == "html" else ({}, [])
    meta.update({k: v for k, v in _meta_tags(soup).items() if k not in meta})
    prepared = str(soup)
    for tag in soup.find_all(True):
        if not getattr(tag, "decomposed", False) and tag.parent is not None and is_boilerplate(tag):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    blocks = _walk(root)
    h1 = root.find("h1")
    page_title = h1.get_text(" ", strip=True) if h1 else title
    if fmt == "html" and looks_like_error_page(title, "\n".join(b.text for b in blocks)):
        shown = title or (blocks[0].text if blocks else "no text")
        raise FetchFailed(f"{filename} is an error page ({shown}), not a policy document.")
    used = "fallback"
    if fmt == "html":
        theirs, found = _trafilatura_blocks(prepared)
        blocks, used = choose(blocks, theirs)
        for k, v in found.items():
            if v and k != "title":
                meta.setdefault(k, v)
    out = Extracted(fmt, blocks, title=meta.get("title") or _site_suffix(page_title) or None)
    out.meta, out.attachments, out.extractor = meta, attachments, used
    return out


_SITE = re.compile(r"\s*[-_|｜—]+\s*[^-_|｜—]*(网|政府|在线|门户|Government|Online|Portal)[^-_|｜—]*$", re.I)


def _site_suffix(title: str | None) -> str | None:
    """A <title> without the site name CMS templates append ("…措施_东滨区人民政府门户网站")."""
    return _SITE.sub("", title).strip() if title else title


def _walk(root) -> list[Block]:
    """Walk the tree, flushing inline text at every block boundary, so "<b>（四）</b>住房" stays one line."""
    # imported here: parser libraries load in the sandboxed parse worker (forkserver preload), not the server
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Doctype, ProcessingInstruction

    blocks: list[Block] = []
    buf: list[str] = []
    heading = [False]

    def flush() -> None:
        text = " ".join("".join(buf).split())
        if text:
            blocks.append(Block(text, None, heading=heading[0]))
        buf.clear()

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                buf.append(str(child))
            elif isinstance(child, Tag):
                if child.name in BLOCK_TAGS:
                    flush()
                    was, heading[0] = heading[0], child.name in HEADINGS
                    walk(child)
                    flush()
                    heading[0] = was
                else:
                    walk(child)

    walk(root)
    flush()
    return blocks


def extract_html(data: bytes, filename: str, base_url: str | None = None) -> Extracted:
    declared = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
    return html_from_text(decode_text(data, filename, declared.group(1).decode() if declared else None), filename,
                          "html", base_url)
