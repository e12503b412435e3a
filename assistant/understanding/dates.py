"""Years a text speaks of, however they are written — one parser for every date expression in an ask.

"2029", "early 2029", "January 2028", "2028年底", "二〇二九年", "２０２８年", "民國118年" (the Republic of China
era: +1911), years relative to today: 今年/明年/出年/后年/大后年, 去年/前年, "next year", "the year after
next", "in two years", "three years ago", "三年后", bounds: "after 2027", "beyond 2027", "2027年以后", "before
2026", "2026年之前" (the year past the bound), and the plan's own end: "after the plan ends", "到期后" (the year
after it). Each is returned with its span, so a caller can tell a year asked about from a premise ("runs until
2030", "到2030年"), and :meth:`YearParser.told` says whether a past year is the founder's story ("since 2019",
"graduated", "在…工作"). Words live in corpus/frame.yaml (``dates``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from assistant.knowledge.numerals import DIGITS, cn_int, small_int
from assistant.understanding.text import without_spans

_EN_SOME = {"a couple of": 2, "a few": 3, "a": 1}   # counts said without a number word
_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")  # full-width digits, one character each: spans hold

_ARABIC = re.compile(r"(?<![0-9.,])((?:19|20)\d\d)(?![0-9])")
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")
_SMALL = r"(\d{1,2}|one|two|three|four|five|a couple of|a few|a)"
_IN_YEARS_EN = re.compile(rf"\bin\s+{_SMALL}\s+(?:years?|yrs?)\b|\b{_SMALL}\s+(?:years?|yrs?)\s+from\s+now\b", re.I)
_AGO_EN = re.compile(rf"\b{_SMALL}\s+(?:years?|yrs?)\s+ago\b", re.I)
_YEARS_LATER_ZH = re.compile(r"(?<![0-9年])(\d{1,2}|[一二两兩三四五六七八九十])\s*年\s*(?:后|後|以后|以後|之后|之後)")
_YEARS_AGO_ZH = re.compile(r"(?<![0-9年])(\d{1,2}|[一二两兩三四五六七八九十])\s*年\s*(?:前|以前|之前)")
_MONTHS = ("january february march april may june july august september october november december").split()
_DAY = r"(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?"
_MONTH_EN = rf"(?:{_DAY}(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
            r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+" + _DAY + r"(?:of\s+)?)?"
# a bound: the year past it is what is asked about ("after 2027" -> 2028; "after March 2027" stays in 2027)
_AFTER_EN = re.compile(rf"(?:\b(?:after|beyond|past|later\s+than)\s+|\bpost-?\s*)(?:the\s+)?(?P<end>end\s+of\s+|late\s+)?"
                       rf"{_MONTH_EN}(?P<y>(?:19|20)\d\d)(?![0-9])", re.I)
_AFTER_ZH = re.compile(r"(?<![0-9])(?P<y>(?:19|20)\d\d)\s*年?\s*(?:(?P<end>底|末|年底|年末)|(?P<mon>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(?:份|底|\s*\d{1,2}\s*[日号號])?)?"
                       r"\s*(?:结束|結束|完)?\s*(?:以后|之后|以後|之後|过后|過後|往后|往後|后|後)")
_BEFORE_EN = re.compile(r"\b(?:before|prior\s+to|earlier\s+than)\s+(?:the\s+)?(?:start\s+of\s+|early\s+)?"
                        r"(?P<y>(?:19|20)\d\d)(?![0-9])", re.I)
_BEFORE_ZH = re.compile(r"(?<![0-9])(?P<y>(?:19|20)\d\d)\s*年?\s*(?:初\s*)?(?:以前|之前|前(?![0-9一二三四五六七八九十后後]))")


class DateWords(BaseModel):
    """corpus/frame.yaml ``dates``: relative years (word -> offset from this year) and era names."""

    model_config = ConfigDict(extra="forbid")
    relative: dict[str, int] = Field(default_factory=dict, description="今年: 0, 明年: 1, next year: 1 …")
    eras: dict[str, int] = Field(default_factory=dict, description="era name -> year 0 of it (民国: 1911)")
    premise: list[str] = Field(default_factory=list,
                               description="Words before a year that make it a premise, not a year asked about.")
    term: list[str] = Field(default_factory=list,
                            description="Words of the plan's own term (runs, lasts, valid, 有效): a premise word makes "
                                        "a year a premise only beside one of them — '到2030年的目标' asks about 2030.")
    after_end: list[str] = Field(default_factory=list,
                                 description="Words naming the time after the plan ends (到期后, after the plan "
                                             "ends): the year after its last year is asked about.")
    told: list[str] = Field(default_factory=list,
                            description="Words by a past year that make it the founder's story, never asked about "
                                        "(since 2019, worked, 工作, 毕业).")
    retroactive: list[str] = Field(default_factory=list,
                                   description="Words asking to claim back for time past (追溯, 补领, retroactively): "
                                               "beside them a year before the plan is asked about, story or not.")
    enquiring: list[str] = Field(default_factory=list,
                                 description="First-person words that only open a question (我想问, I'd like to "
                                             "know): they do not make a year the founder's story.")
    when: list[str] = Field(default_factory=list,
                            description="Words that with a year only say when (的时候, 那年, back in): a lead-in of a "
                                        "year and these alone dates the ask after it, it tells no story.")


@dataclass(frozen=True)
class YearMention:
    year: int
    start: int
    end: int
    relative: bool = False  # said relative to today (明年, next year)
    bound: str | None = None  # "after" / "before": the year past a bound ("after 2027" -> 2028)


def _small(raw: str) -> int | None:
    raw = raw.lower()
    return small_int(raw) or _EN_SOME.get(raw)


def _words(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alts = "|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
                    for w in sorted(terms, key=len, reverse=True))
    return re.compile(alts, re.I)


class YearParser:
    def __init__(self, words: DateWords) -> None:
        self.words = words
        self._relative = _words(list(words.relative))
        eras = sorted(words.eras, key=len, reverse=True)
        self._era = re.compile(rf"(?:{'|'.join(map(re.escape, eras))})\s*(\d{{1,3}}|[〇零一二三四五六七八九十百]{{1,6}})\s*年") \
            if eras else None
        premise = "|".join((r"\b" if p.isascii() else "") + re.escape(p)
                           for p in sorted(words.premise, key=len, reverse=True))
        self._premise = re.compile(rf"(?:{premise})\s*(?:the\s+)?(?:end\s+of\s+)?$", re.I) if premise else None
        self._after_end = _words(words.after_end)
        self._term = _words(words.term)
        self._told = _words(words.told)
        self._enquiring = _words(words.enquiring)
        self._retroactive = _words(words.retroactive)
        self._when = _words(words.when)

    def years(self, text: str, today: date | None = None, plan_end: int | None = None) -> list[YearMention]:
        """Every year ``text`` speaks of, in reading order (overlapping forms counted once, the longest first).
        ``plan_end``: the plan's last year, for "after the plan ends"."""
        today = today or date.today()
        text = text.translate(_WIDE)
        found: list[YearMention] = []
        for m in _ARABIC.finditer(text):
            found.append(YearMention(int(m.group(1)), m.start(), m.end()))
        for m in _CN_YEAR.finditer(text):
            found.append(YearMention(cn_int(m.group(1)) or 0, m.start(), m.end()))
        if self._era is not None:
            for m in self._era.finditer(text):
                era = next(v for k, v in self.words.eras.items() if m.group(0).lower().startswith(k.lower()))
                n = _era_number(m.group(1))
                if n:
                    found.append(YearMention(era + n, m.start(), m.end()))
        if self._relative is not None:
            lowered = {k.lower(): v for k, v in self.words.relative.items()}
            for m in self._relative.finditer(text):
                found.append(YearMention(today.year + lowered[m.group(0).lower()], m.start(), m.end(), True))
        for rx, sign in ((_IN_YEARS_EN, 1), (_YEARS_LATER_ZH, 1), (_AGO_EN, -1), (_YEARS_AGO_ZH, -1)):
            for m in rx.finditer(text):
                n = _small(next(g for g in m.groups() if g))
                if n:
                    found.append(YearMention(today.year + sign * n, m.start(), m.end(), True))
        for rx in (_AFTER_EN, _AFTER_ZH):
            for m in rx.finditer(text):
                year, mon = int(m.group("y")), m.group("mon")
                whole = m.group("end") or not mon or _month(mon) == 12  # after all of the year
                found.append(YearMention(year + 1 if whole else year, m.start(), m.end(), bound="after"))
        for rx in (_BEFORE_EN, _BEFORE_ZH):
            for m in rx.finditer(text):
                found.append(YearMention(int(m.group("y")) - 1, m.start(), m.end(), bound="before"))
        if plan_end is not None and self._after_end is not None:
            for m in self._after_end.finditer(text):
                found.append(YearMention(plan_end + 1, m.start(), m.end(), bound="after"))
        found.sort(key=lambda y: (y.start, -y.end))
        out: list[YearMention] = []
        for y in found:  # "民國118年" also holds no Arabic year; "2028年" is one mention, not two
            if not out or y.start >= out[-1].end:
                out.append(y)
        return out

    def asked(self, text: str, today: date | None = None, plan_end: int | None = None) -> list[YearMention]:
        """The years an ask asks about: every year but those a premise word leads when the ask speaks of the
        plan's term ("the plan runs until 2030", "截至2030年都有效"); "到2030年的目标是多少" asks about 2030."""
        out = []
        term = self._term is None or bool(self._term.search(text))
        for y in self.years(text, today, plan_end):
            if y.bound is None and term and self._premise is not None and \
                    self._premise.search(text[:y.start].rstrip().removesuffix("early").removesuffix("late").rstrip()):
                continue
            out.append(y)
        return out

    def dated(self, text: str, today: date | None = None) -> bool:
        """Whether an ask asks about a time: a year, or the time after the plan ends ("到期后还算数吗")."""
        return bool(self.asked(text, today) or (self._after_end is not None and self._after_end.search(text)))

    def without_plan_end(self, text: str) -> str:
        """``text`` without the words naming the time after the plan ends ("到期以后", "after it expires"): what
        is left is what is asked of that time."""
        if self._after_end is None:
            return text
        return without_spans(text, [YearMention(0, m.start(), m.end()) for m in self._after_end.finditer(text)])

    def told(self, text: str) -> bool:
        """Whether ``text`` tells the founder's own past ("worked there since 2019", "2021年毕业")."""
        return bool(self._told is not None and self._told.search(text))

    def only_when(self, text: str, today: date | None = None) -> bool:
        """Whether ``text`` says only when: a year and words placing it in time ("2024年的时候", "back in 2024",
        "去年那时"), nothing else."""
        found = self.years(text, today)
        if not found:
            return False
        left = without_spans(text, found)
        if self._when is not None:
            left = self._when.sub(" ", left)
        return not re.sub(r"[\W_年]+", "", left)

    def retroactive(self, text: str) -> bool:
        """Whether ``text`` asks to claim something back for time past ("能追溯抵扣吗", "claim back pay")."""
        return bool(self._retroactive is not None and self._retroactive.search(text))

    def enquiring(self, text: str) -> str:
        """``text`` without the first-person words that only open a question ("我想问下去年…" -> "下去年…")."""
        return self._enquiring.sub(" ", text) if self._enquiring is not None else text


def _month(raw: str) -> int:
    raw = raw.lower().rstrip(".")
    if raw.isdigit():
        return int(raw)
    if (n := cn_int(raw)) is not None:
        return n
    return next((i + 1 for i, name in enumerate(_MONTHS) if name.startswith(raw[:3])), 0)


def _era_number(raw: str) -> int | None:
    """118, 一百一十八 -> 118; 一一七 -> 117 (an era year written digit by digit)."""
    if raw and all(ch in DIGITS for ch in raw):
        return int("".join(str(DIGITS[ch]) for ch in raw)) or None
    return cn_int(raw)
