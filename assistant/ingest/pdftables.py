"""Ruled tables in PDFs, read with pdfplumber (MIT; PyMuPDF's table finder is AGPL, a licence risk for a
network service, and was no better on our fixtures — README "Government documents").

pdfplumber parses a page far more slowly than pypdf, so only pages whose content stream draws lines or
rectangles (every ruled table does) are opened with it. On such a page the table becomes row lines with
header context (``tables.py``) and the text outside the table is read from the same page, so no cell is
read twice. Tables ruled only at top and bottom (三线表) are not detected as tables: their lines stay text.
"""

from __future__ import annotations

import io
import re

from assistant.ingest.tables import table_rows

_DRAWS = re.compile(rb"(?:^|\s)(?:re|l)\s+(?:S|s|f|B|b|n)?\s", re.M)


def draws_lines(page) -> bool:
    """True when a pypdf page's content stream strokes lines or rectangles (cheap: no layout analysis)."""
    try:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
    except Exception:  # an unreadable stream: let the text reader decide
        return False
    return len(_DRAWS.findall(data)) >= 4


def page_with_tables(data: bytes, number: int) -> list[tuple[str, bool]] | None:
    """Page ``number`` (1-based) as (line, is a table row) in reading order: text lines outside tables and
    one line per table row; None when pdfplumber finds no table there."""
    # imported here: parser libraries load in the sandboxed parse worker (forkserver preload), not the server
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[number - 1]
        tables = page.find_tables()
        if not tables:
            return None
        items: list[tuple[float, list[str], bool]] = []
        for table in tables:
            items.append((table.bbox[1], table_rows(table.extract()), True))
        bboxes = [t.bbox for t in tables]

        def outside(obj) -> bool:
            x = (obj["x0"] + obj["x1"]) / 2
            y = (obj["top"] + obj["bottom"]) / 2
            return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in bboxes)

        for line in page.filter(outside).extract_text_lines(layout=False, strip=True):
            items.append((line["top"], [line["text"]], False))
    items.sort(key=lambda item: item[0])
    return [(text, is_row) for _, texts, is_row in items for text in texts]
