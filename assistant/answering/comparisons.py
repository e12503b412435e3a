"""Orders and comparisons the plan's own figures settle, composed from the fact records.

- an order across the plan or a family ("整份计划里单项金额上限最高的是哪一项？", "which voucher is largest"), at any
  place ("第二高的呢？"): like with like only, so loans (a cap on borrowing, questions.yaml ``apart``) and amounts per
  month are named apart, not ranked with one-off grants;
- a comparison of the benefits an ask names ("which is bigger, the personal or the small-business loan?"): the
  winner, then each figure with its bound, cited; a loan against a grant, or figures in different units, are said
  not to rank;
- a difference of two named figures ("how much more does A give than B?"), in the unit stated;
- a founder's own figure applied to a share the plan states ("my rent is 3000 a month"): arithmetic, said to be so.

Orders of places (which district gives most) are no figure of the plan's: the frame declines them (rankings.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from assistant.answering.prompts import LARGEST_DOCS, NAMED_ORDERED, ORDERED, SMALLEST_DOCS
from assistant.answering.prompts_compare import (
    ABOVE,
    APART,
    BOUND_NOTE,
    DIFFERENCE,
    EQUAL,
    NO_PLACE,
    NTH,
    NTH_ZH,
    OWN_OTHER,
    OWN_SHARE,
    RANKED,
    UNLIKE,
)
from assistant.knowledge.facts import Amount, Fact, amount_text, figure_text
from assistant.understanding.questions import own_money

if TYPE_CHECKING:
    from assistant.answering.fact_answers import Cites, FactAnswerer
    from assistant.understanding.questions import Intent, Terms

MAX_COMPARED = 6  # an order among at most this many benefits lists the others too
_BOUND = {"cap": {"en": "up to ", "zh": "最高"}, "floor": {"en": "at least ", "zh": "不少于"},
          "approx": {"en": "about ", "zh": "约"}, "exact": {"en": "", "zh": ""}}
_PER = {"month": {"en": " a month", "zh": "/月"}, "year": {"en": " a year", "zh": "/年"}}
DURATIONS = ("longest", "shortest")


def _money(f: Fact) -> Amount | None:
    return f.amount if f.amount and f.amount.unit == "yuan" else None


def _lump(f: Fact) -> float | None:
    """A one-off amount in yuan: what an order of amounts ranks."""
    a = _money(f)
    return a.value if a and a.per in (None, "one_off") else None


def _amount(f: Fact) -> float | None:
    """An amount in yuan, whatever period it is stated per."""
    a = _money(f)
    return a.value if a else None


def _months(f: Fact) -> float | None:
    return f.duration.months if f.duration else None


def bounded(f: Fact, durations: bool, base: str) -> str:
    """The figure an order compares, with its bound ("up to 10 million yuan", "最长36个月")."""
    if durations and f.duration:
        d = f.duration
        return _BOUND[d.bound][base].replace("最高", "最长") + figure_text("month", d.months, base)
    a = f.amount
    if a is None:
        return ""
    return _BOUND[a.bound][base] + figure_text(a.unit, a.value, base) + (_PER[a.per][base] if a.per in _PER else "")


_ZH_AND = "和|与|跟|同|及|或者|或|还是|定系|定|对比|比"


def shared_heads(heads: Terms) -> list[re.Pattern[str]]:
    """Patterns of a coordination sharing one head ("the personal or the small-business loan", "个人还是小微企业
    贷款"): group 1 holds the words before the conjunction, group 2 the head."""
    out = []
    en = "|".join(re.escape(h) for h in heads.en)
    zh = "|".join(re.escape(h) for h in heads.zh)
    if en:
        out.append(re.compile(rf"((?:\b[a-z][a-z-]*\s+){{1,3}}?)(?:and|or|&|vs\.?|versus)\s+(?:the\s+)?"
                              rf"(?:[a-z-]+\s+){{0,3}}?({en})s?\b"))
    if zh:
        out.append(re.compile(rf"([\u4e00-\u9fff]{{1,6}})(?:{_ZH_AND})[\u4e00-\u9fff]{{1,8}}?({zh})"))
    return out


def conjuncts(pattern: re.Pattern[str], folded: str) -> Iterator[str]:
    """Each word run before the conjunction, with the shared head: "personal loan", "个人贷款"; every suffix of it,
    since the run may start with words of the sentence ("请问个人")."""
    for m in pattern.finditer(folded):
        words, head = m.group(1), m.group(2)
        if re.match(r"[a-z]", words):
            parts = words.split()
            yield from (" ".join(parts[i:]) + " " + head for i in range(len(parts)))
        else:
            yield from (words[i:] + head for i in range(len(words)))


class Comparer:
    """Orders and comparisons over the facts a FactAnswerer selected for an ask."""

    def __init__(self, fa: FactAnswerer, apart: list[str]) -> None:
        self.fa, self.apart = fa, set(apart)

    def _sep(self, base: str) -> str:
        return "; " if base == "en" else "；"

    def _names(self, fs: list[Fact], base: str, cites: Cites) -> str:
        return self._sep(base).join(f"{f.name(base)}{self.fa._from(f, base)} {cites.mark(f)}" for f in fs)

    def _lines(self, fs: list[Fact], base: str, cites: Cites) -> list[str]:
        return ["- " + self.fa.line(f, base, cites) for f in fs]

    def ordered(self, intent: Intent, facts: list[Fact], others: list[Fact], base: str, cites: Cites,
                told: str = "") -> list[str] | None:
        """The answer's lines for an ask with an order (``intent.order``); None when no figure settles it."""
        if intent.named:
            return self.compared(intent, facts, base, cites, told)
        order = intent.order or "largest"
        durations = order in DURATIONS
        pool = [*facts, *others]
        apart: dict[str, list[Fact]] = {}
        if durations:
            worth: Callable[[Fact], float | None] = _months
            ranked = [f for f in pool if _months(f) is not None]
        else:
            worth = _lump
            money = [f for f in pool if _money(f) is not None]
            loans = [] if all(f.kind in self.apart for f in money) else [f for f in money if f.kind in self.apart]
            apart = {"kind": loans, "unit": [f for f in money if _lump(f) is None and f not in loans]}
            ranked = [f for f in money if _lump(f) is not None and f not in loans]
            if not ranked and len({a.per for f in apart["unit"] if (a := _money(f))}) == 1:
                # no one-off amount, every one per the same period (a year): like with like, ranked together
                worth, ranked, apart["unit"] = _amount, apart["unit"], []
        if not ranked:
            return None
        values = sorted({worth(f) or 0.0 for f in ranked}, reverse=order in ("largest", "longest"))
        unit = "month" if durations else "yuan"
        if intent.rank > len(values):
            lines = [NO_PLACE[base].format(count=len(values), nth=NTH.get(intent.rank, f"{intent.rank}th"),
                                           n=NTH_ZH.get(intent.rank, str(intent.rank)))]
            return lines + self._lines(sorted(ranked, key=lambda f: values.index(worth(f) or 0.0)), base, cites)
        best = values[intent.rank - 1]
        top = [f for f in ranked if worth(f) == best]
        amount, names = figure_text(unit, best, base), self._names(top, base, cites)
        if intent.rank > 1:
            lines = [RANKED[order][base].format(nth=NTH.get(intent.rank, f"{intent.rank}th"),
                                                n=NTH_ZH.get(intent.rank, str(intent.rank)),
                                                amount=amount, names=names)]
            lines += self._lines(top, base, cites)
            ahead = sorted((f for f in ranked if values.index(worth(f) or 0.0) < intent.rank - 1),
                           key=lambda f: values.index(worth(f) or 0.0))
            lines += [ABOVE[base], *self._lines(ahead, base, cites)]
        else:
            template = ORDERED[order] if not others else (LARGEST_DOCS if order == "largest" else SMALLEST_DOCS)
            lines = [template[base].format(amount=amount, names=names)]
            lines += self._lines(top, base, cites)
            if not others and len(ranked) <= MAX_COMPARED:  # what it leads, when the family is small
                rest = sorted((f for f in ranked if f not in top), key=lambda f: values.index(worth(f) or 0.0))
                lines += self._lines(rest, base, cites)
        for why, fs in apart.items():
            if fs:
                lines += [APART[why][base], *self._lines(fs, base, cites)]
        return lines

    def compared(self, intent: Intent, facts: list[Fact], base: str, cites: Cites, told: str) -> list[str] | None:
        """The benefits an ask names, compared by the figure the plan states for each, like with like."""
        order = intent.order or "largest"
        own = self.own_share(facts, base, cites, told)
        if own is not None or intent.own:  # weighed without a share to apply the figure to: the clause quoted
            return own
        if order == "difference":  # amounts when each states one, else periods
            durations = not all(_money(f) for f in facts) and all(_months(f) for f in facts)
        else:
            durations = order in DURATIONS
        if not durations and all(f.amount is None for f in facts):
            return None  # nothing stated to compare: the clause quoted answers
        if not all(f.duration is not None if durations else _money(f) is not None for f in facts):
            return [UNLIKE["none"][base], *self._lines(facts, base, cites)]
        if not durations:
            if len({f.kind in self.apart for f in facts}) > 1:
                return [UNLIKE["kind"][base], *self._lines(facts, base, cites)]
            if len({(a.unit, a.per if a.per != "one_off" else None) for f in facts if (a := f.amount)}) > 1:
                return [UNLIKE["unit"][base], *self._lines(facts, base, cites)]
        worth: Callable[[Fact], float] = (lambda f: _months(f) or 0.0) if durations else \
            (lambda f: f.amount.value if f.amount else 0.0)
        high = order in ("largest", "longest", "difference")
        ranked = sorted(facts, key=worth, reverse=high)
        unit = "month" if durations else "yuan"
        if len({worth(f) for f in facts}) == 1:
            return [EQUAL[base].format(amount=bounded(facts[0], durations, base)), *self._lines(facts, base, cites)]
        if order == "difference":
            hi, lo = ranked[0], ranked[-1]
            lines = [DIFFERENCE[unit][base].format(
                hi_name=f"{hi.name(base)} {cites.mark(hi)}", lo_name=f"{lo.name(base)} {cites.mark(lo)}",
                hi=bounded(hi, durations, base), lo=bounded(lo, durations, base),
                diff=figure_text(unit, worth(hi) - worth(lo), base))]
            bounds = {(f.duration if durations else f.amount).bound for f in (hi, lo)}  # type: ignore[union-attr]
            if bounds == {"cap"}:
                lines.append(BOUND_NOTE[base])
            return lines
        best = worth(ranked[0])
        top = [f for f in ranked if worth(f) == best]
        key = order if order in NAMED_ORDERED else "largest"
        lines = [NAMED_ORDERED[key][base].format(amount=figure_text(unit, best, base),
                                                 names=self._names(top, base, cites))]
        return lines + self._lines(ranked, base, cites)

    def own_share(self, facts: list[Fact], base: str, cites: Cites, told: str) -> list[str] | None:
        """A share the plan states (about 60 % of rent) applied to the founder's own monthly figure, beside the
        other named benefit's monthly amount: arithmetic on stated figures, said to be so."""
        shares = [f for f in facts if f.amount and f.amount.unit == "%"]
        monthly = [f for f in facts if (a := _money(f)) and a.per == "month"]
        if len(shares) != 1 or not monthly or len(shares) + len(monthly) != len(facts):
            return None
        own = own_money(told)
        if own is None:
            return None
        share = shares[0].amount
        assert share is not None
        pays = own * share.value / 100
        other = (", " if base == "en" else "，").join(
            OWN_OTHER[base].format(name=f"{f.name(base)} {cites.mark(f)}", amount=amount_text(f, base))
            for f in monthly)
        line = OWN_SHARE[base].format(own=figure_text("yuan", own, base), share=bounded(shares[0], False, base),
                                      pays=figure_text("yuan", round(pays), base),
                                      saves=figure_text("yuan", round(own - pays), base), other=other)
        return [line, *self._lines(facts, base, cites)]
