"""A negation turns a statement round: "these loans do not come with interest subsidies", 「不享受贴息」.

What a negation denies (its clause, the thing it is said of included) is a lie when a cited sentence states it
without a negation; denying what no clause states ("it is not mandatory", 「不是一刀切」, 「唔係人人都有」) is the
founder being told the plan says no more, and is judged by the other checks. Statements about what the plan does
not say are `absence.py`'s; comparators (不少于, "no more than") are figures' qualifiers, not negations
(corpus/support.yaml `polarity`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, Field

from assistant.answering.statements import CITE_MARK as CITE
from assistant.answering.statements import sentences
from assistant.answering.vocabulary import CJK, WORD, stem, terms_pattern
from assistant.knowledge.claims import ClaimRules, Terms, fold

# how far after a waiver word the condition it waives stands (即使冇学位, "even without a degree")
WAIVED_REACH = 12

# where what a negation denies ends: the end of its clause
_CLAUSE_END = re.compile(r"[，,。.;；:：！!？?、（(—–\n]|(?<![a-z])(?:but|while|whereas|and then)(?![a-z])")


class PolaritySpec(BaseModel):
    negations: Terms = Field(default_factory=Terms, description="Words turning what follows them round.")
    exempt: Terms = Field(default_factory=Terms, description="Words holding a negation that deny nothing: words "
                          "(不同, 未来, \"not only\"), either/or (不能同时: relations.py's), no duty (无需: a marker's).")
    together: Terms = Field(default_factory=Terms, description="Words of having two things at once: a negation "
                            "in their clause denies a combination (\"cannot be combined\", 不能叠加), which "
                            "relations.py judges.")
    comparators: Terms = Field(default_factory=Terms, description="Comparators a negation right before makes a "
                               "bound, not a denial (不少于, 唔少過, \"no more than\", \"not exceeding\").")
    filler: Terms = Field(default_factory=Terms, description="Words a denial's content is not read in (come, "
                          "with, 可以, 会): what it denies is its other words.")
    share: float = Field(0.75, description="Share of what is denied a cited sentence must state for the denial "
                         "to contradict it.")
    waivers: Terms = Field(default_factory=Terms, description="Words waiving a condition (即使没有, \"even "
                           "without\"): a condition a cited sentence sets for the benefit the statement names, waived, "
                           "is denied (\"即使冇学位都可以申请落户补贴\" where the clause gives it to degree holders).")
    contrast: Terms = Field(default_factory=Terms, description="Words opening a clause that rules out what the "
                            "clause before says it is not (\"是分档的，并不是统一金额\"): the thing ruled out claims nothing.")
    least: int = Field(2, description="Fewest units (Chinese character pairs, English content words) a denial must "
                       "name to be judged: 「不展开」 names too little to contradict anything.")


class Polarity:
    def __init__(self, spec: PolaritySpec) -> None:
        self.spec = spec
        self.negation = terms_pattern(spec.negations.en + spec.negations.zh)
        self.exempt = terms_pattern(spec.exempt.en + spec.exempt.zh)
        self.comparator = terms_pattern(spec.comparators.en + spec.comparators.zh)
        self.together = terms_pattern(spec.together.en + spec.together.zh)
        self.filler = frozenset(stem(fold(w)) for w in spec.filler.en)
        self.zh_filler = terms_pattern(spec.filler.zh)
        self.waiver = terms_pattern(spec.waivers.en + spec.waivers.zh)
        self.contrast = terms_pattern(spec.contrast.en + spec.contrast.zh)

    def contrasted(self, text: str, sentence: str) -> bool:
        """``text`` (a statement) opens with a word ruling out what the clause before it in ``sentence`` says the
        thing is not ("所以补贴是分档的，并不是统一金额"): a denial of what no source states adds nothing to that clause.
        A denial of what a source states is `contradicted`'s; figures and claim markers are checked before."""
        head = fold(CITE.sub(" ", text)).strip()
        m = self.contrast.match(head) if self.contrast is not None else None
        said = fold(CITE.sub(" ", sentence))
        at = said.find(head)
        return bool(m) and at > 0 and not (self.negation is not None and self.negation.search(said[:at]))

    def waived(self, folded: str, sentence: str, sources: list[str], claims: ClaimRules | None) -> str | None:
        """A condition ``folded`` (a statement) waives (a waiver word right before it) that a cited sentence naming a
        benefit its ``sentence`` names sets: the statement says the benefit is had without it."""
        if self.waiver is None or claims is None:
            return None
        named = claims.subjects_in(sentence)
        for m in self.waiver.finditer(folded):
            waived = claims.condition_concepts(folded[m.end():m.end() + WAIVED_REACH])
            for s in sources:
                for a, b in sentences(s):
                    sentence = s[a:b]
                    if waived & claims.condition_concepts(sentence) and any(
                            claims.compatible(x, y) for x in named for y in claims.subjects_in(fold(sentence))):
                        return folded[m.start():m.end() + WAIVED_REACH].strip()
        return None

    def contradicted(self, folded: str, sources: list[str]) -> str | None:
        """What ``folded`` (a statement, folded) denies that a cited sentence states plainly, or None."""
        if self.negation is None:
            return None
        spared = [m.span() for m in self.exempt.finditer(folded)] if self.exempt is not None else []
        for m in self.negation.finditer(folded):
            if any(a <= m.start() < b for a, b in spared) or self._bound(folded, m.end()):
                continue
            # what is denied: the negation's clause, the thing it is said of included ("过渡性住房唔可以租住")
            begin = max((e.end() for e in _CLAUSE_END.finditer(folded, 0, m.start())), default=0)
            end = _CLAUSE_END.search(folded, m.end())
            denied = folded[begin:m.start()] + " " + folded[m.end(): end.start() if end else len(folded)]
            if self.together is not None and self.together.search(denied):
                continue
            runs, en = self._units(denied)
            chars = sum(len(r) for r in runs if len(r) > 1)
            if chars // 2 + len(en) < self.spec.least:
                continue
            for src in sources:
                for pairs, s_en in self._plain(src):
                    # Chinese: characters of a pair the sentence has; English: content words it uses
                    said = sum(1 for r in runs if len(r) > 1 for i in range(len(r))
                               if r[max(i - 1, 0):i + 1] in pairs or r[i:i + 2] in pairs) + len(en & s_en)
                    if said >= self.spec.share * (chars + len(en)):
                        return denied.strip()
        return None

    @lru_cache(maxsize=256)  # noqa: B019 — one Polarity per gate, sources repeat across statements
    def _plain(self, source: str) -> tuple[tuple[frozenset[str], set[str]], ...]:
        """The sentences of ``source`` that negate nothing, as (character pairs, English content words)."""
        out = []
        for x, y in sentences(source):
            sentence = fold(source[x:y])
            if self._negates(sentence):
                continue
            runs, words = self._units(sentence)
            out.append((frozenset(r[i:i + 2] for r in runs for i in range(len(r) - 1)), words))
        return tuple(out)

    def _bound(self, text: str, at: int) -> bool:
        """A comparator right after the negation at ``at``: 不少于, "no more than"."""
        if self.comparator is None:
            return False
        m = self.comparator.match(text, at + (len(text[at:]) - len(text[at:].lstrip())))
        return m is not None

    def _negates(self, sentence: str) -> bool:
        spared = [m.span() for m in self.exempt.finditer(sentence)] if self.exempt is not None else []
        return any(not any(a <= m.start() < b for a, b in spared) and not self._bound(sentence, m.end())
                   for m in self.negation.finditer(sentence)) if self.negation is not None else False

    def _units(self, text: str) -> tuple[list[str], set[str]]:
        """Chinese runs and English content-word stems of ``text``."""
        if self.zh_filler is not None:   # 可以, 能够: a modal says nothing of what is denied
            text = self.zh_filler.sub(" ", text)
        words: set[str] = set()
        if not CJK.search(text) or re.search(r"[a-z]{3,}", text):
            words = {s for w in WORD.findall(text.replace("-", " ")) if len(w) > 2 and (s := stem(w)) not in self.filler}
        return re.findall(r"[\u3400-\u9fff]+", text), words
