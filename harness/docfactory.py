"""Real documents for the ingestion tests, built on the spot: PDFs (reportlab, with a CJK TrueType font),
DOCX (python-docx), HTML pages, GBK text, and the bad inputs (encrypted, scanned, corrupt, empty ...).

The policy below is invented for the tests ("Nanshan District measures"); its figures differ from the
built-in plan's so answers can only come from the added document.
"""

from __future__ import annotations

import io
from pathlib import Path

CJK_FONTS = [Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc")]

ZH_TITLE = "南山区支持人工智能一人公司发展若干措施"
# Three pages of articles: (page, lines). The numbered lines are the document's own numbering.
ZH_PAGES = [
    [ZH_TITLE,
     "第一条 为支持人工智能一人公司（OPC）在本区集聚发展，根据市级行动计划，制定本措施。",
     "第二条 本措施适用于在本区注册、从事人工智能研发和应用的一人公司及其核心成员。",
     "第三条 办公租金补贴。对入驻区内OPC社区的企业，给予最长3年的办公租金补贴，每年最高8万元。"],
    ["第四条 模型训练补贴。对租用算力开展模型训练的企业，按实际费用的30%给予补贴，每家企业每年最高50万元。",
     "第五条 人才公寓。对企业核心成员优先配租人才公寓，租金为市场价的50%，最长可租住5年。"],
    ["第六条 首次融资奖励。企业首次获得股权投资的，按投资额的10%给予奖励，最高20万元。",
     "第七条 本措施自2026年3月1日起施行，有效期2年。"],
]
EN_TITLE = "Nanshan District Measures to Support AI One-Person Companies"
EN_ARTICLES = [
    ("Article 1", "These measures are formulated to support AI one-person companies (OPCs) in clustering in the "
                  "district, in line with the municipal action plan."),
    ("Article 2", "These measures apply to AI one-person companies registered in the district and their core members."),
    ("Article 3", "Office rent subsidy. Enterprises settling in an OPC community of the district receive an office "
                  "rent subsidy for up to 3 years, capped at 80,000 yuan per year."),
    ("Article 4", "Model training subsidy. Enterprises renting computing power for model training receive a subsidy "
                  "of 30% of the actual cost, up to 500,000 yuan per enterprise per year."),
    ("Article 5", "Talent apartments. Core members of enterprises have priority to rent talent apartments at 50% "
                  "of the market price, for up to 5 years."),
    ("Article 6", "First financing reward. An enterprise receiving equity investment for the first time is rewarded "
                  "with 10% of the investment, up to 200,000 yuan."),
    ("Article 7", "These measures take effect on March 1, 2026 and are valid for two years."),
]


def cjk_font() -> Path:
    for path in CJK_FONTS:
        if path.is_file():
            return path
    raise RuntimeError("No CJK TrueType font: install Debian's fonts-wqy-zenhei (make test does).")


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for token in (list(text) if any("\u4e00" <= ch <= "\u9fff" for ch in text) else text.split(" ")):
        sep = "" if len(token) == 1 and "\u3000" <= token <= "\u9fff" or not line else " "
        candidate = line + (sep if line else "") + token
        if stringWidth(candidate, font, size) > width and line:
            lines.append(line)
            line = token
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def pdf_bytes(pages: list[list[str]], *, title: str | None = None, cjk: bool = True, size: float = 11) -> bytes:
    """A text-layer PDF, one list of paragraphs per page, wrapped to the page width like a real document."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "Helvetica"
    if cjk:
        font = "WQY"
        if font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(font, str(cjk_font()), subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    if title:
        c.setTitle(title)
    width, height = A4
    for paragraphs in pages:
        y = height - 60
        c.setFont(font, size)
        for para in paragraphs:
            for line in _wrap(para, font, size, width - 120):
                c.drawString(60, y, line)
                y -= size * 1.6
            y -= size * 0.8
        c.showPage()
    c.save()
    return buf.getvalue()


def zh_policy_pdf() -> bytes:
    return pdf_bytes(ZH_PAGES, title=ZH_TITLE)


def en_policy_html(nav: bool = True) -> str:
    """The English version as a government web page: navigation, breadcrumbs, sidebar and footer around it."""
    body = "\n".join(f"<p><strong>{label}</strong> {text}</p>" for label, text in EN_ARTICLES)
    boiler_top = ("<header><div class='logo'>Nanshan District Government Online</div></header>"
                  "<nav><a href='/'>Home</a> | <a href='/news'>News</a> | <a href='/policies'>Policies</a> | "
                  "<a href='/contact'>Contact us</a></nav>"
                  "<div class='breadcrumb'>Home &gt; Policies &gt; Enterprise support</div>") if nav else ""
    boiler_side = "<aside><h3>Related links</h3><ul><li>Tourism guide</li><li>Weather today</li></ul></aside>" if nav else ""
    boiler_foot = ("<footer>Copyright 2026 Nanshan District People's Government. All rights reserved. "
                   "Site map | Privacy statement</footer><script>var tracker = 1;</script>") if nav else ""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{EN_TITLE} - Nanshan Government Online"
            f"</title></head><body>{boiler_top}<main><h1>{EN_TITLE}</h1><p>Issued by the Nanshan District "
            f"Science and Technology Bureau.</p>{body}</main>{boiler_side}{boiler_foot}</body></html>")


FUTIAN_EN = [
    ["Futian District Guidelines for AI Startup Services",
     "1. General provisions",
     "These guidelines explain the services Futian offers to artificial intelligence startups.",
     "2. Services",
     "(1) Registration help. A dedicated service window handles company registration within 3 working days.",
     "(2) Legal clinic. Startups may book free legal consultation of up to 10 hours per year."],
    ["(3) Export desk. The export desk helps with overseas trademark filing, subsidising 70% of official fees.",
     "3. Contact",
     "Questions go to the Futian enterprise service hotline."],
]


def en_guidelines_pdf() -> bytes:
    return pdf_bytes(FUTIAN_EN, title="Futian District Guidelines for AI Startup Services", cjk=False)


DOCX_ZH = [
    ("heading", "福田区人工智能企业数据服务办法"),
    ("p", "一、总体要求"),
    ("p", "为规范数据语料服务，制定本办法。"),
    ("p", "二、服务内容"),
    ("p", "（一）数据标注券。对采购数据标注服务的企业，按合同金额的20%发放数据标注券，最高15万元。"),
    ("p", "（二）公共数据开放。每季度发布一次公共数据开放目录。"),
]


def docx_bytes(paragraphs=DOCX_ZH) -> bytes:
    import docx

    document = docx.Document()
    for kind, text in paragraphs:
        if kind == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


GBK_TEXT = """宝安区人工智能一人公司场地支持细则

一、适用范围
本细则适用于在宝安区注册的人工智能一人公司。

二、场地支持
（一）免租工位。对新入驻的一人公司提供免租工位，免租期最长6个月。
（二）会议室共享。入驻企业每月可免费使用共享会议室20小时。
"""


def gbk_text_bytes() -> bytes:
    return GBK_TEXT.encode("gbk")


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(en_guidelines_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner-secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def scanned_pdf_bytes() -> bytes:
    """A 'scan': each page is one picture of text, with no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    for i in range(20):
        draw.rectangle([40, 40 + i * 36, 560, 60 + i * 36], fill=(40, 40, 40))  # lines of "ink"
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for _ in range(2):
        c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return buf.getvalue()


def corrupt_pdf_bytes() -> bytes:
    """A PDF header followed by damage: what a truncated download looks like."""
    good = en_guidelines_pdf()
    return good[:400] + bytes(range(256)) * 4


# --- hostile documents: each is small on the wire and expensive to parse naively ---------------
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_replacing(members: dict[str, bytes], extra: dict | None = None) -> bytes:
    """A real DOCX with some parts replaced, and ``extra`` parts written from iterables of chunks (streamed,
    so a gigabyte of zeros never sits in memory here)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename in (extra or {}):
                continue
            target.writestr(item.filename, members.get(item.filename, source.read(item.filename)))
        for name, chunks in (extra or {}).items():
            with target.open(name, "w", force_zip64=True) as fh:
                for chunk in chunks:
                    fh.write(chunk)
    return out.getvalue()


def zip_bomb_docx(megabytes: int) -> bytes:
    return docx_replacing({}, {"word/media/image1.bin": (b"\0" * 1_000_000 for _ in range(megabytes))})


def huge_text_docx(megabytes: int) -> bytes:
    """A DOCX whose document.xml inflates to ``megabytes`` MB of one paragraph (the issue's 20 MB → 1.1 GB)."""
    def chunks():
        yield f"<w:document {W}><w:body><w:p><w:r><w:t>".encode()
        for _ in range(megabytes):
            yield "政策".encode() * 166_666
        yield b"</w:t></w:r></w:p></w:body></w:document>"

    return docx_replacing({}, {"word/document.xml": chunks()})


def deep_docx(depth: int) -> bytes:
    body = "<w:sdt><w:sdtContent>" * depth + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * depth
    return docx_replacing({"word/document.xml": f"<w:document {W}><w:body>{body}</w:body></w:document>".encode()})


def entity_bomb_docx() -> bytes:
    dtd = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>"
    return docx_replacing({"word/document.xml": (f'<?xml version="1.0"?>{dtd}<w:document {W}><w:body><w:p><w:r>'
                                                 "<w:t>&j;</w:t></w:r></w:p></w:body></w:document>").encode()})


def deep_html(depth: int) -> bytes:
    return (b"<!DOCTYPE html><html><head><title>Measures</title></head><body>" + b"<div>" * depth
            + b"<p>Article 1. Support.</p>" + b"</div>" * depth + b"</body></html>")
