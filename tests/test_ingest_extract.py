"""Reading real files into clauses: PDF (both languages, pages kept), DOCX, HTML without boilerplate,
Markdown, GBK text, and a clear error for every kind of unusable file. No index needed here."""

from __future__ import annotations

import pytest

from assistant.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    FetchFailed,
    NoExtractableText,
    UnsupportedDocument,
)
from assistant.ingest.align import align_ids
from assistant.ingest.extract import detect_format, extract, looks_like_error_page, tidy_pdf_line
from assistant.ingest.structure import MAX_CLAUSE_CHARS, Block, find_clauses, match_heading, split_title
from assistant.knowledge.numerals import cn_int, cn_value, small_int
from harness import docfactory as f
from harness.docserver import ERROR_PAGE


def clauses_of(data: bytes, name: str, lang: str):
    ex = extract(data, name)
    return ex, find_clauses(ex.blocks, lang, ex.title)


@pytest.mark.parametrize("line, style, n, label", [
    ("第五条 人才公寓。", "article", 5, "第五条"),
    ("第十二条　附则", "article", 12, "第十二条"),
    ("Article 5 Talent apartments", "article", 5, "Article 5"),
    ("一、总体要求", "cn", 1, "一、"),
    ("（四）提供住房保障", "cnparen", 4, "（四）"),
    ("(四) 提供住房保障", "cnparen", 4, "（四）"),
    ("1.过渡性住房", "digit", 1, "1."),
    ("2. Services", "digit", 2, "2."),
    ("(3) Export desk.", "digitparen", 3, "(3)"),
    ("IV. Safeguards", "roman", 4, "IV."),
    ("第二章 支持措施", "chapter", 2, "第二章"),
    ("①免租工位", "circled", 1, "①"),
])
def test_numbering_styles(line, style, n, label):
    head = match_heading(line)
    assert (head.style, head.n, head.label) == (style, n, label)


@pytest.mark.parametrize("line", ["2026年3月1日起施行。", "1.5 million yuan is the cap", "30%的补贴", "Shenzhen aims to"])
def test_text_that_is_not_numbering(line):
    assert match_heading(line) is None


@pytest.mark.parametrize("cn, n", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百零五", 105),
                                   ("兩", 2), ("一百一十八", 118), ("二〇二六", 2026), ("一千二百万", 12_000_000), ("2026", 2026)])
def test_chinese_numbers(cn, n):
    assert cn_int(cn) == n


@pytest.mark.parametrize("text", ["三五", "十好", "abc", ""])
def test_what_is_not_one_chinese_numeral(text):
    """Digits alone that name no number ("三五": three to five) and other characters are not read as a number."""
    assert cn_int(text) is None and cn_value(text) is None


@pytest.mark.parametrize("cn, n", [("壹佰零伍", 105), ("贰拾", 20), ("貳拾參", 23), ("叁万伍仟", 35_000), ("陸", 6),
                                   ("壹萬", 10_000), ("拾", 10), ("玖佰", 900)])
def test_financial_numerals_read_as_the_numerals_they_stand_for(cn, n):
    assert cn_int(cn) == n


@pytest.mark.parametrize("text, n", [("3", 3), ("两", 2), ("兩", 2), ("十二", 12), ("Two", 2), ("ten", 10),
                                     ("dozen", None), ("三五", None)])
def test_a_count_as_a_message_writes_it(text, n):
    assert small_int(text) == n


@pytest.mark.parametrize("rest, whole, title, body", [
    ("提供住房保障", True, "提供住房保障", ""),
    ("提供住房保障。推行住房供应体系，保障人才安居。", True, "提供住房保障", "推行住房供应体系，保障人才安居。"),
    ("Office rent subsidy. Enterprises receive up to 3 years.", False, "Office rent subsidy",
     "Enterprises receive up to 3 years."),
    ("These measures apply to all companies. They start now.", False, "", "These measures apply to all companies. They start now."),
    ("补贴3万元。其余按规定执行。", False, "", "补贴3万元。其余按规定执行。"),
    ("本措施自2026年3月1日起施行。", True, "", "本措施自2026年3月1日起施行。"),
    ("Talent apartments", True, "Talent apartments", ""),
    ("These measures take effect on March 1, 2026.", True, "", "These measures take effect on March 1, 2026."),
])
def test_split_title(rest, whole, title, body):
    assert split_title(rest, whole) == (title, body)


@pytest.mark.parametrize("raw, tidy", [
    ("一人公司 （ O P C ）在本区", "一人公司（OPC）在本区"),
    ("按实际费用的 3 0 %给予补贴 ，最高 5 0万元。", "按实际费用的30%给予补贴，最高50万元。"),
    ("Up to 1 2 months", "Up to 1 2 months"),  # English lines are left alone
])
def test_pdf_line_tidying(raw, tidy):
    assert tidy_pdf_line(raw) == tidy


@pytest.mark.parametrize("title, text, error", [
    ("404 Not Found", "404 Not Found\nSorry, the page does not exist.", True),
    ("页面不存在", "页面不存在\n您访问的页面已删除。", True),
    ("Server Error", "An error occurred.", True),
    ("Nanshan District Measures", "Article 1 These measures ...", False),
    ("Error handling rules", "x" * 2000, False),  # a long page is content, whatever its title says
])
def test_error_page_detection(title, text, error):
    assert looks_like_error_page(title, text) is error


def test_chinese_pdf_articles_with_pages():
    ex, clauses = clauses_of(f.zh_policy_pdf(), "nanshan.pdf", "zh")
    assert ex.format == "pdf" and ex.pages == 3 and ex.title == f.ZH_TITLE
    by_label = {c.label: c for c in clauses}
    assert list(by_label) == [f"第{n}条" for n in "一二三四五六七"]
    assert by_label["第三条"].page == 1 and by_label["第四条"].page == 2 and by_label["第六条"].page == 3
    assert by_label["第三条"].title == "办公租金补贴"
    assert "每年最高8万元" in by_label["第三条"].text and "（OPC）" in by_label["第一条"].text
    assert by_label["第四条"].key == "art4"


def test_english_pdf_two_levels():
    _, clauses = clauses_of(f.en_guidelines_pdf(), "futian.pdf", "en")
    assert [(c.key, c.label, c.page) for c in clauses] == [
        ("1", "1.", 1), ("2.1", "(1)", 1), ("2.2", "(2)", 1), ("2.3", "(3)", 2), ("3", "3.", 2)]
    assert clauses[3].title == "Export desk" and "70% of official fees" in clauses[3].text


def test_html_boilerplate_is_stripped_and_headings_kept():
    ex, clauses = clauses_of(f.en_policy_html().encode(), "nanshan.html", "en")
    assert ex.title == f.EN_TITLE
    text = ex.text
    for furniture in ("Contact us", "Copyright", "Tourism guide", "Home > Policies", "tracker", "Government Online"):
        assert furniture not in text
    assert [c.label for c in clauses if c.key.startswith("art")] == [f"Article {n}" for n in range(1, 8)]
    assert clauses[0].label == "Preamble" and "Science and Technology Bureau" in clauses[0].text


def test_docx_sections_and_clauses():
    ex, clauses = clauses_of(f.docx_bytes(), "data.docx", "zh")
    assert ex.format == "docx" and ex.title == "福田区人工智能企业数据服务办法"
    assert [(c.key, c.label) for c in clauses] == [("1", "一、"), ("2.1", "（一）"), ("2.2", "（二）")]
    assert "最高15万元" in clauses[1].text


def test_gbk_text_is_detected():
    data = f.gbk_text_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    ex, clauses = clauses_of(data, "baoan.txt", "zh")
    assert ex.format == "text" and ex.title == "宝安区人工智能一人公司场地支持细则"
    assert [c.label for c in clauses] == ["一、", "（一）", "（二）"]
    assert "免租期最长6个月" in clauses[1].text


def test_markdown():
    md = "# Shekou Pilot Rules\n\n## Article 1 Scope\n\nThese rules apply in Shekou.\n\n## Article 2 Desks\n\n" \
         "Free desks are offered for up to **4 months**.\n"
    ex, clauses = clauses_of(md.encode(), "shekou.md", "en")
    assert ex.format == "markdown" and ex.title == "Shekou Pilot Rules"
    assert [(c.label, c.title, c.text) for c in clauses] == [
        ("Article 1", "Scope", "These rules apply in Shekou."),
        ("Article 2", "Desks", "Free desks are offered for up to 4 months.")]


def test_long_clause_split_between_sentences_with_pages():
    sentence = "符合条件的企业可以申请场地补贴，补贴标准按照实际租赁面积计算。"
    pages = [["第一条 总则。" + sentence * 20], [sentence * 20]]
    ex, clauses = clauses_of(f.pdf_bytes(pages), "long.pdf", "zh")
    assert len(clauses) >= 2 and all(len(c.text) <= MAX_CLAUSE_CHARS for c in clauses)
    assert {c.label for c in clauses} == {"第一条"} and clauses[1].key == "art1#2"
    assert all(c.text.endswith("。") for c in clauses)  # no sentence broken
    assert clauses[0].page == 1 and clauses[-1].page == 2


def test_numbering_must_continue_its_sequence():
    blocks = [Block(t, 1) for t in ["一、总则", "本办法适用于全区。", "二、措施", "（一）场地。提供工位。",
                                    "3. 这一行只是正文里的数字开头。", "（二）资金。最高10万元。"]]
    clauses = find_clauses(blocks, "zh")
    assert [c.label for c in clauses] == ["一、", "（一）", "（二）"]
    assert "3. 这一行" in clauses[1].text


def test_translation_aligns_by_number_even_when_sections_differ():
    original = {"1": "s1", "2.1": "s2-1", "2.2": "s2-2", "2.3": "s2-3"}
    ex = [Block(t) for t in ["(1) Registration help.", "(2) Legal clinic.", "(3) Export desk.", "(4) Extra."]]
    translation = find_clauses(ex, "en")
    assert align_ids(original, translation) == ["s2-1", "s2-2", "s2-3", None]


@pytest.mark.parametrize("make, name, error, words", [
    (f.encrypted_pdf_bytes, "locked.pdf", EncryptedDocument, "password-protected"),
    (f.scanned_pdf_bytes, "scan.pdf", NoExtractableText, "no extractable text; OCR is not supported"),
    (f.corrupt_pdf_bytes, "broken.pdf", CorruptDocument, "damaged PDF"),
    (lambda: b"\x00\x01garbage" * 50, "renamed.pdf", CorruptDocument, "not a valid PDF"),
    (lambda: b"PK\x03\x04 broken zip", "broken.docx", CorruptDocument, "damaged"),
    (lambda: b"", "empty.txt", EmptyDocument, "is empty"),
    (lambda: b"  \n\n \t ", "blank.md", EmptyDocument, "is empty"),
    (lambda: b"<html><body><nav>Home</nav></body></html>", "menu.html", EmptyDocument, "contains no text"),
    (lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "scan.png", UnsupportedDocument, "OCR is not supported"),
    (lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 64, "old.doc", UnsupportedDocument, ".docx or PDF"),
    (lambda: b"a,b\n1,2\n", "table.csv", UnsupportedDocument, "Unsupported file type .csv"),
    (lambda: bytes(range(256)) * 8, "blob.txt", UnsupportedDocument, "binary data"),
    (lambda: ERROR_PAGE.encode(), "gone.html", FetchFailed, "error page"),
])
def test_bad_files_get_clear_errors(make, name, error, words):
    with pytest.raises(error) as info:
        extract(make(), name)
    assert words in str(info.value)


def test_detect_format_prefers_content_to_extension():
    assert detect_format(f.zh_policy_pdf(), "download.bin") == "pdf"
    assert detect_format(f.docx_bytes(), "x") == "docx"
    assert detect_format(b"<!DOCTYPE html><html></html>", "page") == "html"
