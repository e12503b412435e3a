"""An answer as statements, and numbers as people write them.

`statements` cuts an answer into the statements the grounding gate checks one by one: sentences, then the
clauses of a sentence (，；: and the like), each with its span in the answer so a warning can name it.
`spell_out` rewrites the numbers people write in words into the figures `assistant/knowledge/figures.py` reads:
financial numerals (壹贰叁…佰仟), fractions and ratios (half, a fifth, three-fifths, 三分之二, 一半, 打五折,
平四成). It keeps what the words mean, not what they look like: "rent is 平四成" (four tenths cheaper) is 60 %
of the rent, "打五折" is 50 %. `quotations` finds text the answer puts in quotation marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.knowledge.numerals import FINANCIAL, FINANCIAL_CHARS, cn_int
from assistant.understanding.text import sentence_spans

# a citation marker, "[2]": every check reads a statement without them
CITE_MARK = re.compile(r"\[\d{1,3}\]")
# a clause boundary inside a sentence (a comma between thousands groups is not one)
_CLAUSE = re.compile(r"[，；;：]|,(?![0-9]{3})|:(?![0-9])|\s[-–—]\s")


@dataclass(frozen=True)
class Statement:
    text: str
    start: int
    sentence: str
    part: str = ""   # the part of the sentence it belongs to (up to ； or ;): what its framing words govern


_PART_END = re.compile(r"[；;]")


@lru_cache(maxsize=4096)
def sentences(text: str, parts: bool = False) -> tuple[tuple[int, int], ...]:
    """Spans of the sentences of ``text`` (the product's one splitter, `sentence_spans`); with ``parts``, of
    their parts too (cut again after ；;): what "either/or", a ratio or a comparison is read within."""
    spans = sentence_spans(text) or ([(0, len(text))] if text.strip() else [])
    if not parts:
        return tuple(spans)
    out: list[tuple[int, int]] = []
    for a, b in spans:
        cuts = [a] + [m.end() for m in _PART_END.finditer(text, a, b)] + [b]
        out += [(x, y) for x, y in zip(cuts, cuts[1:]) if text[x:y].strip()]
    return tuple(out)


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The span of the sentence part of ``text`` that holds position ``pos``."""
    return next(((a, b) for a, b in sentences(text, True) if a <= pos < b), (0, len(text)))


@lru_cache(maxsize=2048)
def statements(text: str) -> tuple[Statement, ...]:
    """The clauses of each sentence of ``text`` (citation markers kept), in order, none empty."""
    out: list[Statement] = []
    for at, end in sentences(text):
        sentence = text[at:end]
        cuts = [0] + [m.end() for m in _CLAUSE.finditer(sentence)] + [len(sentence)]
        parts = [0] + [m.end() for m in _PART_END.finditer(sentence)] + [len(sentence)]
        for a, b in zip(cuts, cuts[1:]):
            piece = sentence[a:b]
            lo = max(p for p in parts if p <= a)
            hi = min(p for p in parts if p >= b)
            if CITE_MARK.sub("", piece).strip(" ，。；;:：,.!?！？"):
                lead = len(piece) - len(piece.lstrip())   # its place in the answer is where its text starts
                out.append(Statement(piece.strip(), at + a + lead, sentence.strip(), sentence[lo:hi].strip()))
    return tuple(out)


# --- numbers in words --------------------------------------------------------------------------
# a run of numerals holding a financial one (參考, 大陸 are words: a lone character is translated only before 元/万)
_FIN_RUN = re.compile(r"[壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億万亿零〇一二三四五六七八九十百千两兩]{2,}"
                      r"|[壹贰貳叁肆伍陆柒捌玖](?=[元万萬亿億])")
_D = "一二三四五六七八九两兩"


def _pct(v: float) -> str:
    return f"{round(v, 2):g}%"


def _cheaper(m: re.Match[str]) -> str:
    tenths = cn_int(m.group("n"))
    return m.group(0) if tenths is None else m.group("pre") + _pct(100 - tenths * 10)


def _discount(m: re.Match[str]) -> str:
    a, b = cn_int(m.group("a")), cn_int(m.group("b")) if m.group("b") else None
    if a is None:
        return m.group(0)
    return _pct(a * 10 + (b or 0)) if m.group("b") else _pct(a * 10)


def _fraction_zh(m: re.Match[str]) -> str:
    den, num = cn_int(m.group("den")), cn_int(m.group("num"))
    return m.group(0) if not den or num is None else _pct(100 * num / den)


_EN_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9}
_TEN = {"ten": 10}
_EN_DEN = {"half": 2, "halve": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "tenth": 10}


def _fraction_en(m: re.Match[str]) -> str:
    num = _EN_NUM.get((m.group("num") or "one").lower(), 1)
    den = _EN_DEN[m.group("den").lower().rstrip("s")]
    return _pct(100 * num / den)


_RULES = [
    # "便宜40%": that much cheaper (before the 成 rule, whose output it must not read again)
    (re.compile(r"(?P<pre>(?:平|便宜|低|减|減|省|优惠|優惠)(?:咗|了)?(?:大约|大約|大概|约|約)?)(?P<n>\d{1,2}(?:\.\d+)?)\s*%"),
     lambda m: m.group("pre") + _pct(100 - float(m.group("n")))),
    # "平(咗)(大约)四成", "便宜四成": that much cheaper, so the rest of the price
    (re.compile(rf"(?P<pre>(?:平|便宜|低|减|減|省)(?:咗|了)?(?:大约|大約|大概|约|約)?)(?P<n>[{_D}1-9])成"), _cheaper),
    (re.compile(rf"(?:打)?(?P<a>[{_D}])(?P<b>[{_D}])?折"), _discount),
    # "a 40 percent discount", "40% off", "便宜40%": that much off, so the rest of the price
    (re.compile(r"(?<![\d.])(?P<n>\d{1,2}(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)\s*"
                r"(?=(?:discount|off|cheaper|less than|below|under|lower than)\b)", re.I),
     lambda m: _pct(100 - float(m.group("n"))) + " "),
    (re.compile(r"(?<![\w-])(?:discount|reduction)\s+of\s+(?:about\s+|around\s+|roughly\s+)?"
                r"(?P<n>\d{1,2}(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)", re.I),
     lambda m: "discount of " + _pct(100 - float(m.group("n")))),
    # "三分之二", "二十分之一", "百分之六十": numerals of more than one character on either side
    (re.compile(rf"(?P<den>[{_D}十百零〇]+|\d+)分之(?P<num>[{_D}十零〇]+|\d+)"), _fraction_zh),
    (re.compile(r"(?:一半|半价|半價)"), lambda m: "50%"),
    # "一倍半", "兩倍": so many times the other figure
    (re.compile(rf"(?P<n>[{_D}十]+|(?<![\d.])\d{{1,2}})倍(?P<half>半)?"),
     lambda m: _pct(100 * (cn_int(m.group("n")) or 0) + (50 if m.group("half") else 0))),
    (re.compile(r"(?<![\w-])(?:twice|double|two times)(?![\w-])", re.I), lambda m: "200%"),
    (re.compile(r"(?<![\w-])(?:three times|triple)(?![\w-])", re.I), lambda m: "300%"),
    # "five times the model voucher" (not "five times a year": how often)
    (re.compile(r"(?<![\w.-])(?P<n>four|five|six|seven|eight|nine|ten|\d{1,2})\s+times(?![\w-])"
                r"(?!\s+(?:a|an|per|each|every|in)\b)", re.I),
     lambda m: _pct(100 * (_EN_NUM.get(m.group("n").lower()) or _TEN.get(m.group("n").lower()) or int(m.group("n"))))),
    # Cantonese dates: "1月1號" is the 1st of January
    (re.compile(r"(?<=月)(?P<d>\d{1,2})[號号]"), lambda m: m.group("d") + "日"),
    (re.compile(r"(?<![\w-])(?<!and\s)(?<!and\sa\s)(?:(?P<num>a|an|one|two|three|four|five|six|seven|eight|nine)[\s-]+)?"
                r"(?P<den>half|halve|thirds?|quarters?|fourths?|fifths?|sixths?|tenths?)(?![\w-])"
                r"(?!\s+an?\s+(?:million|billion|thousand|year|month|day))", re.I),
     _fraction_en),
]


@lru_cache(maxsize=8192)   # the gate reads each statement's numbers in several checks
def spell_out(text: str) -> str:
    """``text`` with financial numerals and fractions written as the figures they are (see the module doc)."""
    out = _FIN_RUN.sub(lambda m: m.group().translate(FINANCIAL) if FINANCIAL_CHARS & set(m.group()) else m.group(), text)
    for rx, fn in _RULES:
        out = rx.sub(fn, out)
    return out


# --- quotations --------------------------------------------------------------------------------
_ARITHMETIC = re.compile(r"\d[^\d×÷＋+=＝]{0,4}[×÷＋+=＝]\s*[\d一二三四五六七八九十两]")
_QUOTE = re.compile(r"「([^」]{2,})」|『([^』]{2,})』|“([^”]{2,})”|\"([^\"]{2,})\"")


def quotations(text: str) -> list[str]:
    """Text in quotation marks (「」 『』 “” ""), but not the answer's own arithmetic set off in them
    (「10個×1萬平方米」): its figures are the figure check's."""
    return [q for m in _QUOTE.finditer(text) for q in [next(g for g in m.groups() if g)] if not _ARITHMETIC.search(q)]
