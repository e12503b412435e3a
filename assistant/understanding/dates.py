"""Years a text speaks of, however they are written — one parser for every date expression in an ask.

"2029", "early 2029", "2028年底", "二〇二九年", "民國118年" (the Republic of China era: +1911), and years
relative to today: 今年/明年/后年/大后年, 去年/前年, "next year", "the year after next", "in two years",
"三年后". Each is returned with its span, so a caller can tell a year asked about from a premise
("runs until 2030", "到2030年"). Words of the relative years and the era live in corpus/frame.yaml (``dates``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from assistant.knowledge.numerals import cn_int

_CN_SMALL = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a couple of": 2, "a few": 3}

_ARABIC = re.compile(r"(?<![0-9.,])((?:19|20)\d\d)(?![0-9])")
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")
_IN_YEARS_EN = re.compile(r"\bin\s+(\d{1,2}|one|two|three|four|five|a couple of|a few)\s+years?\b", re.I)
_YEARS_LATER_ZH = re.compile(r"(?<![0-9年])(\d{1,2}|[一二两兩三四五六七八九十])\s*年\s*(?:后|後|以后|以後|之后|之後)")


class DateWords(BaseModel):
    """corpus/frame.yaml ``dates``: relative years (word -> offset from this year) and era names."""

    model_config = ConfigDict(extra="forbid")
    relative: dict[str, int] = Field(default_factory=dict, description="今年: 0, 明年: 1, next year: 1 …")
    eras: dict[str, int] = Field(default_factory=dict, description="era name -> year 0 of it (民国: 1911)")
    premise: list[str] = Field(default_factory=list,
                               description="Words before a year that make it a premise, not a year asked about.")


@dataclass(frozen=True)
class YearMention:
    year: int
    start: int
    end: int
    relative: bool = False  # said relative to today (明年, next year)


def _small(raw: str) -> int | None:
    raw = raw.lower()
    if raw.isdigit():
        return int(raw)
    return _CN_SMALL.get(raw) or _EN_SMALL.get(raw)


class YearParser:
    def __init__(self, words: DateWords) -> None:
        self.words = words
        rel = sorted(words.relative, key=len, reverse=True)
        self._relative = re.compile("|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in rel),
                                    re.I) if rel else None
        eras = sorted(words.eras, key=len, reverse=True)
        self._era = re.compile(rf"(?:{'|'.join(map(re.escape, eras))})\s*(\d{{1,3}}|[一二三四五六七八九十百]{{1,6}})\s*年") \
            if eras else None
        premise = "|".join((r"\b" if p.isascii() else "") + re.escape(p)
                           for p in sorted(words.premise, key=len, reverse=True))
        self._premise = re.compile(rf"(?:{premise})\s*(?:the\s+)?(?:end\s+of\s+)?$", re.I) if premise else None

    def years(self, text: str, today: date | None = None) -> list[YearMention]:
        """Every year ``text`` speaks of, in reading order (overlapping forms counted once)."""
        today = today or date.today()
        found: list[YearMention] = []
        for m in _ARABIC.finditer(text):
            found.append(YearMention(int(m.group(1)), m.start(), m.end()))
        for m in _CN_YEAR.finditer(text):
            found.append(YearMention(cn_int(m.group(1)) or 0, m.start(), m.end()))
        if self._era is not None:
            for m in self._era.finditer(text):
                era = next(v for k, v in self.words.eras.items() if m.group(0).startswith(k))
                n = int(m.group(1)) if m.group(1).isdigit() else cn_int(m.group(1))
                if n:
                    found.append(YearMention(era + n, m.start(), m.end()))
        if self._relative is not None:
            lowered = {k.lower(): v for k, v in self.words.relative.items()}
            for m in self._relative.finditer(text):
                found.append(YearMention(today.year + lowered[m.group(0).lower()], m.start(), m.end(), True))
        for rx in (_IN_YEARS_EN, _YEARS_LATER_ZH):
            for m in rx.finditer(text):
                n = _small(m.group(1))
                if n:
                    found.append(YearMention(today.year + n, m.start(), m.end(), True))
        found.sort(key=lambda y: (y.start, -y.end))
        out: list[YearMention] = []
        for y in found:  # "民國118年" also holds no Arabic year; "2028年" is one mention, not two
            if not out or y.start >= out[-1].end:
                out.append(y)
        return out

    def asked(self, text: str, today: date | None = None) -> list[YearMention]:
        """The years an ask asks about: every year but those a premise word leads ("until 2030", "到2030年")."""
        out = []
        for y in self.years(text, today):
            if self._premise is not None and self._premise.search(text[:y.start].rstrip()
                                                                   .removesuffix("early").removesuffix("late")
                                                                   .rstrip()):
                continue
            out.append(y)
        return out
