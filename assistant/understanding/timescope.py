"""The time scope of a message: which years outside the plan's period its answer must speak to.

Every date expression is read by one parser (:mod:`assistant.understanding.dates`), each in its own clause. A
future year past the plan's end counts wherever it is (founding, moving, graduating then; "2027年以后", "after
the plan ends"). A year before the plan counts in the founder's story only as a founding or registration; in an
ask it counts unless its clause tells the founder's own past (graduating, "since 2019", "worked", a
first-person story; a degree alone names who a benefit is for): "2025年的住房补贴是多少" and "registered in 2024, am I eligible?" ask about it, "我2021年
毕业，能申请吗" does not. Words live in corpus/frame.yaml (``dates``, ``graduation``, ``acting``).
"""

from __future__ import annotations

import re
from datetime import date

from assistant.knowledge.claims import Matcher, fold
from assistant.understanding.dates import YearMention, YearParser

_CLAUSE = re.compile(r"[，,；;。！？!?]|\s[-–—]\s")


class TimeScope:
    def __init__(self, dates: YearParser, graduation: Matcher, acting: Matcher) -> None:
        self.dates = dates
        self.graduation = graduation
        self.acting = acting

    def outside(self, parts: list[str], today: date, plan_years: tuple[int, int], asked: bool = False,
                me: Matcher | None = None, back: bool = False) -> list[int]:
        """Years outside ``plan_years`` the parts speak of. ``asked``: the parts are asks, where a year a premise
        word leads ("until 2030") is not asked about; ``me``: first-person words (a story told in an ask);
        ``back``: the message asks to claim back for time past, so every year before the plan is asked about
        ("2025年买的服务器能追溯抵扣吗": the plan starts later, whatever the story)."""
        first, last = plan_years
        out = []
        for part in parts:
            for clause in _CLAUSE.split(fold(part)):
                read = self.dates.asked if asked else self.dates.years
                for y in read(clause, today, last):
                    if y.year > last and (y.year > today.year or y.relative or y.bound == "after"):
                        out.append(y.year)
                    elif y.year < first and (back or self.past_asked(clause, y, asked, me)):
                        out.append(y.year)
        return out

    def past_asked(self, clause: str, y: YearMention, asked: bool, me: Matcher | None = None) -> bool:
        """Whether a year before the plan, in its clause, is asked about rather than the founder's story."""
        # a graduation told ("2021年毕业", "grad from 3 yrs ago") is the founder's; in an ask a degree alone is who
        # the benefit is for ("2024年博士落户补贴是多少", "the subsidy for PhDs back in 2024"), not a story
        if self.dates.told(clause) or not asked and self.graduation.find(clause):
            return False
        if self.acting.find(clause):  # a founding or registration before the plan: the plan says nothing of it
            return asked or not y.relative
        if not asked:
            return False
        return y.bound == "before" or not (me is not None and me.find(self.dates.enquiring(clause)))
