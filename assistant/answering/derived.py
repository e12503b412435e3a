"""Figures an answer derives from the figures it cites (data: `arithmetic` in corpus/support.yaml).

A figure no cited source holds is still grounded when it is exactly the result of ONE arithmetic operation on
figures the same sentence states and the cited sources hold:
- a share or multiple (六倍, "a fifth of", 二十分之一, spelt out as percentages first): the figure stated as the
  whole (the base: 的N倍 follows it, "N times" precedes it) divides the other, so the direction is checked
  ("the personal loan is eight times the business loan" fails when it is the other way round); 八倍多 and
  "more than five times" are read as the inequalities they are. Without two stated figures the subjects the
  sentence names are the sides (claims.yaml), the first named the part, the one named at the ratio the whole;
- a difference (多出12个月, "12 months longer"): needs a difference word;
- a total (a product, 1,250 a month × 24 months): needs a total word and a "per"/"each" word, and keeps the
  operands' bound: caps give a total stated as a cap ("at most 30,000"), floors one stated as a floor
  (最低合计); a cap times a floor, or a bound dropped, is no derivation. A sum (5万元 + 100万元 = 105万元) needs a
  total word and two figures a cited sentence gives together: never alternatives (either/or, whose sum no
  founder gets), and caps sum to a cap ("上限105万元");
- a count (共六项, "three vouchers"): exactly the number of items of one list a cited clause enumerates, each
  of them named in the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.answering.own_figures import end_year, enumerated, pointed_back, told_by_question
from assistant.answering.statements import CITE_MARK, sentence_at, sentences, spell_out
from assistant.knowledge.claims import Matcher, Terms, fold
from assistant.knowledge.figures import extract_figures, is_grounded

if TYPE_CHECKING:
    from assistant.answering.enumerations import Listing
    from assistant.knowledge.claims import BoundFigure, ClaimRules
    from assistant.knowledge.figures import Figure

_AMOUNTS = ("money", "area", "duration", "count")
# how far before a figure or a ratio its bound word may stand (characters)
BOUND_REACH = 14
# how far from a ratio the figure it is a ratio of may stand: before it in Chinese (Y的N倍), after it in English
NEAR_BEFORE, NEAR_AFTER = 12, 30
_TAX = "tax"   # the claims.yaml qualifier a total keeps from the amount it multiplies
_BREAK = re.compile(r"[，,；;。：:]")
_PART = re.compile(r"[；;]")
_TIMES = re.compile(r"\d[^\d×✕*]{0,6}[×✕*]\s*\d")
_LISTED = re.compile(r"[、，,；;]")
_FORMER_LATTER = re.compile(r"前者|后者|(?<![a-z])the (?:former|latter)(?![a-z])")


class ArithmeticSpec(BaseModel):
    difference: Terms = Field(default_factory=Terms, description="Words stating a difference (多出, longer by).")
    total: Terms = Field(default_factory=Terms, description="Words stating a total (合计, in total, adds up to).")
    per: Terms = Field(default_factory=Terms, description="Words making a figure one of many (每, each, a month).")
    at_most: Terms = Field(default_factory=Terms, description="Words stating a result as a cap (最多, at most).")
    at_least: Terms = Field(default_factory=Terms, description="Words stating a result as a floor (最低, at least).")
    over: Terms = Field(default_factory=Terms, description="Words right after a multiple: more than it (八倍多).")
    alternative: Terms = Field(default_factory=Terms, description="Words offering one thing or another (或, or): "
                               "figures a cited sentence joins with them are never summed.")
    validity: Terms = Field(default_factory=Terms, description="Words naming a validity (有效期, valid for).")
    addressee: Terms = Field(default_factory=Terms, description="Words addressing the founder (你, you).")
    whole: Terms = Field(default_factory=Terms, description="Words naming the whole a figure is of (全市, citywide): "
                         "a total word beside them restates a figure of the whole a cited sentence states.")
    ordinals: list[list[str]] = Field(default_factory=list, description="Words opening the n-th item (一是, second).")


class Arithmetic:
    def __init__(self, spec: ArithmeticSpec, lists: Callable[[str], tuple[Listing, ...]] | None = None,
                 filler: re.Pattern[str] | None = None) -> None:
        # one matcher per group: a word may be in two (多: a difference, and after a multiple, "more than")
        self.words = {g: Matcher([(g, t, False) for t in getattr(spec, g).en + getattr(spec, g).zh])
                      for g in ArithmeticSpec.model_fields if isinstance(getattr(spec, g), Terms)}
        self.ordinals = [Matcher([(str(i), t, False) for t in ts]) for i, ts in enumerate(spec.ordinals, 1)]
        self.lists = lists   # the lists a text enumerates (assistant/answering/enumerations.py)
        self.filler = filler   # words that say nothing

    def has(self, group: str, folded: str, lo: int = 0, hi: int | None = None) -> bool:
        hi = len(folded) if hi is None else hi
        return any(lo <= m.start < hi for m in self.words[group].find(folded))

    def accounts_for(self, fig: Figure, answer: str, texts: Sequence[str], rules: ClaimRules | None) -> bool:
        """``fig`` (a figure of ``answer`` no cited source holds) is derived from stated, cited figures."""
        lo, hi = sentence_at(answer, fig.start)
        part, at = answer[lo:hi], fig.start - lo
        if fig.kind == "percent":
            return not _own_percent(fig, answer, texts, rules) \
                and self.ratio_holds(fig.value, part, at, fig.end - lo, texts, rules)
        folded = fold(part)
        if fig.kind == "count" and self.lists is not None and self._counts(fig, folded, texts):
            return True
        stated = _stated(part, at, texts)
        same = [f for f in stated if f.unit == fig.unit and f.kind == fig.kind]
        if self.has("difference", folded) and any(
                abs(abs(a.value - b.value) - fig.value) < 1e-6 for a in same for b in same if a is not b):
            return True
        if self._product(fig, part, folded, at, stated, same, rules) or self._sum(fig, part, folded, at, same, texts, rules):
            return True
        # a total of what the sentence before states ("最长24个月，每月1250元。攞足嘅话总共3万元")
        before = [a for a, b in sentences(answer) if b <= lo]
        if not before or not self.has("total", folded):
            return False
        lo = before[-1]
        part, at = answer[lo:hi], fig.start - lo
        stated = _stated(part, at, texts)
        same = [f for f in stated if f.unit == fig.unit and f.kind == fig.kind]
        return self._product(fig, part, fold(part), at, stated, same, rules)

    def own(self, fig: Figure, answer: str, question: str) -> bool:
        """``fig`` needs no cited figure: a count of the items the answer enumerates, the last year of a validity
        it states, or a figure of the founder's story the question tells (assistant/answering/own_figures.py)."""
        return enumerated(fig, answer, self._ordinal, self.filler) or end_year(fig, answer, lambda t: self.has("validity", t)) \
            or told_by_question(fig, answer, question, lambda t: self.has("addressee", t)) or pointed_back(fig, answer)

    def _ordinal(self, sentence: str) -> int:
        """The n of the ordinal opening ``sentence`` (0: none)."""
        head = fold(sentence).lstrip()
        return next((i for i, m in enumerate(self.ordinals, 1) if any(x.start == 0 for x in m.find(head))), 0)

    # --- shares and multiples: the one judge -------------------------------------------------------
    def ratio_holds(self, pct: float, part: str, at: int, end: int, texts: Sequence[str], rules: ClaimRules | None,
                    sides: tuple[list[float], list[float]] | None = None) -> bool:
        """The share or multiple ``pct`` (%) at ``part[at:end]`` (a sentence part) is borne out, with its
        direction: the part over the whole. ``sides``: the values the sources give the two things it names,
        when the caller has read them (assistant/answering/relations.py)."""
        folded = fold(part)
        over = self.has("over", folded, end, end + 2)
        least = self.has("at_least", folded, max(0, at - BOUND_REACH), at) or self.has("at_least", folded, end, end + 3)
        pair = stated_sides(part, at, end, texts)
        if pair is not None:   # the answer states both figures: they are the sides
            return share_holds(pct, [pair[0].value], [pair[1].value], least, over)
        if sides is not None:
            return share_holds(pct, *sides, least, over)
        src = [f for f in _source_figures(tuple(texts)) if f.kind in _AMOUNTS]
        if rules is not None:
            named = _sides(rules, folded, at)
            if named is not None:
                pairs = comparable(subject_figures(tuple(texts), rules, named[0]),
                                   subject_figures(tuple(texts), rules, named[1]))
                return share_holds(pct, [a for a, _ in pairs], [b for _, b in pairs], least, over)
            src = _of_named(src, texts, part, rules)
        # nothing says which side is the whole: a share of one figure of another (or what is left of it)
        return any(share_holds(pct, [a.value], [b.value], least, over, rest=True)
                   for a in src for b in src if a is not b and a.kind == b.kind and a.unit == b.unit)

    # --- counts and totals ---------------------------------------------------------------------------
    def _counts(self, fig: Figure, folded: str, texts: Sequence[str]) -> bool:
        n = round(fig.value)
        if n != fig.value or n < 2:
            return False
        assert self.lists is not None
        for text in texts:
            src = fold(text)
            if any(len(ls.items) == n and all(_named(i.key, folded) for i in ls.items) for ls in self.lists(src)):
                return True
        return False

    def _product(self, fig: Figure, part: str, folded: str, at: int, stated: list[Figure], same: list[Figure],
                 rules: ClaimRules | None) -> bool:
        if not (self.has("total", folded) and self.has("per", folded)) and not _TIMES.search(folded):
            return False   # a product needs a total of a per-unit figure, or to be written out (10个×1万平方米)
        times = [f for f in stated if f.kind in ("count", "duration") and f not in same]
        hits = [(a, b) for a in same for b in times if abs(a.value * b.value - fig.value) < 1e-6 * max(1, fig.value)]
        if not hits:
            return False
        attrs = _attrs(part, rules)
        for a, b in hits:
            given = {attrs.get(a.start, {}).get("bound"), attrs.get(b.start, {}).get("bound")} - {None}
            result = attrs.get(at, {}).get("bound") \
                or self._bound_words(folded, at, max([0] + [f.end for f in stated if f.end <= at]))
            if len(given) > 1 or (given and result not in given):
                continue   # a cap times a floor, or a cap's product said as what everyone gets
            if _TAX in attrs.get(at, {}) and attrs.get(at, {}).get(_TAX) != attrs.get(a.start, {}).get(_TAX):
                continue   # 1,250 a month before tax makes no total after tax
            return True
        return False

    def _sum(self, fig: Figure, part: str, folded: str, at: int, same: list[Figure], texts: Sequence[str],
             rules: ClaimRules | None) -> bool:
        """``fig`` is the sum of two figures the part states (a total word in it) that a cited sentence gives
        together, not as alternatives (5万元奖励和100万元资助: 105万; never 36个月 或 24个月); caps sum to a cap."""
        if not self.has("total", folded):
            return False
        attrs = _attrs(part, rules)
        terms = [f for f in same if f.end <= at]
        for i, a in enumerate(terms):
            for b in terms[i + 1:]:
                if len(terms) != 2 or abs(a.value + b.value - fig.value) > 1e-6 * max(1, fig.value):
                    continue   # the sum of all the figures it adds up, not of some of them
                given = {attrs.get(a.start, {}).get("bound"), attrs.get(b.start, {}).get("bound")} - {None}
                result = attrs.get(at, {}).get("bound") or self._bound_words(folded, at, b.end)
                if len(given) > 1 or (given and result not in given):
                    continue   # a cap plus a floor, or two caps' sum said as what everyone gets
                if any(self._together(t[s:e], a, b) for t in texts for s, e in sentences(t)):
                    return True
        return False

    def _together(self, sentence: str, a: Figure, b: Figure) -> bool:
        """``sentence`` gives both figures together: joined by a conjunction, with no word of an alternative and no
        list separator between them (最高60万元的个人贷款、最高500万元的小微企业贷款: two products, never summed)."""
        figs = extract_figures(sentence)
        ia = next((f for f in figs if is_grounded(a, [f])), None)
        ib = next((f for f in figs if is_grounded(b, [f]) and f is not ia), None)
        if ia is None or ib is None:
            return False
        lo, hi = sorted((ia.end, ib.start)) if ia.start < ib.start else sorted((ib.end, ia.start))
        between = fold(sentence[lo:hi])
        return not self.has("alternative", between) and not _LISTED.search(between)

    def _bound_words(self, folded: str, at: int, after: int) -> str | None:
        """The bound the words before the result state, after the last figure it is worked out from ("最长24个月，每月
        1250元。攞足嘅话，税前总共3万元，税后2.4万元": both totals are what the full term gives at most)."""
        lo = after or max(0, at - BOUND_REACH)
        if self.has("at_most", folded, lo, at):
            return "cap"
        return "floor" if self.has("at_least", folded, lo, at) else None

    def derives_total(self, part: str, texts: Sequence[str], rules: ClaimRules | None) -> bool:
        """``part`` states a total it derives (a product, a sum or a count above): its total word is that
        derivation, not a claim that the sources give a total. An amount no cited source holds is the figure
        check's to derive (from this sentence or the one before) or to block, so its total word claims nothing more."""
        src = _source_figures(tuple(texts))
        for f in extract_figures(part):
            if f.kind == "count" and self.lists is not None and not is_grounded(f, src) \
                    and self._counts(f, fold(part), texts):
                return True   # 一共三种: the items of one cited list, counted
            if f.kind in _AMOUNTS and f.kind != "count" and not is_grounded(f, src):
                return True   # a count said "in total" is a count of a cited list (above) or a claim
        return False


    def totals_whole(self, part: str, texts: Sequence[str]) -> bool:
        """``part`` says a total of the whole (「全市OPC社区面积合计超过50万平方米」) where a cited sentence states that
        figure of the whole (全市…超过50万平方米): the total word restates it. A per-item floor said as a total
        ("the communities total at least 10,000 m²") has no sentence of the whole to restate."""
        folded = fold(part)
        if not self.has("whole", folded):
            return False
        figs = [f for f in extract_figures(folded) if f.kind in _AMOUNTS]
        return bool(figs) and any(self.has("whole", fold(s)) and all(is_grounded(f, [s]) for f in figs)
                                  for t in texts for a, b in sentences(t) for s in [t[a:b]])

    def names_total(self, part: str, sentence: str, word: str, texts: Sequence[str], rules: ClaimRules | None) -> bool:
        """``part`` derives a total, or names again (``word``: 合计, "combined") one another part of its sentence
        derives with that word: 「最低合计10万平方米；…是这个最低合计的五倍」."""
        return any(self.derives_total(spell_out(CITE_MARK.sub(" ", p)), texts, rules)
                   for p in [part, *(q for q in _PART.split(sentence) if word in fold(q) and q.strip() != part)])


def _stated(part: str, at: int, texts: Sequence[str]) -> list[Figure]:
    """The figures of ``part`` other than the one at ``at`` that the cited sources hold."""
    src = _source_figures(tuple(texts))
    return [f for f in extract_figures(part) if f.kind in _AMOUNTS and f.start != at and is_grounded(f, src)]


def _own_percent(fig: Figure, answer: str, texts: Sequence[str], rules: ClaimRules | None) -> bool:
    """The sources give the subject this percentage is said of a percentage of its own (the rent is about 60 %:
    never "two-thirds" of anything)."""
    if rules is None:
        return False
    said = {b.subject for b in rules.bind(answer) if b.figure.kind == "percent" and b.figure.value == fig.value}
    own = {b.subject for t in texts for b in rules.bind(t) if b.figure.kind == "percent"}
    return any(rules.compatible(a, o) for a in said for o in own if a and o)


def _of_named(src: list[Figure], texts: Sequence[str], part: str, rules: ClaimRules) -> list[Figure]:
    """The source figures of the benefits ``part`` names (all of them when it names none): "the personal loan is
    a fifth of …" is a share of the personal loan's figure, not of any two figures of the clause."""
    named = rules.subjects_in(part)
    if not named:
        return src
    owners: dict[tuple[str, float], set[str | None]] = {}
    for b in (b for t in texts for b in rules.bind(t)):
        owners.setdefault((b.figure.kind, b.figure.value), set()).add(b.subject)
    return [f for f in src if any(rules.compatible(n, o) for n in named for o in owners.get((f.kind, f.value), {None}))]


def share_holds(pct: float, xs: Sequence[float], ys: Sequence[float], at_least: bool = False, over: bool = False,
                rest: bool = False) -> bool:
    """Some x is ``pct`` % of some y (to rounding); ``at_least``: that or more; ``over``: more, short of the next
    whole multiple (八倍多: between 8 and 9 times); ``rest``: or the rest of y (what is left after x)."""
    for a in xs:
        for b in ys:
            if not b:
                continue
            r = 100 * a / b
            for v in (r, 100 - r) if rest and r < 100 else (r,):
                if over and pct < v < (pct + 100 if pct >= 100 else 100):
                    return True
                if not over and (abs(v - pct) <= max(0.5, 0.01 * pct) or at_least and v >= pct):
                    return True
    return False


def stated_sides(part: str, at: int, end: int, texts: Sequence[str]) -> tuple[Figure, Figure] | None:
    """(part, whole) among the cited figures ``part`` states about the ratio at ``part[at:end]``. "前者/后者",
    "the former/latter" name them in the order stated; otherwise the whole is the figure right at the ratio
    (before 的/嘅/之 + the ratio: "60萬元的八倍"; after it: "five times the 2 million"), with no clause break
    between, and the part the nearest other figure of its kind before the whole."""
    stated = _stated(part, at, texts)
    folded = fold(part)
    zh_base = any(c in "的嘅之" for c in folded[max(0, at - 3):at + 1])
    refs = list(_FORMER_LATTER.finditer(folded))
    if refs:
        near = [r for r in refs if r.start() >= end] if not zh_base else []
        ref = near[0] if near else next((r for r in reversed(refs) if r.end() <= at), None)
        kinds = [f for f in stated if f.end <= (ref.start() if ref else at)]
        if ref is None or len(kinds) < 2:
            return None
        first, second = kinds[-2], kinds[-1]
        if (first.kind, first.unit) != (second.kind, second.unit):
            return None
        return (first, second) if ref.group().endswith(("后者", "latter")) else (second, first)
    before = [f for f in stated if f.end <= at and at - f.end <= NEAR_BEFORE and not _BREAK.search(folded, f.end, at)]
    after = [f for f in stated if f.start >= end and f.start - end <= NEAR_AFTER
             and not _BREAK.search(folded, end, f.start)]
    whole = (before[-1] if before else None) if zh_base else (after[0] if after else None)
    if whole is None:
        return None
    others = [f for f in stated if f is not whole and f.kind == whole.kind and f.unit == whole.unit]
    if not others:
        return None
    share = max((f for f in others if f.end <= whole.start), key=lambda f: f.start, default=None) or others[0]
    return share, whole


def _sides(rules: ClaimRules, folded: str, at: int) -> tuple[str, str] | None:
    """(part, whole) by the subjects named: the first named is the part, the whole is named at the ratio (the
    last before it in Chinese, "X是Y的两倍"; the first after it in English, "X is twice Y")."""
    named = [(m.concept, m.start) for m in sorted(rules.subjects.find(folded), key=lambda m: (m.start, m.start - m.end))]
    before = [c for c, s in named if s < at]
    after = [c for c, s in named if s > at]
    zh_base = any(c in "的嘅之" for c in folded[max(0, at - 3):at + 1])
    whole = after[0] if after and not zh_base else before[-1] if before else None
    part = next((c for c in before if whole and c != whole and not rules.compatible(c, whole)), None)
    return (part, whole) if part and whole else None


def _named(key: str, folded: str) -> bool:
    """A list item's head is named in ``folded``, or most of its pairs of characters are (产业空间优先保障 names
    优先保障产业空间)."""
    if key in folded:
        return True
    pairs = [key[i:i + 2] for i in range(len(key) - 1)] if "\u3400" <= key[0] <= "\u9fff" else []
    return len(pairs) > 1 and 2 * sum(p in folded for p in pairs) >= len(pairs)


def _attrs(part: str, rules: ClaimRules | None) -> dict[int, dict[str, str]]:
    """Where each figure of ``part`` starts, the qualifiers claims.yaml reads on it (bound: cap, floor; tax)."""
    if rules is None:
        return {}
    return {b.figure.start: b.attrs for b in rules.bind(part)}


@lru_cache(maxsize=1024)
def _source_figures(texts: tuple[str, ...]) -> tuple[Figure, ...]:
    return tuple(f for t in texts for f in extract_figures(t))


def subject_figures(sources: tuple[str, ...], claims: ClaimRules, subject: str) -> list[BoundFigure]:
    """The figures the cited sources bind to ``subject`` (or, failing those, to a narrower subject; or to a broader
    one in a sentence naming ``subject``: 「组建创新联合体…；入选项目…最高3000万元资助」 funds the consortium)."""
    bound = [b for t in sources for b in claims.bind(t) if b.subject]
    own = [b for b in bound if b.subject == subject]
    narrower = own or [b for b in bound if subject in claims.ancestors(b.subject or "")]
    if narrower:
        return narrower
    broader = claims.ancestors(subject)[1:]
    return [b for t in sources for lo, hi in sentences(t) if subject in claims.subjects_in(t[lo:hi])
            for b in claims.bind(t[lo:hi]) if b.subject in broader]


def comparable(xs: list[BoundFigure], ys: list[BoundFigure]) -> list[tuple[float, float]]:
    """Value pairs of the same kind, with the same qualifiers where there are such."""
    same = [(a, b) for a in xs for b in ys if a.figure.kind == b.figure.kind and a.figure.kind != "date"]
    alike = [(a, b) for a, b in same if a.attrs == b.attrs]
    return [(a.figure.value, b.figure.value) for a, b in (alike or same)]


def clear_caches() -> None:
    _source_figures.cache_clear()
