"""Hostile documents are refused by the sandboxed parser with the limit named, and nothing changes."""

from __future__ import annotations

import pytest

from assistant.errors import CorruptDocument, DocumentTooComplex, DocumentTooLarge
from assistant.ingest.limits import ParseLimits
from assistant.ingest.sandbox import extract_sandboxed
from harness import docfactory as f

LIMITS = ParseLimits(uncompressed_bytes=50_000_000, depth=256, pages=2, text_chars=1_000_000, timeout=20,
                     memory_mb=1536)


@pytest.mark.parametrize("name, make, error, words", [
    ("bomb.docx", lambda: f.zip_bomb_docx(400), DocumentTooLarge, "OPC_MAX_UNCOMPRESSED_MB"),
    ("deep.docx", lambda: f.deep_docx(5000), DocumentTooComplex, "more than 256 levels deep (OPC_MAX_DEPTH)"),
    ("laughs.docx", f.entity_bomb_docx, CorruptDocument, "disallowed XML part"),
    ("deep.html", lambda: f.deep_html(200_000), DocumentTooComplex, "OPC_MAX_DEPTH"),
    ("long.pdf", lambda: f.pdf_bytes([["Article 1."], ["Article 2."], ["Article 3."]], cjk=False),
     DocumentTooComplex, "3 pages; the limit is 2 (OPC_MAX_PAGES)"),
    ("long.txt", lambda: ("第一条 支持。\n" * 160_000).encode(), DocumentTooComplex, "OPC_MAX_TEXT_MB"),
])
def test_hostile_documents_are_refused_naming_the_limit(name, make, error, words):
    data = make()
    assert len(data) < 4_000_000  # small on the wire: the cost is all in the parsing
    with pytest.raises(error) as info:
        extract_sandboxed(data, name, None, LIMITS)
    assert words in str(info.value)


def test_ordinary_documents_parse_in_the_sandbox():
    got = extract_sandboxed(f.docx_bytes(), "measures.docx", None, LIMITS)
    assert got.format == "docx" and "公共数据开放" in got.text
    html = extract_sandboxed(f.deep_html(100), "page.html", "text/html", LIMITS)
    assert "Article 1" in html.text


def test_time_and_memory_limits_kill_the_worker():
    slow = ParseLimits(uncompressed_bytes=10**9, depth=10**6, pages=10**6, text_chars=10**9, timeout=0.05,
                       memory_mb=1536)
    with pytest.raises(DocumentTooComplex, match="OPC_PARSE_TIMEOUT"):
        extract_sandboxed(f.deep_html(3000), "slow.html", "text/html", slow)
    tight = ParseLimits(uncompressed_bytes=10**9, depth=10**6, pages=10**6, text_chars=10**9, timeout=60,
                        memory_mb=256)
    with pytest.raises(DocumentTooComplex, match="OPC_PARSE_MEMORY_MB"):
        extract_sandboxed(f.huge_text_docx(400), "bomb.docx", None, tight)
