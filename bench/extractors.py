#!/usr/bin/env python3
"""Main-content extraction of government pages: trafilatura vs our tree walk, per fixture page, and the
pdfplumber table pass on the GB/T 9704 fixture PDFs. Prints ONE JSON object:

- ``pages``: per page and extractor: ``articles`` (share of the document's own article/measure lines kept),
  ``furniture`` (lines kept that are page furniture: the ingestion rules, or a related-article / footer line
  of the page), ``ms`` (time), and ``chosen`` (what ingestion keeps, by the rule in assistant/ingest/html.py).
- ``pdf_tables``: per PDF, pages read with pdfplumber (those that draw lines) and ms per page.

    python -m bench.extractors
"""

from __future__ import annotations

import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from bs4 import BeautifulSoup

    from assistant.ingest.extract import is_boilerplate
    from assistant.ingest.govdoc import is_furniture
    from assistant.ingest.html import _prepare, _trafilatura_blocks, _walk, choose
    from harness import govdocs as g
    from harness import govtexts as t

    pages = {"trs (TRS CMS, 东滨区)": (g.trs_page(), t.DONGBIN), "gov.cn info table (星澜市)": (g.govcn_page(), t.CITY_PLAN),
             "district portal (北岭区)": (g.portal_page(), t.BEILING_OLD),
             "English translation page": (g.english_page(), t.DONGBIN_EN)}
    noise = t.RELATED + t.FOOTER + ["热点信息", "岗位2000个", "消费券500万元", "prize pool", "Related articles", "Copyright"]
    out: dict = {"pages": {}, "pdf_tables": {}}
    for name, (html, doc) in pages.items():
        wanted = [a if isinstance(a, str) else None for a in doc["articles"]]
        wanted = [w for w in wanted if w]
        row = {}
        soup = BeautifulSoup(html, "lxml")
        _prepare(soup, None)
        prepared = str(soup)
        started = time.perf_counter()
        theirs, _ = _trafilatura_blocks(prepared)
        t_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        for tag in soup.find_all(True):
            if not getattr(tag, "decomposed", False) and tag.parent is not None and is_boilerplate(tag):
                tag.decompose()
        ours = _walk(soup.find("main") or soup.find("article") or soup.body or soup)
        o_ms = (time.perf_counter() - started) * 1000
        for label, blocks, ms in (("trafilatura", theirs, t_ms), ("fallback", ours, o_ms)):
            text = "\n".join(b.text for b in blocks)
            row[label] = {
                "articles": round(sum(1 for w in wanted if w in text) / len(wanted), 3),
                "furniture_lines": sum(1 for b in blocks if is_furniture(b.text) or any(n in b.text for n in noise)),
                "ms": round(ms, 1)}
        row["chosen"] = choose(ours, theirs)[1]
        out["pages"][name] = row
    import pypdf

    from assistant.ingest.pdftables import draws_lines, page_with_tables

    for name, data in (("算力券管理办法 (3 pages, 1 table)", g.notice_pdf(t.COMPUTE_RULES)),
                       ("融资支持实施细则 (merged cells)", g.notice_pdf(t.BEILING_FINANCE))):
        import io

        reader = pypdf.PdfReader(io.BytesIO(data))
        ruled = [i for i, p in enumerate(reader.pages, 1) if draws_lines(p)]
        started = time.perf_counter()
        found = [page_with_tables(data, i) is not None for i in ruled]
        ms = (time.perf_counter() - started) * 1000
        out["pdf_tables"][name] = {"pages": len(reader.pages), "pages_read_with_pdfplumber": len(ruled),
                                   "tables_found_on": sum(found), "ms_per_pdfplumber_page": round(ms / max(len(ruled), 1), 1)}
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
