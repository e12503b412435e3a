"""Claims: each figure of a sentence bound to its subject and attributes (corpus/claims.yaml).

"the housing subsidy is paid for up to 36 months" is a claim (subject housing_subsidy, 36 months,
bound cap). The grounding gate binds answer and source sentences the same way and accepts a
figure only when a source figure of equal value carries a compatible subject and attributes.
All rules come from the reviewed data; nothing here names a benefit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from assistant.knowledge.claim_attributes import CLAUSE_SEP, distance, figure_attributes
from assistant.knowledge.figures import Figure, extract_figures
from assistant.knowledge.rules_file import read_rules
from assistant.understanding.text import split_sentences, to_simplified

# Figures whose subject matters; dates and years name when, not what.
BOUND_KINDS = frozenset({"money", "duration", "percent", "area", "count", "number"})


# --- the data, validated at load ---------------------------------------------------------------
class Terms(BaseModel):
    en: list[str] = Field(default_factory=list, description="English terms, matched as words.")
    zh: list[str] = Field(default_factory=list, description="Chinese terms, matched as substrings.")


class SubjectSpec(Terms):
    parent: str | None = Field(None, description="A more general subject this one belongs to.")
    kinds: list[str] = Field(default_factory=list, description="Figure kinds the subject can own (empty: all).")
    loose: list[str] = Field(default_factory=list, description="Of its terms, those founders use for any money of "
                             "the kind (奖励, \"reward\"): an ask naming the subject only through them yields to the "
                             "recogniser sure of another benefit.")


class ValueSpec(Terms):
    after_en: list[str] = Field(default_factory=list, description="English terms standing after the figure.")
    after_zh: list[str] = Field(default_factory=list, description="Chinese terms standing after the figure.")


class GroupSpec(BaseModel):
    scope: str = Field(description="'nearest' or 'adjacent' (see corpus/claims.yaml).")
    strict: bool = Field(False, description="An answer may not add a value the source figure lacks.")
    keep: list[str] = Field(default_factory=list, description="Values the answer may not drop when the source "
                                                              "figure has them.")
    kinds: list[str] = Field(default_factory=list, description="Figure kinds it applies to (empty: all).")
    trailing: bool = Field(False, description="A clause of this group's terms and no figure qualifies the last "
                           "figure of the clause before it (\"60% of the rent, no more and no less\").")
    looser: dict[str, list[str]] = Field(default_factory=dict, description="An answer's value that only loosens "
                                         "the source's values listed under it, so does not contradict them "
                                         "(\"about 60%\" where the source's 60% is exact).")
    values: dict[str, ValueSpec]

    @model_validator(mode="after")
    def _scope(self) -> GroupSpec:
        if self.scope not in ("nearest", "adjacent"):
            raise ValueError(f"scope must be 'nearest' or 'adjacent', not {self.scope!r}")
        if unknown := [v for k, vs in self.looser.items() for v in [k, *vs] if v not in self.values]:
            raise ValueError(f"looser names values the group lacks: {unknown}")
        return self


class FlagSpec(BaseModel):
    asserts: Terms = Field(default_factory=Terms, description="Words saying the profile flag holds.")
    denies: Terms = Field(default_factory=Terms, description="Words saying it does not.")


class ClaimsSpec(BaseModel):
    subjects: dict[str, SubjectSpec]
    attributes: dict[str, GroupSpec]
    conditions: dict[str, Terms]
    flags: dict[str, FlagSpec] = Field(default_factory=dict, description="Yes/no profile conditions.")
    negations: ValueSpec = Field(default_factory=ValueSpec, description="Words turning a flag's term around.")
    switches: Terms = Field(default_factory=Terms, description="Words opening a clause on the other alternative "
                            "(或者, the other route): its figures are not the subject's before them.")

    @model_validator(mode="after")
    def _parents(self) -> ClaimsSpec:
        for sid, s in self.subjects.items():
            if s.parent and s.parent not in self.subjects:
                raise ValueError(f"subject {sid!r}: unknown parent {s.parent!r}")
            if not (s.en or s.zh):
                raise ValueError(f"subject {sid!r} has no terms")
            if unknown := [t for t in s.loose if t not in s.en + s.zh]:
                raise ValueError(f"subject {sid!r}: loose terms not among its own terms: {unknown}")
        return self


# --- matching ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mention:
    concept: str
    start: int
    end: int
    after: bool = False  # a term that stands after its figure ("10个以上", "10 or more")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Simplified, lower-case, same length as ``text`` (spans stay valid)."""
    simple = to_simplified(text)
    if len(simple) != len(text):
        simple = text
    low = simple.lower()
    if len(low) == len(simple):   # the common case: no character lower-cases to two ("İ")
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in simple)


def _is_zh(term: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", term))


_Trie = dict[str, "_Trie"]


def trie_pattern(terms: list[str], space: str = r"\s+") -> str:
    """One regex for many literal terms, as a trie ("训练(?:算力券|券)"): Python's re tries a flat alternation
    term by term at every position, a trie once per character. Greedy, so the longest term wins; a space in a
    term matches any whitespace."""
    root: _Trie = {}
    for t in terms:
        node = root
        for ch in t:
            node = node.setdefault(ch, {})
        node[""] = {}  # a term ends here

    def walk(node: _Trie) -> str:
        end = "" in node
        alts = [(space if ch == " " else re.escape(ch)) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return f"(?:{body})?" if len(alts) > 1 or len(body) > 1 else body + "?"
        return body

    return walk(root)


class Matcher:
    """Every term as one trie regex (longest match first); a match names its concept by its text. English terms
    share one word boundary check (the gate's time budget is tight)."""

    def __init__(self, terms: list[tuple[str, str, bool]]) -> None:
        terms = sorted({(c, " ".join(to_simplified(t).lower().split()), a) for c, t, a in terms if t.strip()},
                       key=lambda t: (-len(t[1]), t[0]))
        self._concepts: dict[str, tuple[str, bool]] = {}
        for c, t, a in terms:
            self._concepts.setdefault(t, (c, a))
        zh = [t for t in self._concepts if _is_zh(t)]
        en = [t for t in self._concepts if not _is_zh(t)]
        parts = []
        if en:   # plural or possessive on the last word: "vouchers", "master's"
            parts.append(r"(?<![a-z0-9])(?P<en>" + trie_pattern(en) + r")(?:s|es|'s)?(?![a-z0-9])")
        if zh:
            parts.append("(?P<zh>" + trie_pattern(zh) + ")")
        self._rx = re.compile("|".join(parts)) if parts else None

    @lru_cache(maxsize=8192)
    def find(self, folded: str) -> tuple[Mention, ...]:
        if self._rx is None:
            return ()
        out = []
        for m in self._rx.finditer(folded):
            en = m.group("en") if "en" in self._rx.groupindex else None
            term = " ".join(en.split()) if en is not None else m.group("zh")
            concept, after = self._concepts[term]
            out.append(Mention(concept, m.start(), m.end(), after))
        return tuple(out)


@dataclass
class BoundFigure:
    figure: Figure
    subject: str | None
    attrs: dict[str, str] = field(default_factory=dict)


class ClaimRules:
    """Subjects, attribute groups and condition concepts from corpus/claims.yaml."""

    def __init__(self, spec: ClaimsSpec) -> None:
        self.spec = spec
        self.parent = {sid: s.parent for sid, s in spec.subjects.items()}
        self.subjects = Matcher([(sid, t, False) for sid, s in spec.subjects.items() for t in s.en + s.zh])
        self._loose = {sid: {" ".join(to_simplified(t).lower().split()) for t in s.loose}
                       for sid, s in spec.subjects.items() if s.loose}
        self.groups = {
            g: (spec_g, Matcher([(v, t, False) for v, vs in spec_g.values.items() for t in vs.en + vs.zh]
                                 + [(v, t, True) for v, vs in spec_g.values.items()
                                    for t in vs.after_en + vs.after_zh]))
            for g, spec_g in spec.attributes.items()}
        self.conditions = Matcher([(c, t, False) for c, s in spec.conditions.items() for t in s.en + s.zh])
        # one matcher per flag: a word may speak for two flags ("AI start-ups": works_in_ai and is_founder)
        self.flags = {f: Matcher([("yes", t, False) for t in fs.asserts.en + fs.asserts.zh]
                                  + [("no", t, False) for t in fs.denies.en + fs.denies.zh])
                      for f, fs in spec.flags.items()}
        self.switches = Matcher([("switch", t, False) for t in spec.switches.en + spec.switches.zh])
        neg = spec.negations
        self.negations = Matcher([("not", t, False) for t in neg.en + neg.zh]
                                  + [("not", t, True) for t in neg.after_en + neg.after_zh])

    def owns(self, sid: str, kind: str) -> bool:
        kinds = self.spec.subjects[sid].kinds
        return not kinds or kind in kinds

    # subject a is compatible with b when equal or one is an ancestor of the other
    def ancestors(self, sid: str) -> list[str]:
        out: list[str] = []
        node: str | None = sid
        while node:
            out.append(node)
            node = self.parent.get(node)
        return out

    def compatible(self, answer: str | None, source: str | None) -> bool:
        if answer is None or source is None:
            return True
        return answer in self.ancestors(source) or source in self.ancestors(answer)

    def bind(self, text: str, carry: str | None = None) -> list[BoundFigure]:
        """Every figure of ``text`` with its subject and attributes; ``carry``: subject before the text."""
        return list(_bind_cached(self, text, carry))

    def bind_located(self, text: str) -> list[tuple[int, BoundFigure]]:
        """Like ``bind`` over a whole text, each bound figure with its start offset in ``text``."""
        out: list[tuple[int, BoundFigure]] = []
        carry: str | None = None
        for sentence, offset in _sentences(text):
            bound = self.bind(sentence, carry)
            out.extend((offset + b.figure.start, b) for b in bound)
            carry = next((b.subject for b in reversed(bound) if b.subject), carry)
        return out

    def subject_of(self, text: str) -> str | None:
        """The main subject a text (a question) names: its first, most specific mention."""
        mentions = _non_overlapping(self.subjects.find(fold(text)))
        if not mentions:
            return None
        # the most specific subject among those mentioned, earliest first
        return max(mentions, key=lambda m: (len(self.ancestors(m.concept)), -m.start)).concept

    def named_loosely(self, text: str, subject: str) -> bool:
        """``subject`` is named in ``text`` only through its loose words ("有奖励吗"), never by a name of its own."""
        if not (loose := self._loose.get(subject)):
            return False
        folded = fold(text)
        mentions = [m for m in _non_overlapping(self.subjects.find(folded)) if m.concept == subject]
        return bool(mentions) and all(any(folded[m.start:m.end] in (w, w + "s", w + "es", w + "'s") for w in loose)
                                      for m in mentions)

    def subjects_in(self, text: str) -> set[str]:
        return {m.concept for m in _non_overlapping(self.subjects.find(fold(text)))}

    def condition_concepts(self, *texts: str) -> set[str]:
        return {m.concept for t in texts for m in self.conditions.find(fold(t))}

    def flag_says(self, flag: str, text: str) -> set[bool] | None:
        """What ``text`` says of a yes/no profile flag: {True}, {False}, both, or empty when it names none of the
        flag's words (None: claims.yaml has no words for the flag). A negation right before a term (after it for
        "以外") turns it around."""
        matcher = self.flags.get(flag)
        if matcher is None:
            return None
        folded = fold(text)
        # "不超过10人", "no more than": a cap or floor word is no negation
        bounds = self.groups["bound"][1].find(folded) if "bound" in self.groups else ()
        negs = [n for n in self.negations.find(folded) if not any(b.start <= n.start < b.end for b in bounds)]
        out: set[bool] = set()
        for m in _non_overlapping(matcher.find(folded)):
            value = m.concept == "yes"
            if any(_negates(n, m, folded) for n in negs):
                value = not value
            out.add(value)
        return out


def _negates(n: Mention, term: Mention, folded: str) -> bool:
    """The negation ``n`` bears on ``term``: close before it (after it for "以外"), within one clause."""
    if n.after:
        gap = folded[term.end:n.start] if n.start >= term.end else None
        return gap is not None and len(gap) <= 1
    if n.end > term.start:
        return False
    gap = folded[n.end:term.start]
    if CLAUSE_SEP.search(gap) or "。" in gap:
        return False
    # a few words in English ("not yet selected for the Kunpeng"), a few characters in Chinese ("尚未取得深圳户籍")
    return len(gap.split()) <= 5 if folded[n.start].isascii() else len(gap) <= 4


def _non_overlapping(mentions: Iterable[Mention]) -> list[Mention]:
    taken: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= t.start or m.start >= t.end for t in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: m.start)


@lru_cache(maxsize=4096)
def _bind_cached(rules: ClaimRules, text: str, carry: str | None) -> tuple[BoundFigure, ...]:
    out: list[BoundFigure] = []
    for sentence, offset in _sentences(text):
        folded = fold(sentence)
        figures = [f for f in extract_figures(sentence) if f.kind in BOUND_KINDS]
        subjects = _non_overlapping(rules.subjects.find(folded))
        groups = {g: _non_overlapping(m.find(folded)) for g, (_, m) in rules.groups.items()}
        clauses, wide = _clauses(folded), _clauses(folded, parentheses=False)
        carried = [carry] if carry else []
        for lo, hi in clauses:
            in_clause = [f for f in figures if lo <= f.start < hi]
            here = [m for m in subjects if lo <= m.start < hi]
            opens = hi - len(folded[lo:hi].lstrip())
            if not here and any(m.start == opens for m in rules.switches.find(folded)):
                # the other alternative: the subject it names later in the sentence, or none known
                ahead = next((m.concept for m in subjects if m.start >= hi), None)
                carry, carried = ahead, [ahead] if ahead else []
            for f in in_clause:
                fits = [m for m in here if rules.owns(m.concept, f.kind)]
                subject = (min(fits, key=lambda m: distance(f, m, folded)).concept if fits else
                           next((c for c in reversed(carried) if rules.owns(c, f.kind)), carry))
                a, b = next(((a, b) for a, b in wide if a <= f.start < b), (lo, hi))
                out.append(BoundFigure(f, subject, figure_attributes(f, [x for x in figures if a <= x.start < b], groups,
                                                               rules, a, b, folded)))
            if here:
                carry = here[-1].concept
                carried += [m.concept for m in here]
    return tuple(out)


def _sentences(text: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    pos = 0
    for s in split_sentences(text):
        i = text.find(s, pos)
        out.append((s, max(i, 0)))
        pos = max(i, 0) + len(s)
    return out or [(text, 0)]


def _clauses(folded: str, parentheses: bool = True) -> list[tuple[int, int]]:
    """``parentheses``: they end a clause (for subjects); for markers they do not: "到手（税后）每月1250元"."""
    cuts = [0, *(m.end() for m in CLAUSE_SEP.finditer(folded) if parentheses or m.group() not in "()（）"), len(folded)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def clear_caches() -> None:
    """Forget every bound sentence and match (benchmarks measure the gate on text it has never seen)."""
    _bind_cached.cache_clear()
    fold.cache_clear()
    Matcher.find.cache_clear()


@lru_cache(maxsize=8)
def load_rules(path: Path) -> ClaimRules:
    """Read and validate corpus/claims.yaml; a broken file is a CorpusError naming what is wrong."""
    return read_rules(path, ClaimsSpec, "the claim rules", ClaimRules)
