"""Government documents as published: page furniture never becomes clause text, notice metadata is read,
tables become rows with header context. Real files (reportlab PDFs, python-docx, HTML templates), the real
extractors (trafilatura, pdfplumber, pypdf); no index needed here."""

from __future__ import annotations

import pytest

from assistant import Settings
from assistant.errors import EmptyDocument, IngestError, NoExtractableText
from assistant.ingest.govdoc import clean_blocks, is_furniture, jurisdiction, parse_date, validity
from assistant.ingest.html import choose
from assistant.ingest.limits import ParseLimits
from assistant.ingest.sources import Source, detect_doc_lang, read_document
from assistant.ingest.structure import Block, find_clauses
from assistant.ingest.tables import fill_merged, table_rows
from harness import govdocs as g
from harness import govtexts as t

LIMITS = ParseLimits.from_settings(Settings())


def read(data, name):
    data = data.encode() if isinstance(data, str) else data
    extracted, meta = read_document(Source(data, name), LIMITS)  # parsed in the sandbox, as uploads are
    clauses = find_clauses(extracted.blocks, detect_doc_lang(extracted.text), meta.title or extracted.title)
    return extracted, meta, clauses


def all_text(clauses) -> str:
    return "\n".join(f"{c.title}\n{c.text}" for c in clauses)


PAGES = [("trs.html", g.trs_page, t.DONGBIN), ("govcn.html", g.govcn_page, t.CITY_PLAN),
         ("portal.html", g.portal_page, t.BEILING_OLD)]
PDFS = [("compute.pdf", lambda: g.notice_pdf(t.COMPUTE_RULES), t.COMPUTE_RULES),
        ("finance.pdf", lambda: g.notice_pdf(t.BEILING_FINANCE), t.BEILING_FINANCE)]


@pytest.mark.parametrize("name, build, doc", PAGES + PDFS, ids=[p[0] for p in PAGES + PDFS])
def test_notice_metadata_is_read_and_never_clause_text(name, build, doc):
    _, meta, clauses = read(build(), name)
    assert meta.title == doc["title"]
    assert meta.issuer == doc["issuer"]
    assert meta.doc_number == doc["number"]
    assert meta.date_signed == parse_date(doc["signed"])
    text = all_text(clauses)
    for furniture in t.FURNITURE_WORDS + [doc["number"], doc["addressee"], doc["wrapper"][:12]]:
        assert furniture not in text, furniture
    for related in t.RELATED + t.FOOTER:
        assert related not in text
    # The preamble, if any, is the policy's own text, never the notice wrapper.
    assert all(c.key != "0" for c in clauses) or "印发" not in clauses[0].text
    # Every article or measure is there, in order, its last one the closing article.
    assert "施行" in clauses[-1].text


def test_validity_and_jurisdiction_from_the_documents_own_words():
    _, dongbin, _ = read(g.trs_page(), "trs.html")
    assert (dongbin.effective_date, dongbin.valid_until) == ("2026-03-01", "2028-02-29")  # 2 years, leap day kept
    assert (dongbin.jurisdiction, dongbin.jurisdiction_en) == ("东滨区", "Dongbin District")
    _, city, _ = read(g.govcn_page(), "govcn.html")
    assert (city.effective_date, city.valid_until) == ("2026-01-15", "2027-12-31")  # 自印发之日起 · 有效期至
    assert (city.jurisdiction, city.jurisdiction_en) == ("星澜市", "Xinglan City")
    assert validity("These measures take effect on March 1, 2026 and are valid for two years.") == \
        ("2026-03-01", "2028-02-29")
    assert jurisdiction("深圳市南山区科技创新局") == ("南山区", "Nanshan District")
    assert jurisdiction("某某省某某县农业农村局") == ("某某县", None)  # unknown places keep their Chinese name


def test_pdf_page_numbers_red_head_and_banji_are_not_text():
    extracted, meta, clauses = read(g.notice_pdf(t.COMPUTE_RULES), "compute.pdf")
    text = all_text(clauses)
    assert "—" not in text.replace("2026—2027", "")  # "— 2 —" page numbers gone, the plan's title dash kept
    assert "文件" not in text and "抄送" not in text and "印发" not in text
    # Articles that run across pages keep their page and their whole text.
    pages = {c.label: c.page for c in clauses}
    assert pages["第一条"] == 2 and pages["第九条"] >= 2
    assert "不得转售、转租" in next(c.text for c in clauses if c.label == "第二条")


def test_pdf_table_rows_keep_header_context_and_merged_cells():
    _, _, clauses = read(g.notice_pdf(t.BEILING_FINANCE), "finance.pdf")
    table = next(c for c in clauses if c.label == "第三条").text.split("\n\n")
    assert table == ["贷款支持 · 项目：首贷贴息 · 标准：贷款利息的50% · 上限：每年10万元",
                     "贷款支持 · 项目：续贷贴息 · 标准：贷款利息的30% · 上限：每年5万元",  # the merged cell fills down
                     "股权支持 · 项目：天使投资奖励 · 标准：投资额的8% · 上限：30万元"]


def test_docx_table_rows_answer_alone():
    _, meta, clauses = read(g.guide_docx(), "guide.docx")
    rows = next(c for c in clauses if c.title == "支持标准").text.split("\n\n")
    assert rows == ["首贷贴息 · 标准：贷款利息的60% · 上限：每年15万元", "担保费补贴 · 标准：担保费的50% · 上限：每年2万元"]
    assert meta.jurisdiction == "东滨区"  # a guide without an issuer: its title names the place


def test_html_table_with_rowspan_and_colspan():
    html = ("<html><body><main><p>第一条 支持标准如下。</p><table><tr><th rowspan='2'>项目</th><th colspan='2'>支持</th></tr>"
            "<tr><th>标准</th><th>上限</th></tr><tr><td>首贷贴息</td><td>贷款利息的60%</td><td>每年15万元</td></tr>"
            "<tr><td colspan='3'>以上均按年度申报</td></tr></table><p>第二条 本办法自2026年1月1日起施行。</p>"
            "</main></body></html>")
    _, _, clauses = read(html, "t.html")
    assert "首贷贴息 · 支持 标准：贷款利息的60% · 支持 上限：每年15万元" in clauses[0].text
    assert "以上均按年度申报" in clauses[0].text


def test_table_rows_pure():
    assert fill_merged([["a", None], ["x", "y"], [None, "z"]]) == [["a", "a"], ["x", "y"], ["x", "z"]]
    assert table_rows([["Item", "Cap"], ["Loan subsidy", "150,000 yuan."]]) == ["Loan subsidy · Cap: 150,000 yuan"]
    assert table_rows([["首贷贴息", "60%"], ["担保", "50%"]]) == ["首贷贴息 · 60%", "担保 · 50%"]  # no header row


def test_english_translation_page_loses_its_furniture():
    _, meta, clauses = read(g.english_page(), "en.html")
    text = all_text(clauses)
    assert [c.label for c in clauses] == [f"Article {n}" for n in range(1, 9)]
    for word in ("Font size", "Print", "Close", "Related", "prize pool", "Copyright", "Home"):
        assert word not in text
    assert "First-loan interest subsidy · Standard: 60% of loan interest · Cap: 150,000 yuan per year" in text


@pytest.mark.parametrize("line, furniture", [
    ("信息来源：东滨区科技创新局 信息提供日期：2026-02-12 【字体：大 中 小】", True),
    ("当前位置：首页 > 政务公开", True), ("— 3 —", True), ("粤ICP备20260001号", True), ("分享到：", True),
    ("抄送：市发展改革委。", False),  # a sentence (full stop): the 版记 is found by position, not by this rule
    ("资金来源：市级财政资金，按年度拨付。", False), ("第三条 办公租金补贴。", False), ("首贷贴息 · 上限：每年15万元", False),
])
def test_furniture_lines(line, furniture):
    assert is_furniture(line) is furniture


def test_extractor_choice_keeps_the_one_with_the_articles():
    ours = [Block("第一条 甲。"), Block("第二条 乙。"), Block("第三条 丙。")]
    assert choose(ours, [Block("第一条 甲。")]) == (ours, "fallback")  # trafilatura lost articles
    theirs = [Block("第一条 甲。"), Block("第二条 乙。"), Block("第三条 丙。")]
    assert choose(ours + [Block("某某新闻标题很长很长很长")], theirs) == (theirs, "trafilatura")


def test_all_boilerplate_page_is_refused():
    page = ("<html><head><title>东滨区人民政府</title></head><body><div class='a'>当前位置：首页 &gt; 政务公开</div>"
            "<div class='b'>信息来源：东滨区 【字体：大 中 小】 分享到：</div><div class='c'>粤ICP备20260001号</div>"
            "<div class='d'>联系电话：0755-8866 0000</div></body></html>")
    with pytest.raises(EmptyDocument, match="page furniture"):
        read(page, "empty.html")


def test_attachment_only_notice_from_a_file_says_what_to_add():
    with pytest.raises(IngestError, match="attachment") as exc:
        read(g.attachment_page(), "notice.html")
    assert "community-rules.pdf" in str(exc.value)


def test_cid_glyphs_are_not_text():
    from harness.docfactory import pdf_bytes

    data = pdf_bytes([["(cid:123)(cid:456)(cid:789)", "(cid:12)(cid:34)"]], cjk=False)
    with pytest.raises(NoExtractableText, match="Unicode map"):
        read(data, "cid.pdf")


def test_clean_blocks_notice_wrapper_in_plain_blocks():
    blocks = [Block(x) for x in ("星澜市东滨区科技创新局文件", "星东科〔2026〕3号",
                                 "关于印发《星澜市东滨区支持人工智能一人公司发展若干措施》的通知", "区各有关单位：",
                                 "现将《星澜市东滨区支持人工智能一人公司发展若干措施》印发给你们，请认真贯彻执行。",
                                 "星澜市东滨区科技创新局", "2026年2月10日", "（此件公开发布）",
                                 "星澜市东滨区支持人工智能一人公司发展若干措施", "第一条 为支持发展，制定本措施。",
                                 "第二条 本措施自2026年3月1日起施行，有效期2年。", "— 2 —")]
    kept, meta = clean_blocks(blocks)
    assert [b.text for b in kept] == ["第一条 为支持发展，制定本措施。", "第二条 本措施自2026年3月1日起施行，有效期2年。"]
    assert (meta.issuer, meta.doc_number, meta.date_signed) == ("星澜市东滨区科技创新局", "星东科〔2026〕3号", "2026-02-10")
