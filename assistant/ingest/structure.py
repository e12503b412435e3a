"""Text blocks → clauses, from the document's own numbering.

Chinese government style (第X章 / 第X条 / 一、 / （一） / 1. / （1）) and English (Chapter N / Article N / I. /
(1) / 1.). Articles, when a document has them, are the clauses. Otherwise the numbering styles rank by first
appearance: the first is the section level, the second the clause level, deeper ones stay inside their
clause's text. A numbered line only counts when it continues its style's sequence (1, 2, 3 … restarting
under a new section), so a wrapped PDF line that happens to start with "3." is not a heading.

Every clause gets a language-independent ``key`` from its numbers ("2.4", "art5", "0" for the preamble) so
a translation's clauses pair with the original's; labels stay as printed ("（四）", "Article 5").
Clauses longer than ``MAX_CLAUSE_CHARS`` are split between sentences into parts that keep the label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ingest.extract import Block
from assistant.knowledge.numerals import cn_int
from assistant.understanding.text import cjk_count, split_sentences

MAX_CLAUSE_CHARS = 900
_CN = "[一二三四五六七八九十百零〇两]+"
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# (style, pattern); groups: n = the number, rest = what follows on the line.
_STYLES: list[tuple[str, re.Pattern]] = [(s, re.compile(p)) for s, p in [
    ("chapter", rf"^第(?P<n>{_CN}|\d+)[章编]\s*(?P<rest>.*)$"),
    ("chapter", r"^(?:Chapter|CHAPTER|Part|PART)\s+(?P<n>[IVXLC]+|\d+)\b[.:]?\s*(?P<rest>.*)$"),
    ("section", rf"^第(?P<n>{_CN}|\d+)节\s*(?P<rest>.*)$"),
    ("article", rf"^第(?P<n>{_CN}|\d+)条\s*(?P<rest>.*)$"),
    ("article", r"^(?:Article|ARTICLE|Art\.)\s*(?P<n>\d+|[IVXLC]+)\b[.:]?\s*(?P<rest>.*)$"),
    ("cn", rf"^(?P<n>{_CN})\s*、\s*(?P<rest>.*)$"),
    ("roman", r"^(?P<n>[IVX]{1,5})\s*[.、]\s+(?P<rest>.*)$"),
    ("cnparen", rf"^[（(]\s*(?P<n>{_CN})\s*[）)]\s*(?P<rest>.*)$"),
    ("digit", r"^(?P<n>\d{1,2})\s*[.．、](?![\d%])\s*(?P<rest>.*)$"),
    ("digitparen", r"^[（(]\s*(?P<n>\d{1,2})\s*[）)]\s*(?P<rest>.*)$"),
    ("circled", r"^(?P<n>[\u2460-\u2473])\s*(?P<rest>.*)$"),
]]
_HEADING_ONLY = {"chapter", "section"}
_TERMINAL = re.compile(r"[。！？；!?;]|[.](?=\s|$)")
PREAMBLE = {"zh": "前言", "en": "Preamble"}


@dataclass
class RawClause:
    """A clause as found in one language version, before it gets an id."""

    key: str  # language-independent numbering path: "0", "2", "2.4", "art5"; parts add "#2"
    label: str  # as printed: "（四）", "Article 5", "二（四）"
    title: str
    text: str
    page: int | None
    lang: str


def roman_number(s: str) -> int:
    values = [_ROMAN[c] for c in s.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def parse_number(raw: str) -> int:
    if "\u2460" <= raw <= "\u2473":  # ① … ⑳ (isdigit() is true for them too)
        return ord(raw) - 0x2460 + 1
    if raw.isdigit():
        return int(raw)
    if re.fullmatch(r"[IVXLC]+", raw):
        return roman_number(raw)
    return cn_int(raw) or 0


@dataclass
class Heading:
    style: str
    n: int
    label: str
    rest: str


def match_heading(line: str) -> Heading | None:
    """The numbering a line starts with, if any (sequence checks come later)."""
    for style, pattern in _STYLES:
        m = pattern.match(line)
        if m:
            raw = m.group("n")
            return Heading(style, parse_number(raw), _label(style, line[: m.start("rest")].strip()), m.group("rest"))
    return None


def _label(style: str, printed: str) -> str:
    printed = " ".join(printed.split())
    if style == "cnparen":  # Chinese numbers take full-width brackets, whatever the typist used
        return printed.replace("(", "（").replace(")", "）").replace(" ", "")
    return printed.rstrip(".:．").strip() if style in ("article", "chapter", "section") else printed


def split_title(rest: str, whole_block: bool) -> tuple[str, str]:
    """(title, body) from what follows a number: a short heading line is a title, and so is a paragraph's
    tiny lead-in sentence ("（四）提供住房保障。推行……")."""
    rest = rest.strip()
    zh = cjk_count(rest) > len(rest) / 4
    short = (lambda s: len(s) <= 30) if zh else (lambda s: len(s.split()) <= 14)
    if not rest:
        return "", ""
    stripped = rest.rstrip("：:")
    # A heading line has no closing full stop: "（四）提供住房保障" is a title, "第七条 本措施自……施行。" is text.
    if whole_block and short(stripped) and not _TERMINAL.search(stripped):
        return stripped, ""
    # A lead-in title sentence ("办公租金补贴。", "Office rent subsidy.") is very short and states no figure;
    # it moves to the title so that answers quote the sentences that say something.
    sentences = split_sentences(rest)
    lead = sentences[0].rstrip("。.!?！？；;") if sentences else ""
    tiny = len(lead) <= 15 if zh else len(lead.split()) <= 5
    if len(sentences) > 1 and tiny and not re.search(r"\d", lead):
        return lead, rest[len(sentences[0]):].strip()
    return "", rest


@dataclass
class _Open:
    key: str
    label: str
    title: str
    section_label: str | None = None  # the enclosing section's label, to tell repeated labels apart
    segments: list[tuple[int | None, str, bool]] = field(default_factory=list)  # page, text, new paragraph

    def add(self, page: int | None, text: str, new_paragraph: bool) -> None:
        if text:
            self.segments.append((page, text, new_paragraph))


def _join(segments: list[tuple[int | None, str, bool]]) -> str:
    out = ""
    for _, text, new_para in segments:
        if not out:
            out = text
        elif new_para:
            out += "\n\n" + text
        elif cjk_count(out[-1:]) or cjk_count(text[:1]) or out.endswith("-"):
            out = (out[:-1] if out.endswith("-") and not cjk_count(out[-2:-1]) else out) + text
        else:
            out += " " + text
    return out


def find_clauses(blocks: list[Block], lang: str, title: str | None = None) -> list[RawClause]:
    """Clauses of one language version, in document order."""
    matches = [match_heading(b.text) for b in blocks]
    articles = sum(1 for m in matches if m and m.style == "article" and m.n in (1, 2))
    order: list[str] = []
    last: dict[str, int] = {}
    accepted: list[Heading | None] = []
    for m in matches:
        if m is None or (articles >= 1 and m.style not in ("article", "chapter", "section")):
            accepted.append(None)  # with articles, enumerations inside them are text
            continue
        if m.style in _HEADING_ONLY:
            accepted.append(m)
            continue
        if m.style not in order:
            order.append(m.style)
        if m.n != last.get(m.style, 0) + 1:
            accepted.append(None)
            continue
        level = order.index(m.style)
        last[m.style] = m.n
        for deeper in order[level + 1:]:
            last.pop(deeper, None)
        accepted.append(m)
    # Only styles that really number things (seen at least twice or once as a first) shape clauses.
    levels = [s for s in order if s == "article"] or order[:2]
    # A PDF line much shorter than the document's usual line is a heading on its own, not a wrapped paragraph.
    widths = sorted(len(b.text) for b in blocks if b.soft)
    typical = widths[len(widths) // 2] if widths else 0

    clauses: list[_Open] = [_Open("0", PREAMBLE[lang], "")]
    section: Heading | None = None
    for block, head in zip(blocks, accepted):
        if head is not None and head.style in levels:
            depth = levels.index(head.style)
            if head.style == "article":
                key, label = f"art{head.n}", head.label
            elif depth == 0:
                section = head
                key, label = str(head.n), head.label
            else:
                key = f"{section.n}.{head.n}" if section else str(head.n)
                label = head.label
            whole = block.heading or not block.soft or len(block.text) < 0.7 * typical
            heading_title, body = split_title(head.rest, whole_block=whole)
            clause = _Open(key, label, heading_title, section.label if section and depth > 0 else None)
            clause.add(block.page, body, True)
            if not body:
                clause.segments.append((block.page, "", True))  # remember the heading's page
            clauses.append(clause)
            continue
        text = block.text
        if head is not None and head.style in _HEADING_ONLY:
            continue  # chapter titles are not clause text
        if title and clauses[-1].key == "0" and not clauses[-1].segments and text.strip() == title.strip():
            continue  # the document's own title line
        clauses[-1].add(block.page, text, new_paragraph=not block.soft or head is not None or block.heading)
    labels = [c.label for c in clauses]
    out: list[RawClause] = []
    for c in clauses:
        text = _join([s for s in c.segments if s[1]])
        if not text:
            continue  # a section heading with nothing of its own before its first clause
        label = c.label
        if c.section_label and labels.count(label) > 1:
            label = f"{c.section_label.rstrip('、.')}{label}" if lang == "zh" else f"{c.section_label} {label}"
        page = next((p for p, _, _ in c.segments if p is not None), None)
        out.extend(_split_long(RawClause(c.key, label, c.title, text, page, lang), c.segments))
    return out


def _page_finder(segments: list[tuple[int | None, str, bool]]):
    """Page of a piece of clause text, found by position in the whitespace-free text."""
    flat, starts = "", []
    for page, text, _ in segments:
        starts.append((len(flat), page))
        flat += re.sub(r"\s+", "", text)

    def page_of(piece: str, cursor: int) -> tuple[int | None, int]:
        """(page where ``piece`` starts, cursor after it); pieces are looked up in order."""
        squeezed = re.sub(r"\s+", "", piece)
        at = flat.find(squeezed[:20], cursor)
        at = cursor if at < 0 else at
        page = None
        for start, p in starts:
            if start <= at:
                page = p if p is not None else page
        return page, at + max(len(squeezed) - 5, 1)

    return page_of


def _split_long(clause: RawClause, segments) -> list[RawClause]:
    if len(clause.text) <= MAX_CLAUSE_CHARS:
        return [clause]
    sentences = split_sentences(clause.text)
    sep = "" if clause.lang == "zh" else " "
    parts: list[list[str]] = [[]]
    for s in sentences:
        if parts[-1] and len(sep.join(parts[-1] + [s])) > MAX_CLAUSE_CHARS:
            parts.append([])
        parts[-1].append(s)
    page_of = _page_finder(segments)
    cursor = 0
    out = []
    for i, part in enumerate(parts, start=1):
        page, cursor = page_of(sep.join(part), cursor)
        out.append(RawClause(clause.key if i == 1 else f"{clause.key}#{i}", clause.label, clause.title,
                             sep.join(part), page if page is not None else clause.page, clause.lang))
    return out
