"""The fictional city's documents laid out the way Chinese government sites and offices publish them:
three web templates (a TRS-style CMS page, a gov.cn-style page with an info table, a district portal with
non-semantic class names), an English translation page, GB/T 9704 PDFs (red head, document number, page
numbers "— N —", articles across pages, ruled tables with merged cells, 抄送/印发 block), a DOCX guide with
a Word table, and a notice page whose body only links its attachment.

``python -m harness.govdocs eval/documents`` writes them for the documents evaluation (eval/documents.yaml).
"""

from __future__ import annotations

import html
import io
import sys
from pathlib import Path

from . import govtexts as t
from .docfactory import cjk_font


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _html_table(header: list[str], rows: list[list[str | None]]) -> str:
    """A table with <th> headers; a None cell is covered by the cell above it (rowspan)."""
    out = ["<table border='1' cellspacing='0'><tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>"]
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            if cell is None:
                continue
            span = 1
            while i + span < len(rows) and rows[i + span][j] is None:
                span += 1
            cells.append(f"<td rowspan='{span}'>{_e(cell)}</td>" if span > 1 else f"<td>{_e(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out) + "</table>"


def _body(items) -> str:
    return "\n".join(_html_table(x[1], x[2]) if isinstance(x, tuple) else f"<p>{_e(x)}</p>" for x in items)


def _wrapper_html(doc: dict) -> str:
    return (f"<p style='text-align:center'>{_e(doc['number'])}</p><p>{_e(doc['addressee'])}</p>"
            f"<p>{_e(doc['wrapper'])}</p><p style='text-align:right'>{_e(doc['issuer'])}</p>"
            f"<p style='text-align:right'>{_e(doc['signed'])}</p><p>（此件公开发布）</p>"
            f"<p style='text-align:center'><b>{_e(doc['title'])}</b></p>")


def notice_title(doc: dict) -> str:
    return f"{doc['issuer']}关于印发《{doc['title']}》的通知"


def trs_page(doc: dict = t.DONGBIN) -> str:
    """A TRS-style district CMS page: meta tags, breadcrumb, info line, TRS_Editor body, related list, footer."""
    related = "".join(f"<li><a href='/art/{i}.html'>{_e(r)}</a></li>" for i, r in enumerate(t.RELATED))
    footer = "".join(f"<p>{_e(x)}</p>" for x in t.FOOTER)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="SiteName" content="星澜市东滨区人民政府"><meta name="ColumnName" content="政策文件">
<meta name="ArticleTitle" content="{_e(notice_title(doc))}"><meta name="PubDate" content="2026-02-12 09:30">
<meta name="ContentSource" content="{_e(doc['issuer'])}">
<title>{_e(notice_title(doc))}_东滨区人民政府门户网站</title></head><body>
<div class="top1"><a href="/">东滨区人民政府</a> <a href="/zwgk/">政务公开</a> <a href="/bsfw/">办事服务</a></div>
<div class="dqwz">当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>
<div class="tit"><h1>{_e(notice_title(doc))}</h1></div>
<div class="xxly">信息来源：{_e(doc['issuer'])} 信息提供日期：2026-02-12 浏览次数：1024 【字体：大 中 小】 视力保护色 分享到：</div>
<div class="TRS_Editor">{_wrapper_html(doc)}{_body(doc['articles'])}</div>
<div class="dy"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="xgwz"><div class="xgwz-t">相关文章</div><ul>{related}</ul></div>
<div class="bottom_bq">{footer}<p>网站标识码：4403050001</p></div>
</body></html>"""


def govcn_page(doc: dict = t.CITY_PLAN) -> str:
    """A gov.cn-style page: an info table (索引号, 发文机关, 成文日期, 发文字号) above the text."""
    info = [("索引号", "11440300MB2C12345X/2026-00012"), ("主题分类", "科技、教育"), ("发文机关", doc["issuer"]),
            ("成文日期", doc["signed"]), ("标题", notice_title(doc)), ("发文字号", doc["number"]),
            ("发布日期", "2026年01月20日")]
    rows = "".join(f"<tr><td class='t1'>{a}：</td><td>{_e(b)}</td></tr>" for a, b in info)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_e(notice_title(doc))}_星澜市人民政府门户网站</title>
<meta name="ArticleTitle" content="{_e(notice_title(doc))}"><meta name="PubDate" content="2026-01-20 10:00">
<meta name="ContentSource" content="{_e(doc['issuer'])}"></head><body>
<div class="hd"><div class="logo">星澜市人民政府</div><ul class="dh"><li>首页</li><li>要闻动态</li><li>政务公开</li></ul></div>
<div class="wz">首页 &gt; 政务公开 &gt; 政策文件</div>
<div class="bd1"><table class="xxgk">{rows}</table></div>
<div class="article"><h1>{_e(notice_title(doc))}</h1><div id="UCAP-CONTENT">{_wrapper_html(doc)}{_body(doc['articles'])}</div></div>
<div class="ft"><p>主办单位：星澜市人民政府办公厅 版权所有</p><p>联系电话：0755-8800 1234</p><p>粤ICP备20269999号</p></div>
</body></html>"""


def portal_page(doc: dict = t.BEILING_OLD) -> str:
    """A district portal with non-semantic class names and a 热点信息 list after the text."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_e(doc['title'])}-北岭区政府在线</title></head><body>
<div class="a1"><span>北岭区政府在线</span> <span>无障碍浏览</span> <span>长者模式</span></div>
<div class="a2"><a href="/">首页</a> | <a href="/xw">新闻</a> | <a href="/zc">政策</a></div>
<div class="a3">您的位置：首页 &gt; 政策法规</div>
<div class="c9"><div class="c9t">{_e(notice_title(doc))}</div>
<div class="c9s">发布时间：2023-03-22 来源：{_e(doc['issuer'])} 【字体：大 中 小】 打印</div>
<div class="c9b">{_wrapper_html(doc)}{_body(doc['articles'])}</div></div>
<div class="c10"><div>热点信息</div><p>北岭区2026年春季招聘会（岗位2000个）</p><p>北岭区发放消费券500万元</p></div>
<div class="c11"><p>北岭区人民政府 版权所有 粤ICP备20230007号 公网安备 44030902000007号</p></div>
</body></html>"""


def english_page(doc: dict = t.DONGBIN_EN) -> str:
    """The English translation page of the Dongbin measures, on the district's English site."""
    related = "".join(f"<li>{x}</li>" for x in ("Dongbin hosts OPC contest (prize pool 3 million yuan)",
                                                "Shortlist of 2025 grants published"))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_e(doc['title'])}</title>
<meta name="ArticleTitle" content="{_e(doc['title'])}"><meta name="PubDate" content="2026-02-15"></head><body>
<div class="m1"><a href="/en/">Home</a> <a href="/en/news/">News</a> <a href="/en/policies/">Policies</a></div>
<div class="m2">Home &gt; Policies &gt; Enterprise support</div>
<div class="m3"><h1>{_e(doc['title'])}</h1>
<p class="m4">Source: {_e(doc['issuer'])} Date: 2026-02-15 Font size: L M S</p>
<div class="m5">{_body(doc['articles'])}</div>
<p class="m6">Print | Close</p></div>
<div class="m7"><p>Related articles</p><ul>{related}</ul></div>
<div class="m8">Copyright © Dongbin District People's Government. ICP 20260001</div>
</body></html>"""


def attachment_page(doc: dict = t.COMMUNITY, href: str = "/files/community-rules.pdf") -> str:
    """A notice page whose body only introduces the attachment that holds the real text."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_e(notice_title(doc))}</title>
<meta name="ArticleTitle" content="{_e(notice_title(doc))}"><meta name="PubDate" content="2026-04-03 08:00">
<meta name="ContentSource" content="{_e(doc['issuer'])}"></head><body>
<div class="wz">当前位置：首页 &gt; 通知公告</div><h1>{_e(notice_title(doc))}</h1>
<div class="TRS_Editor"><p>各有关单位：</p><p>现将《{_e(doc['title'])}》印发给你们，请认真贯彻执行。</p>
<p>{_e(doc['issuer'])}</p><p>{_e(doc['signed'])}</p>
<p>附件：<a href="{href}">{_e(doc['title'])}.pdf</a></p></div>
<div class="ft">联系电话：0755-8800 5678</div></body></html>"""


# --- GB/T 9704 PDFs ------------------------------------------------------------------------------
def _styles():
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(cjk_font()), subfontIndex=0))
    base = dict(fontName="WQY", wordWrap="CJK")
    return {"red": ParagraphStyle("red", fontSize=26, leading=40, alignment=TA_CENTER, textColor=colors.red, **base),
            "center": ParagraphStyle("c", fontSize=14, leading=24, alignment=TA_CENTER, **base),
            "title": ParagraphStyle("t", fontSize=18, leading=30, alignment=TA_CENTER, **base),
            "body": ParagraphStyle("b", fontSize=14, leading=25, firstLineIndent=28, **base),
            "plain": ParagraphStyle("p", fontSize=14, leading=25, **base),
            "right": ParagraphStyle("r", fontSize=14, leading=25, alignment=TA_RIGHT, **base),
            "cell": ParagraphStyle("cell", fontSize=11, leading=16, **base)}


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont("WQY", 12)
    canvas.drawCentredString(canvas._pagesize[0] / 2, 40, f"— {doc.page} —")
    canvas.restoreState()


def _pdf_table(header, rows, st):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [[Paragraph(h, st["cell"]) for h in header]]
    spans = []
    for i, row in enumerate(rows, start=1):
        data.append([Paragraph(c, st["cell"]) if c is not None else "" for c in row])
        for j, c in enumerate(row):
            if c is None:
                spans.append(("SPAN", (j, i - 1), (j, i)))
    table = Table(data, hAlign="CENTER")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.8, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans]))
    return table


def notice_pdf(doc: dict, wrapper: bool = True) -> bytes:
    """A notice laid out to GB/T 9704: red head, number, red rule, wrapper, signature, the policy's articles,
    the 版记 (抄送/印发) at the end; page numbers "— N —" under every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import HRFlowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    st = _styles()
    story = []
    if wrapper:
        story += [Paragraph(f"{doc['issuer']}文件", st["red"]), Spacer(1, 12), Paragraph(doc["number"], st["center"]),
                  HRFlowable(width="100%", thickness=2, color=colors.red), Spacer(1, 18),
                  Paragraph(f"关于印发《{doc['title']}》的通知", st["title"]), Paragraph(doc["addressee"], st["plain"]),
                  Paragraph(doc["wrapper"], st["body"]), Spacer(1, 24), Paragraph(doc["issuer"], st["right"]),
                  Paragraph(doc["signed"], st["right"]), Paragraph("（此件公开发布）", st["plain"]), PageBreak()]
    story.append(Paragraph(doc["title"], st["title"]))
    for item in doc["articles"]:
        story.append(_pdf_table(item[1], item[2], st) if isinstance(item, tuple) else Paragraph(item, st["body"]))
        story.append(Spacer(1, 6))
    if doc.get("cc"):
        story += [Spacer(1, 30), HRFlowable(width="100%", thickness=1, color=colors.black),
                  Paragraph(doc["cc"], st["plain"]), HRFlowable(width="100%", thickness=0.5, color=colors.black),
                  Paragraph(doc["printed"], st["plain"])]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=f"{doc['number']}", leftMargin=80, rightMargin=80, topMargin=90,
                      bottomMargin=80, invariant=1).build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buf.getvalue()


def guide_docx(doc: dict = t.GUIDE) -> bytes:
    """An application guide (申报指南) whose amounts sit in a Word table."""
    import docx

    document = docx.Document()
    document.add_heading(doc["title"], level=1)
    for item in doc["sections"]:
        if isinstance(item, tuple):
            header, rows = item[1], item[2]
            table = document.add_table(rows=1 + len(rows), cols=len(header))
            for j, h in enumerate(header):
                table.cell(0, j).text = h
            for i, row in enumerate(rows, start=1):
                for j, c in enumerate(row):
                    table.cell(i, j).text = c or ""
        else:
            document.add_paragraph(item)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# The documents evaluation's corpus: file name → (bytes builder, options for add_document).
EVAL_DOCUMENTS = {
    "dongbin-measures.html": (trs_page, {}),
    "dongbin-measures-en.html": (english_page, {"translation_of": "dongbin-measures", "lang": "en"}),
    "xinglan-action-plan.html": (govcn_page, {}),
    "beiling-startup-rules-2023.html": (portal_page, {}),
    "xinglan-compute-vouchers.pdf": (lambda: notice_pdf(t.COMPUTE_RULES), {}),
    "beiling-financing-rules.pdf": (lambda: notice_pdf(t.BEILING_FINANCE), {}),
    "dongbin-loan-guide.docx": (guide_docx, {}),
    "xinglan-community-rules.pdf": (lambda: notice_pdf(t.COMMUNITY, wrapper=False), {}),
}


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (build, _) in EVAL_DOCUMENTS.items():
        data = build()
        path = folder / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "eval/documents")):
        print(p)
