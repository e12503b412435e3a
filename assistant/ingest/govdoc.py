"""Government documents as published: page furniture out, GB/T 9704 notice parts into metadata.

Rules come from ``corpus/government.yaml`` (furniture patterns, info-table fields, CMS meta tags, places).
``clean_blocks`` takes the extracted text blocks of any format and returns the blocks that are the
document itself plus ``DocMeta``: title (the 《…》 of "关于印发《…》的通知"), issuer, document number,
date signed, effective date, end of validity and jurisdiction. The red head, the document number line,
the addressee, the notice wrapper ("现将《…》印发给你们"), signature and date lines, page numbers and the
抄送/印发 block never reach clause text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from assistant.errors import CorpusError
from assistant.ingest.extract import Block
from assistant.ingest.structure import match_heading
from assistant.knowledge.government import government_file, load_government
from assistant.knowledge.numerals import cn_int
from assistant.knowledge.places import load_places


@dataclass
class DocMeta:
    """What a government document says about itself (all optional: found, never guessed)."""

    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None  # 发文字号: "星澜东滨科〔2026〕3号"
    date_signed: str | None = None  # ISO dates
    effective_date: str | None = None
    valid_until: str | None = None
    jurisdiction: str | None = None  # "南山区"
    jurisdiction_en: str | None = None  # "Nanshan District"
    published: str | None = None
    site: str | None = None
    attachments: list[dict] = field(default_factory=list)  # {"title", "url"} links of the page's attachment list

    def merge(self, other: DocMeta) -> DocMeta:
        """Fill what this one lacks from ``other`` (this one — metadata read first — wins)."""
        for name in self.__dataclass_fields__:
            if not getattr(self, name):
                setattr(self, name, getattr(other, name))
        return self

    def as_yaml(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


NOTICE_PATTERNS = ("doc_number", "red_head", "wrapper_title", "notice_title", "wrapper", "issuer_line", "banji",
                   "policy_title", "closing", "from_signing", "years", "until")


class _Notice:
    """One pattern of ``notice`` in the deployment's government.yaml, read when first used."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __getattr__(self, name: str):   # search, match, fullmatch, finditer, sub …
        return getattr(rules().notice[self.key], name)


@dataclass
class Rules:
    notice: dict[str, re.Pattern]  # the shapes of a notice (`notice` of government.yaml)
    furniture: list[re.Pattern]
    tail: re.Pattern
    attachment: re.Pattern
    info_fields: dict[str, str]  # label → field
    meta_tags: dict[str, str]  # lower-case meta name → field


def rules(path: Path | None = None) -> Rules:
    """The reviewed rules of the deployment's government.yaml, validated: a bad pattern fails here, with
    its file and entry named."""
    return _rules(government_file(path))


@lru_cache(maxsize=4)
def _rules(path: Path) -> Rules:
    raw = load_government(path)
    try:
        furniture = [re.compile(p, re.I) for p in raw["furniture"]]
        tail, attachment = re.compile(raw["tail_headings"], re.I), re.compile(raw["attachment_heading"], re.I)
        info = {label.lower(): name for name, labels in raw["info_fields"].items() for label in labels}
        tags = {tag.lower(): name for name, names in raw["meta_tags"].items() for tag in names}
        notice = {key: re.compile(raw["notice"][key], re.I) for key in NOTICE_PATTERNS}
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise CorpusError(f"{path}: invalid government-document rules ({exc.__class__.__name__}: {exc})") from None
    return Rules(notice, furniture, tail, attachment, info, tags)


def is_furniture(text: str) -> bool:
    """A line that belongs to the page or print layout, not the document. Lines that read as sentences
    (a full stop) or run long are text, whatever they start with."""
    line = text.strip()
    if len(line) > 160 or "。" in line:
        return False
    return any(p.search(line) for p in rules().furniture)


# --- dates and validity ---------------------------------------------------------------------------
_ZH_DATE = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
                      r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
_MONTHS = {m: i for i, m in enumerate("january february march april may june july august september october "
                                      "november december".split(), start=1)}
_EN_DATE = re.compile(r"(?P<m>[A-Z][a-z]+)\.?\s+(?P<d>\d{1,2}),\s*(?P<y>\d{4})")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO (Chinese, English or numeric), else None."""
    for pattern, parts in ((_ZH_DATE, lambda m: (m[1], m[2], m[3])), (_ISO, lambda m: (m[1], m[2], m[3]))):
        m = pattern.search(text)
        if m:
            y, mo, d = (cn_int(x) or 0 for x in parts(m))
            try:
                return date(y, mo, d).isoformat()
            except ValueError:
                return None
    m = _EN_DATE.search(text)
    if m and m["m"].lower() in _MONTHS:
        try:
            return date(int(m["y"]), _MONTHS[m["m"].lower()], int(m["d"])).isoformat()
        except ValueError:
            return None
    return None


_EFFECTIVE = [re.compile(p, re.I) for p in (
    r"自\s*(?P<date>[^，。；,]{6,16}?日)\s*起\s*(施行|实施|执行|生效)",
    r"(take|takes|took) effect (on|from) (?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})",
    r"(effective|in force) (from|on|as of) (?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})")]
_FROM_SIGNING = _Notice("from_signing")
_YEARS = _Notice("years")
_UNTIL = _Notice("until")
_EN_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}


def validity(text: str, signed: str | None = None) -> tuple[str | None, str | None]:
    """(effective date, last day in force) from the document's own words."""
    effective = None
    for pattern in _EFFECTIVE:
        m = pattern.search(text)
        if m and (effective := parse_date(m["date"])):
            break
    if effective is None and signed and _FROM_SIGNING.search(text):
        effective = signed
    until = None
    m = _UNTIL.search(text)
    if m:
        until = parse_date(m["date"] or m["en"])
    m = _YEARS.search(text)
    if until is None and m and effective:
        n = (cn_int(m["n"]) or 0) if m["n"] else _EN_NUMBERS.get(m["en"].lower()) or (int(m["en"]) if m["en"].isdigit() else 0)
        if n:
            start = date.fromisoformat(effective)
            try:
                end = start.replace(year=start.year + n)
            except ValueError:  # 29 February
                end = start.replace(year=start.year + n, day=28)
            until = (end - timedelta(days=1)).isoformat()
    return effective, until


def jurisdiction(issuer: str | None) -> tuple[str | None, str | None]:
    """The innermost place in an issuer's name ("深圳市南山区科技创新局" → 南山区), with its English name."""
    if not issuer:
        return None, None
    places = load_places()
    known = [(issuer.find(p), p) for p in places if p in issuer]
    if known:
        place = max(known)[1]
        return place, places[place].en
    found = re.findall(r"([\u4e00-\u9fff]{1,4}?(?:省|自治区|市|新区|区|县))", issuer)
    return (found[-1], None) if found else (None, None)


# --- GB/T 9704 notices ----------------------------------------------------------------------------
_DOC_NUMBER = _Notice("doc_number")
_RED_HEAD = _Notice("red_head")
_WRAPPER_TITLE = _Notice("wrapper_title")
_NOTICE_TITLE = _Notice("notice_title")
_ADDRESSEE = re.compile(r"^[^。]{2,120}[：:]$")
_WRAPPER = _Notice("wrapper")
_ISSUER_LINE = _Notice("issuer_line")
_DATE_LINE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年[^。]{1,8}日\s*$")
_BANJI = _Notice("banji")


_POLICY_TITLE = _Notice("policy_title")
_CLOSING = _Notice("closing")
_SOFT_END = re.compile(r"[。；！？：:.;!?]$")


def _with_next(blocks: list[Block], i: int) -> str:
    """A PDF line joined with the next line of its paragraph (a title or wrapper wraps at the page edge)."""
    b = blocks[i]
    if i + 1 < len(blocks) and blocks[i + 1].soft and blocks[i + 1].page == b.page:
        return b.text.strip() + blocks[i + 1].text.strip()
    return b.text.strip()


def _strip_notice(blocks: list[Block], meta: DocMeta) -> list[Block]:
    """Take the notice wrapper and print layout out of ``blocks``, recording what they say in ``meta``."""
    out: list[Block] = []
    wrapper_title_seen = meta.title is not None
    in_banji = False
    body = False  # the policy's first numbered clause has been seen: no more wrapper from here on
    closed = False  # the closing article ("自…起施行") has been seen: the document's text is over
    skip = 0  # lines already consumed with the previous one
    dropping = False  # the dropped wrapper sentence goes on in this (soft) line
    for i, b in enumerate(blocks):
        text = b.text.strip()
        if skip:
            skip -= 1
            continue
        if dropping and b.soft:
            dropping = not _SOFT_END.search(text)
            continue
        dropping = False
        head = i < 40 and not body  # the 版头 and the wrapper come first
        heading = match_heading(text)
        body = body or (heading is not None and heading.style in ("article", "chapter", "cn"))
        if _BANJI.search(text):
            in_banji, page = True, b.page  # the 版记 runs to the end of its page
            continue
        if in_banji:
            if b.page is not None and b.page != page:
                in_banji = False
            else:
                continue
        if head and (m := _RED_HEAD.match(text)) and not _DOC_NUMBER.search(text):
            meta.issuer = meta.issuer or m["issuer"]
            continue
        if head and (m := _DOC_NUMBER.search(text)) and len(text) <= len(m[0]) + 20:
            meta.doc_number = meta.doc_number or re.sub(r"\s+", "", m[0])
            continue  # "签发人：…" shares the line in upward documents
        if not body:
            joined = _with_next(blocks, i)
            for candidate, lines in ((text, 0), (joined, 1)):
                m = _WRAPPER_TITLE.search(candidate)
                if m and len(candidate) <= len(m[0]) + 40 and (lines == 0 or candidate.endswith(m[0][-2:])):
                    meta.title = meta.title or m["title"].strip()
                    if issuer := candidate[:m.start()].strip():
                        meta.issuer = meta.issuer or issuer
                    wrapper_title_seen, skip = True, lines
                    break
            else:
                m = None
            if m:
                continue
        if head and not wrapper_title_seen and _NOTICE_TITLE.match(text) and meta.title is None:
            meta.title, wrapper_title_seen = text, True
            continue
        if not body and _ADDRESSEE.match(text) and re.search(r"各|单位|部门|政府|局|委|办", text):
            continue  # "各街道办事处，区直各单位：" before the wrapper text
        if not body and _WRAPPER.search(text) and len(text) <= 200 and (wrapper_title_seen or "印发" in text):
            dropping = not _SOFT_END.search(text)
            continue
        if _ISSUER_LINE.match(text) and i + 1 < len(blocks) and _DATE_LINE.match(blocks[i + 1].text):
            meta.issuer = meta.issuer or text
            continue  # 署名: its date follows
        if _DATE_LINE.match(text) and len(text) <= 16:
            meta.date_signed = meta.date_signed or parse_date(text)
            continue  # 成文日期
        if not body and (text.strip("《》 ") == meta.title or (meta.title is None and _POLICY_TITLE.match(text))):
            meta.title = meta.title or text
            continue  # the policy's own title line
        if closed and heading is None and len(text) <= 60 and not _SOFT_END.search(text):
            continue  # after the closing article a page lists other things (hot news, links)
        closed = closed or (heading is not None and bool(_CLOSING.search(text)))
        out.append(b)
    return out


def _cut_tail(blocks: list[Block], meta: DocMeta) -> list[Block]:
    """Drop everything from a related-articles heading on; an attachment list's lines leave no text."""
    r = rules()
    out = []
    for i, b in enumerate(blocks):
        if r.tail.match(b.text.strip()):
            break
        if r.attachment.match(b.text.strip()) and len(b.text) <= 80:
            continue  # the attachment list's heading; its links were read as metadata already
        out.append(b)
    return out


def clean_blocks(blocks: list[Block], meta: DocMeta | None = None) -> tuple[list[Block], DocMeta]:
    """The document's own text blocks and its metadata (``meta`` read from the page first, if given)."""
    meta = meta or DocMeta()
    kept = [b for b in blocks if not is_furniture(b.text)]
    kept = _cut_tail(kept, meta)
    kept = _strip_notice(kept, meta)
    text = "\n".join(b.text for b in kept)
    effective, until = validity(text, meta.date_signed)
    meta.effective_date = meta.effective_date or effective
    meta.valid_until = meta.valid_until or until
    if meta.jurisdiction is None:  # a guide without an issuer names its place in its title
        meta.jurisdiction, meta.jurisdiction_en = jurisdiction(meta.issuer or meta.title)
    return kept, meta


def page_meta(found: dict) -> DocMeta:
    """DocMeta from what a page or file declared (meta tags, info table): read before the text."""
    title = found.get("title")
    if title and (m := _WRAPPER_TITLE.search(title)):
        title = m["title"].strip()
    issuer = found.get("issuer") or found.get("source") or None  # ContentSource names the issuing department
    return DocMeta(title=title or None, issuer=issuer, doc_number=found.get("doc_number") or None,
                   date_signed=parse_date(found.get("date_signed") or ""),
                   published=parse_date(found.get("published") or ""), site=found.get("site") or None)


def has_articles(blocks: list[Block]) -> bool:
    """True when the text has numbered clauses of its own (a notice page whose body is only a link has none)."""
    return sum(1 for b in blocks if (h := match_heading(b.text)) and h.style in ("article", "cn", "cnparen")) >= 2


def closing_clause(text: str) -> bool:
    """The article that says when the document takes effect and how long it is valid."""
    return bool(_CLOSING.search(text) and (_EFFECTIVE[0].search(text) or _YEARS.search(text) or _UNTIL.search(text)
                                           or _FROM_SIGNING.search(text) or re.search(r"take effect", text, re.I)))
