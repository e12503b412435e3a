"""One amount said two ways, read as a choice: "每月可以自行选择领税前1250元或税后1000元" where the clause gives the
housing subsidy as 税前1250元/税后1000元, the same money before and after tax (data: support.yaml `restated`: the
claims.yaml attribute groups whose values restate one amount, and the words of a choice; the alternative words of
`relations`).

Two figures of a sentence joined by an alternative word (或, "or"), where the sentence offers a choice (选择,
"pick"), are offered as alternatives. Where a cited sentence binds both to the same subject, in values of a
`restated` group that differ (before tax, after tax), they are one amount, and the choice is the statement's own.
"1,250 yuan before tax or 1,000 yuan after tax", offering no choice, restates the amount as the clause does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.answering.statements import CITE_MARK, sentences, spell_out
from assistant.knowledge.claims import Terms, fold, trie_pattern

if TYPE_CHECKING:
    from assistant.answering.statements import Statement
    from assistant.knowledge.claims import BoundFigure, ClaimRules, Mention

# "或者说", "or rather", "that is": a restatement, not a choice
_JOIN = re.compile(r"和|与|同|及|(?<![a-z])and(?![a-z])")
_PART_BREAK = re.compile(r"[，,：:；;]")
_RESTATING = re.compile(r"\s*(?:说|講|讲|话|rather|put another way)")


class RestatedSpec(BaseModel):
    groups: list[str] = Field(default_factory=list, description="claims.yaml attribute groups whose values state one "
                              "amount two ways (tax).")
    choice: Terms = Field(default_factory=Terms, description="Words offering a choice (选择, pick, either).")


@lru_cache(maxsize=16)
def _alternative(words: tuple[str, ...]) -> re.Pattern[str] | None:
    zh = sorted({fold(w) for w in words if re.search(r"[\u3400-\u9fff]", w)})
    en = sorted({fold(w) for w in words if not re.search(r"[\u3400-\u9fff]", w)})
    parts = ([trie_pattern(zh)] if zh else []) + ([r"(?<![a-z])(?:" + trie_pattern(en) + r")(?![a-z])"] if en else [])
    return re.compile("|".join(parts)) if parts else None


def _bound(claims: ClaimRules, text: str) -> list[tuple[int, int, BoundFigure]]:
    return [(at, at + b.figure.end - b.figure.start, b) for at, b in claims.bind_located(text)]


def restated_choice(st: Statement, sources: Sequence[str], claims: ClaimRules | None, alternatives: Sequence[str],
                    spec: RestatedSpec) -> str | None:
    """The words of ``st`` offering one amount of the sources as a choice between its two statements, or None. The
    two figures are read in the statement's sentence ("税前1250元，或者税后1000元"), the word in the statement."""
    rx, choice, groups = _alternative(tuple(alternatives)), _alternative(tuple(spec.choice.en + spec.choice.zh)), spec.groups
    if claims is None or rx is None or choice is None or not groups:
        return None
    statement = spell_out(CITE_MARK.sub(lambda c: " " * len(c.group()), st.sentence))
    chosen = choice.search(fold(statement))
    if chosen is None:
        return None
    said = _bound(claims, statement)
    folded = fold(statement)
    for (x_start, x_end, x), (y_start, _, y) in zip(said, said[1:]):
        # the choice must govern the pair: in the first figure's own part of the sentence ("opt for a housing
        # subsidy …, paying 1,250 yuan before tax or 1,000 after tax" chooses the subsidy, not an amount)
        if not any(c.start() < x_start and not _PART_BREAK.search(folded, c.end(), x_start)
                   for c in choice.finditer(folded)):
            continue
        between = fold(statement[x_end:y_start])
        # "或", "or"; or "和", "and" where the choice is offered before both ("choose between … and …")
        m = rx.search(between) or (_JOIN.search(between) if chosen.start() < x_start else None)
        if not m or _RESTATING.match(between, m.end()) or fold(statement[x_end:y_start].strip(" ，,")) not in fold(st.text):
            continue
        for src in sources:
            for sentence in (src[a:b] for a, b in sentences(src, parts=True)):
                if _one_amount(x, y, [b for _, _, b in _bound(claims, sentence)], claims, groups):
                    return statement[x_end:y_start].strip() or m.group()
    return None


def _one_amount(x: BoundFigure, y: BoundFigure, sentence: list[BoundFigure], claims: ClaimRules,
                groups: Sequence[str]) -> bool:
    """``x`` and ``y`` are figures ``sentence`` gives one subject in two values of a `restated` group."""
    xs = [b for b in sentence if b.figure.kind == x.figure.kind and b.figure.value == x.figure.value]
    ys = [b for b in sentence if b.figure.kind == y.figure.kind and b.figure.value == y.figure.value]
    for a in xs:
        for b in ys:
            if a is b or not claims.compatible(a.subject, b.subject):
                continue
            if any(a.attrs.get(g) and b.attrs.get(g) and a.attrs[g] != b.attrs[g] for g in groups):
                return True
    return False



def joined_by(named: list[Mention], sentence: str, alternative: re.Pattern[str] | None,
              claims: ClaimRules) -> set[frozenset[str]]:
    """The pairs of things a "both" word may join: not two the statement itself joins by an alternative word
    ("…, plus the housing or the subsidy", 住房或补贴): it restates the choice there."""
    order = sorted(named, key=lambda n: n.start)
    offered = {frozenset((a.concept, b.concept)) for a, b in zip(order, order[1:])
               if alternative is not None and alternative.fullmatch(sentence[a.end:b.start].strip(" ,，、"))}
    return {frozenset((a.concept, b.concept)) for i, a in enumerate(order) for b in order[i + 1:]
            if not claims.compatible(a.concept, b.concept) and frozenset((a.concept, b.concept)) not in offered}


def asks(folded: str, m: Mention) -> bool:
    """A word opening with a negation inside a question of "whether" (可唔可以同时, 能不能同时: the verb, its
    negation, the verb again) asks; it claims nothing: 「两项可唔可以同时攞，计划冇讲」."""
    return m.start > 0 and folded[m.start:m.start + 1] in ("唔", "不", "冇", "没") \
        and folded[m.start - 1:m.start] == folded[m.start + 1:m.start + 2]
