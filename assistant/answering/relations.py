"""Relations between the things a statement names: either/or against both, and comparisons (data: the
`relations` section of corpus/support.yaml; called once per statement by `SupportRules.check`).

- Alternatives. A cited sentence that joins two subjects (corpus/claims.yaml) with an alternative word ("或选择",
  "or opt for") offers a choice: a statement saying both can be had (同时, 叠加, "both", "as well as") is
  unsupported unless a cited sentence says so. A statement saying only one can be had (二选一, "choose one")
  is unsupported where the sources join the two with "and" and never as alternatives. A truthful paraphrase
  of the choice ("二揀一", "you pick either") is the relation the source states: its words are not novel.
- Comparisons. "X 高于 Y", "X is twice Y", "X 平過 Y": X and Y are the subjects on either side of the word; the
  figures the cited sources bind to them (claims.yaml) must bear it out. A comparison with no figure for one
  side, or a false one (two caps of 1 million "higher" than each other), is unsupported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.answering.derived import comparable, share_holds, stated_sides, subject_figures
from assistant.answering.mentions import mentions, nearest_subject, resolved, unlike_pairs
from assistant.answering.restated import asks, joined_by
from assistant.answering.statements import CITE_MARK, sentence_at, sentences, spell_out
from assistant.answering.vocabulary import terms_pattern
from assistant.knowledge.claims import Matcher, Mention, Terms, fold, trie_pattern
from assistant.knowledge.numerals import small_int

if TYPE_CHECKING:
    from assistant.answering.derived import Arithmetic
    from assistant.answering.statements import Statement
    from assistant.knowledge.claims import ClaimRules

# relation words: which relation a matched word states
ALTERNATIVE, EXCLUSIVE, COMBINED, NEGATION, GREATER, LESS, SEQUENCE = (
    "alternative", "exclusive", "combined", "negation", "greater", "less", "sequence")
THAN, QUANTIFIER = "than", "quantifier"
# a negation this close before a "both" word turns it round: "不能同时", "cannot be combined"
NEGATION_REACH = 12
_RATIO = re.compile(r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]|one|two|three|four|five|six|seven|eight|nine|ten)"
                    r"\s*(?:倍|times)(?![a-z])")
# a share of another subject's figure: "Y的200%" (Y before it), "50% of Y" (Y after it)
_SHARE = re.compile(r"[的嘅之]\s*(?P<p>\d+(?:\.\d+)?)\s*%|(?<![\d.])(?P<p2>\d+(?:\.\d+)?)\s*%\s*(?P<of>of\s+)?(?=the\b)")
_FIGURE_NEXT = re.compile(r"\s*(?:约|大约|about|around|approximately)?\s*(?:[\d一二两三四五六七八九十百千万]|(?:one|two|three|"
                          r"four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|half)(?![a-z]))")


class RelationSpec(BaseModel):
    alternative: Terms = Field(default_factory=Terms, description="Words joining alternatives (或, or opt for).")
    exclusive: Terms = Field(default_factory=Terms, description="Words saying only one of them may be had "
                             "(二选一, choose one, cannot be combined).")
    only: Terms = Field(default_factory=Terms, description="Words of 'only' (只, 仅): before a `one_of` word in its "
                        "clause, they say only one of them may be had (只可以申请其中一种).")
    one_of: Terms = Field(default_factory=Terms, description="Words of 'one of them' (其中一, one of) an `only` "
                          "word makes exclusive.")
    combined: Terms = Field(default_factory=Terms, description="Words saying they may be had together (同时, both).")
    anaphoric: Terms = Field(default_factory=Terms, description="'Both' words pointing back (两者都, both of them): "
                             "of the two things named before them, when the sentence names two there.")
    sequence: Terms = Field(default_factory=Terms, description="Words chaining one thing after another (接着, 之后再, "
                            "\"after that\"): both are had, the one named after them following one named before them "
                            "anywhere in the sentence.")
    negation: Terms = Field(default_factory=Terms, description="Words before a 'both' word that deny it (不能, not).")
    quantifier: Terms = Field(default_factory=Terms, description="Words of 'all' a 'both' word after them belongs "
                              "to (所有企业都能): an absolute, not two things had together.")
    greater: Terms = Field(default_factory=Terms, description="Comparison words: the first is more (高于, more than).")
    less: Terms = Field(default_factory=Terms, description="Comparison words: the first is less (低于, 平過, less than).")
    more: Terms = Field(default_factory=Terms, description="A comparative with no second thing (更高, \"the longer\"): "
                        "the first is more than the other thing the sentence before names.")
    fewer: Terms = Field(default_factory=Terms, description="A comparative with no second thing (更低, shorter).")
    than: Terms = Field(default_factory=Terms, description="A comparison's word before the second thing, its "
                        "direction after it: 「X比Y高」.")
    not_than: Terms = Field(default_factory=Terms, description="Words holding a `than` word that compare nothing "
                            "(比如, 比例).")
    more_after: list[str] = Field(default_factory=list, description="After 「比Y」: X is more (高, 多, 长).")
    less_after: list[str] = Field(default_factory=list, description="After 「比Y」: X is less (低, 少, 短).")
    ratios: dict[str, float] = Field(default_factory=dict, description="Words stating a multiple of the other "
                                     "figure (twice: 2, 一半: 0.5); 'N times' and 'N倍' are read as N.")


@dataclass(frozen=True)
class Verdict:
    problem: str | None   # the relation word no cited source bears out
    folded: str           # the statement's folded text, relation words the sources bear out blanked


class Relations:
    def __init__(self, spec: RelationSpec, arithmetic: Arithmetic | None = None) -> None:
        self.spec = spec
        groups = {ALTERNATIVE: spec.alternative, EXCLUSIVE: spec.exclusive, COMBINED: spec.combined,
                  SEQUENCE: spec.sequence, NEGATION: spec.negation, GREATER: spec.greater, LESS: spec.less}
        self.words = Matcher([(g, t, False) for g, terms in groups.items() for t in terms.en + terms.zh]
                             + [("ratio", t, False) for t in spec.ratios]
                             + [(THAN, t, False) for t in spec.than.en + spec.than.zh]
                             + [(QUANTIFIER, t, False) for t in spec.quantifier.en + spec.quantifier.zh]
                             + [("word", t, False) for t in spec.not_than.en + spec.not_than.zh])
        self.ratios = {" ".join(fold(k).split()): v for k, v in spec.ratios.items()}
        self.anaphoric = terms_pattern(spec.anaphoric.en + spec.anaphoric.zh)
        self.alternative = terms_pattern(spec.alternative.en + spec.alternative.zh)
        only, one = (sorted(fold(t) for t in x.en + x.zh) for x in (spec.only, spec.one_of))
        # "只能选择其中一种", "can only apply for one of them": the verb between is any verb
        self.only_one = re.compile(rf"(?<![a-z])(?:{trie_pattern(only)})(?![a-z])[^，,。；;.!?！？]{{0,24}}?"
                                   rf"(?<![a-z])(?:{trie_pattern(one)})(?![a-z])") if only and one else None
        self.bare = Matcher([(GREATER, t, False) for t in spec.more.en + spec.more.zh]
                            + [(LESS, t, False) for t in spec.fewer.en + spec.fewer.zh])
        self.arithmetic = arithmetic   # the judge of shares (derived.py)

    def check(self, st: Statement, folded: str, sources: tuple[str, ...], claims: ClaimRules | None) -> Verdict:
        """The statement's relation words judged against the cited sources (``folded``: fold(statement))."""
        found = [m for m in self.words.find(folded) if m.concept not in (NEGATION, QUANTIFIER, "word") and not asks(folded, m)
                 and not (m.concept in (GREATER, LESS) and _quoted_phrase(folded, m, sources))]
        for o in self.only_one.finditer(folded) if self.only_one else ():
            if not any(f.start < o.end() and o.start() < f.end for f in found):
                found.append(Mention(EXCLUSIVE, o.start(), o.end()))
        found.sort(key=lambda m: m.start)
        if claims is None or not (found or _RATIO.search(folded) or _SHARE.search(folded)):
            return Verdict(None, folded)
        # the part of the sentence it stands in (up to ；) when that names things: what another part names is not
        # what it relates; a part naming nothing ("; the former is five times the latter") reads the sentence
        for text in (st.part, st.sentence) if st.part and st.part != st.sentence else (st.sentence,):
            sentence = fold(spell_out(CITE_MARK.sub(" ", text)))
            named = resolved(mentions(claims, sentence), sentence, claims)
            if named:
                break
        offset = max(sentence.find(folded.strip()) - (len(folded) - len(folded.lstrip())), 0)
        blank = list(folded)
        for m in found:
            word = folded[m.start:m.end]
            if m.concept in (GREATER, LESS, "ratio"):
                problem = self._comparison(m, word, folded, offset, named, sources, claims, sentence=sentence)
                if problem == "":   # a comparison the figures bear out: its word is no novel word
                    blank[m.start:m.end] = " " * (m.end - m.start)
            elif m.concept == THAN:
                problem, adjective = self._than(m, offset, sentence, named, sources, claims)
                if problem == "":   # 比 and the direction word: what the figures bear out
                    for i in (m.start, adjective - offset):
                        if 0 <= i < len(blank):
                            blank[i] = " "
            elif m.concept == COMBINED and not self.negated(folded, m) and not self.quantified(folded, m):
                before = [n for n in named if n.end <= offset + m.start]
                back = self.anaphoric is not None and self.anaphoric.fullmatch(word) and unlike_pairs(before, claims)
                problem = self._both(word, joined_by(before if back else named, sentence, self.alternative, claims),
                                     sources, claims) or (word if _both_of_or(folded, sources) else None)
            elif m.concept == SEQUENCE:
                problem = None if self.negated(folded, m) else self._then(word, st, folded, m, sources, claims)
            elif m.concept == COMBINED and self.quantified(folded, m):
                problem = None   # "所有企业都能": the 都 of "all", judged as an absolute (support.yaml markers)
            else:   # only one of them ("二选一", "cannot be combined"); a bare "or" claims no choice
                # of the two things named before it ("A或B，两种只能拣其中一种，另外仲有C"), if any
                before = [n for n in named if n.end <= offset + m.start]
                problem = self._one_of(word, before if unlike_pairs(before, claims) else named, sources, claims)
                if problem is None:   # the choice the sources offer, in other words
                    blank[m.start:m.end] = " " * (m.end - m.start)
                elif m.concept == ALTERNATIVE:
                    problem = None
            if problem:
                return Verdict(problem, folded)
        ratio = _RATIO.search(folded)
        if ratio and not any(m.concept == "ratio" for m in found):
            n = ratio.group("n")
            factor = float(n) if n[0].isdigit() else float(small_int(n) or 0)
            m = Mention("ratio", ratio.start(), ratio.end())
            problem = self._comparison(m, ratio.group(), folded, offset, named, sources, claims, factor,
                                       sentence=sentence)
            if problem:
                return Verdict(problem, folded)
        for share in _SHARE.finditer(folded):   # "X是Y的200%" (两倍, 一半 spelt out), "X is 50% of Y"
            if any(folded[max(0, share.start() - 6):share.end()] in fold(s) for s in sources):
                continue   # 市场参考租金的60%: the share as the clause writes it, of what it is of
            m = Mention("ratio", share.start(), share.end())
            factor = float(share.group("p") or share.group("p2")) / 100
            problem = self._comparison(m, share.group().lstrip("的嘅之 ").strip(), folded, offset, named, sources, claims, factor,
                                       before=share.group("p") is not None, sentence=sentence)
            if problem:
                return Verdict(problem, folded)
        return Verdict(None, "".join(blank))

    # --- either/or --------------------------------------------------------------------------------
    def quantified(self, folded: str, m: Mention) -> bool:
        """A 都 of "all" just after a word of "all": 所有企业都能, 人人都有 (no two things kept together; 同时
        after 所有 still says both)."""
        if not folded.startswith("都", m.start):
            return False
        lo = max(0, m.start - NEGATION_REACH)
        return any(q.concept == QUANTIFIER for q in self.words.find(folded[lo:m.start]))

    def negated(self, folded: str, m: Mention) -> bool:
        """A negation just before a "both" word: "不能同时", "cannot be combined"."""
        lo = max(0, m.start - NEGATION_REACH)
        return any(n.concept == NEGATION for n in self.words.find(folded[lo:m.start]))

    def _both(self, word: str, pairs: set[frozenset[str]], sources: tuple[str, ...], claims: ClaimRules) -> str | None:
        """Both of two subjects a cited sentence offers as alternatives, where none says both."""
        alt, _, both = self._joins(sources, claims)
        return word if any(pair in alt and pair not in both for pair in pairs) else None

    def _then(self, word: str, st: Statement, folded: str, m: Mention, sources: tuple[str, ...],
              claims: ClaimRules) -> str | None:
        """A thing named after a sequence word had after one named before it in the sentence (先租住过渡性住房…；
        住满之后，还可以接着领取住房补贴): both, unsupported where a cited sentence offers the two as alternatives."""
        sentence = fold(spell_out(CITE_MARK.sub(" ", st.sentence)))
        at = sentence.find(folded.strip())
        at = (at if at >= 0 else 0) - (len(folded) - len(folded.lstrip())) + m.start
        named = resolved(mentions(claims, sentence), sentence, claims)
        pairs = {frozenset((a.concept, b.concept)) for a in named if a.end <= at for b in named if b.start >= at
                 and not claims.compatible(a.concept, b.concept)}
        return self._both(word, pairs, sources, claims)

    def _one_of(self, word: str, named: list[Mention], sources: tuple[str, ...], claims: ClaimRules) -> str | None:
        """Only one of two subjects: the sources must offer them as alternatives."""
        alt, joint, _ = self._joins(sources, claims)
        pairs = unlike_pairs(named, claims)
        if any(p in alt for p in pairs):
            return None
        if any(p in joint for p in pairs):
            return word
        return None if alt else word

    def unnamed_choice(self, answer: str, sources: tuple[str, ...], claims: ClaimRules) -> tuple[str, str] | None:
        """(sentence, word): "只能选择其中一种" said of the two things the sentence before names (两者, "them"),
        where the sources do not offer those two as alternatives."""
        spans = sentences(answer)
        for i, (a, b) in enumerate(spans):
            if i == 0:
                continue
            folded = fold(CITE_MARK.sub(" ", answer[a:b]))
            words = [m for m in self.words.find(folded) if m.concept == EXCLUSIVE and not asks(folded, m)]
            word = words[0] if words else self.only_one.search(folded) if self.only_one else None
            if word is None or unlike_pairs(mentions(claims, folded), claims):
                continue   # no choice, or one between the things it names itself (judged in `check`)
            pa, pb = spans[i - 1]
            before = unlike_pairs(mentions(claims, fold(CITE_MARK.sub(" ", answer[pa:pb]))), claims)
            alt, joint, _ = self._joins(sources, claims)
            if before and not before & alt and (before & joint or not alt):
                return answer[a:b].strip(), folded[word.start:word.end] if isinstance(word, Mention) else word.group()
        return None

    def unnamed_comparison(self, answer: str, sources: tuple[str, ...], claims: ClaimRules) -> tuple[str, str] | None:
        """(sentence, word): "所以示范应用项目那一档额度更高", "so the subsidy covers the longer period": one thing
        named with a comparative, the other the sentence before names; the figures the sources bind to the two
        must bear it out (none to compare: not judged here)."""
        spans = sentences(answer)
        for i, (a, b) in enumerate(spans[1:], 1):
            folded = fold(spell_out(CITE_MARK.sub(" ", answer[a:b])))
            bare = [m for m in self.bare.find(folded) if not _quoted_phrase(folded, m, sources)]
            if not bare or any(m.concept in (GREATER, LESS, THAN, "ratio") for m in self.words.find(folded)):
                continue
            named = {m.concept for m in mentions(claims, folded)}
            pa, pb = spans[i - 1]
            prev = fold(spell_out(CITE_MARK.sub(" ", answer[pa:pb])))
            before = mentions(claims, prev)
            x = next(iter(named)) if len(named) == 1 else nearest_subject(folded, prev, before) if not named else None
            if x is None:
                continue
            others = {m.concept for m in before if not claims.compatible(m.concept, x)}
            verdicts = [self._holds(bare[0].concept, folded[bare[0].start:bare[0].end], x, y, sources, claims, None)
                        for y in others if comparable(subject_figures(sources, claims, x),
                                                      subject_figures(sources, claims, y))]
            first = verdicts[0] if verdicts and all(verdicts) else None
            if first is not None:
                return answer[a:b].strip(), first
        return None

    def _joins(self, sources: tuple[str, ...], claims: ClaimRules) -> tuple[frozenset[frozenset[str]], frozenset[frozenset[str]], frozenset[frozenset[str]]]:
        return _joins(self, sources, claims)

    # --- comparisons ------------------------------------------------------------------------------
    def _than(self, m: Mention, offset: int, sentence: str, named: list[Mention], sources: tuple[str, ...],
              claims: ClaimRules) -> tuple[str | None, int]:
        """「X比Y高」: Y right after the word, the direction after Y (before any figure); with the direction
        word's place in the sentence."""
        at, end = offset + m.start, offset + m.end
        left = [n for n in named if n.end <= at]
        y = next((n for n in named if end <= n.start <= end + 2), None)
        if not left or y is None:
            return None, -1
        tail = re.split(r"[\d，,。；;：:]|最", sentence[y.end:y.end + 8])[0]
        for i, ch in enumerate(tail):
            kind = GREATER if ch in self.spec.more_after else LESS if ch in self.spec.less_after else None
            if kind:
                word = sentence[at:y.end + i + 1]
                return self._holds(kind, word, left[-1].concept, y.concept, sources, claims, None), y.end + i
        return None, -1

    def _comparison(self, m: Mention, word: str, folded: str, offset: int, named: list[Mention],
                    sources: tuple[str, ...], claims: ClaimRules, factor: float | None = None,
                    before: bool = False, sentence: str = "") -> str | None:
        """The comparison word when the figures do not bear it out; "" when they do; None: no comparison of two
        subjects ("超过50万平方米" bounds a figure)."""
        if m.concept != "ratio" and _FIGURE_NEXT.match(folded, m.end):
            return None   # "超过50万平方米": a bound of a figure, not a comparison of two things
        at, end = offset + m.start, offset + m.end
        left = [n for n in named if n.end <= at]
        right = [n for n in named if n.start >= end]
        if factor is None and m.concept == "ratio":
            factor = self.ratios.get(" ".join(word.split()))
        if factor is not None and self.arithmetic is not None:
            lo, hi = sentence_at(sentence, at)   # two figures the answer states are the sides, in their order
            if stated_sides(sentence[lo:hi], at - lo, end - lo, sources) is not None:
                ok = self.arithmetic.ratio_holds(100 * factor, sentence[lo:hi], at - lo, end - lo, sources, claims)
                return "" if ok else word
        if before:   # "X是Y的两倍": the last two named before the figure
            left, right = left[-2:-1], left[-1:] if len(left) > 1 else []
        if not left or not right:
            return None
        return self._holds(m.concept, word, left[-1].concept, right[0].concept, sources, claims, factor)

    def _holds(self, kind: str, word: str, x: str, y: str, sources: tuple[str, ...], claims: ClaimRules,
               factor: float | None) -> str | None:
        """"" when the figures the sources bind to x and y bear the comparison out, else its word."""
        if x == y or claims.compatible(x, y):
            return None
        if any(_says(s, word, x, y, claims) for s in sources):
            return ""   # a cited sentence makes this comparison itself
        pairs = comparable(subject_figures(sources, claims, x), subject_figures(sources, claims, y))
        if not pairs:
            return word   # no figures for one side: nothing to compare
        if factor is not None:   # the one judge of shares and multiples (assistant/answering/derived.py)
            return "" if share_holds(100 * factor, [a for a, _ in pairs], [b for _, b in pairs]) else word
        holds = all(a > b for a, b in pairs) if kind == GREATER else all(a < b for a, b in pairs)
        return "" if holds else word


def _both_of_or(folded: str, sources: tuple[str, ...]) -> bool:
    """Two things a cited source joins with "or" (贴息或利息优惠, "interest subsidies or discounts"), joined with
    "and" in a statement saying both: the source offers one or the other, whatever they are called."""
    for src in map(fold, sources):
        for m in _OR_ZH.finditer(src):
            if re.search(re.escape(m.group(1)) + _AND_ZH + re.escape(m.group(2)), folded):
                return True
        for m in _OR_EN.finditer(src):
            a, b = (w[:max(4, len(w) - 3)] for w in m.groups())   # subsidies/subsidy, discounts/discount
            if re.search(rf"(?<![a-z]){a}[a-z]*\s+{_AND_EN}\s+(?:an?\s+|the\s+)?(?:[a-z]+\s+)?{b}", folded):
                return True
    return False


_OR_ZH = re.compile(r"([\u3400-\u9fff]{2})(?:或者|或)([\u3400-\u9fff]{2})")
_AND_ZH = r"\s*(?:和|同埋|同|及|以及|与|加埋|加上|连同|、)\s*"
_OR_EN = re.compile(r"([a-z]{3,}) or ([a-z]{3,})")
_AND_EN = r"(?:and|plus|as well as|along with)"

def _quoted_phrase(folded: str, m: Mention, sources: tuple[str, ...]) -> bool:
    """A comparison word with the word after it as a cited source writes them ("to lower innovation barriers",
    降低创新门槛): the source's own phrase, comparing nothing."""
    after = _NEXT_WORD.match(folded, m.end)
    if after is None:
        return False
    phrase = folded[m.start:after.end()]
    return any(phrase in fold(s) for s in sources)


_NEXT_WORD = re.compile(r"\s*(?:[a-z]+|[\u3400-\u9fff]{2})")

@lru_cache(maxsize=1024)
def _joins(rel: Relations, sources: tuple[str, ...], claims: ClaimRules) -> tuple[frozenset[frozenset[str]], frozenset[frozenset[str]], frozenset[frozenset[str]]]:
    """Pairs of subjects the cited sentences join as alternatives, join otherwise, and say may be had both."""
    alt: set[frozenset[str]] = set()
    joint: set[frozenset[str]] = set()
    both: set[frozenset[str]] = set()
    for text in sources:
        for s in _parts(fold(text)):
            named = mentions(claims, s)
            if len(named) < 2:
                continue
            words = rel.words.find(s)
            for a, b in combinations(named, 2):
                if claims.compatible(a.concept, b.concept):
                    continue
                pair = frozenset((a.concept, b.concept))
                between = [w for w in words if a.end <= w.start < b.start]
                # an "or" joins a to b only if b is not named already before it (贴息或利息优惠: two words of b)
                if any(w.concept in (ALTERNATIVE, EXCLUSIVE) and not any(
                        a.end <= n.start and n.end <= w.start and claims.compatible(n.concept, b.concept) for n in named)
                       for w in between):
                    alt.add(pair)
                else:
                    joint.add(pair)
                if any(w.concept == COMBINED and not rel.negated(s, w) for w in words):
                    both.add(pair)
    return frozenset(alt), frozenset(joint), frozenset(both)


def _says(source: str, word: str, x: str, y: str, claims: ClaimRules) -> bool:
    return any(word in s and {x, y} <= {m.concept for m in mentions(claims, s)}
               for s in _parts(fold(source)))


def _parts(folded: str) -> list[str]:
    """The sentence parts (up to ；) of a folded text: where a relation is read."""
    return [folded[a:b] for a, b in sentences(folded, True)]


def clear_caches() -> None:
    _joins.cache_clear()
