"""Which subjects a sentence of an answer or a source names: in order, "the former/latter" resolved, a sentence naming
none read as the one the sentence before speaks of; the relation checks read pairs of them."""

from __future__ import annotations

import re
from itertools import combinations
from typing import TYPE_CHECKING

from assistant.knowledge.claims import Mention

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules


_EN_WORD = re.compile(r"[a-z]{4,}")


def nearest_subject(folded: str, prev: str, named: list[Mention]) -> str | None:
    """What a sentence naming no subject speaks of: the subject the sentence before names nearest to the longest
    words both share ("所以示范应用项目那一档…" after "…示范应用项目，最高可获200万元研发资助": the 研发资助)."""
    anchors = [w for w in _EN_WORD.findall(folded) if re.search(rf"(?<![a-z]){w}(?![a-z])", prev)]
    for a in range(len(folded)):   # runs of two Chinese characters or more the sentence before has too
        b = a + 2
        while b <= len(folded) and re.fullmatch(r"[\u3400-\u9fff]+", folded[a:b]) and folded[a:b] in prev:
            b += 1
        if b - 1 - a >= 2:
            anchors.append(folded[a:b - 1])
    if not anchors or not named:
        return None
    anchor = max(anchors, key=len)
    at = prev.find(anchor)
    return min(named, key=lambda m: 0 if m.start <= at < m.end else min(abs(m.start - at - len(anchor)),
                                                                          abs(at - m.end))).concept


def mentions(claims: ClaimRules, folded: str) -> list[Mention]:
    """Subjects named in ``folded``, the longest where two overlap, in order."""
    out: list[Mention] = []
    for m in sorted(claims.subjects.find(folded), key=lambda m: (m.start, m.start - m.end)):
        if not out or m.start >= out[-1].end:
            out.append(m)
    return out


# "前者上限是后者的六倍", "the former is twice the latter": the two things named before, in their order
_FORMER_LATTER = re.compile(r"前者|後者|后者|(?<![a-z])the (?:former|latter)(?![a-z])")


def resolved(named: list[Mention], sentence: str, claims: ClaimRules) -> list[Mention]:
    """``named`` with "the former" and "the latter" read as the last two different things named before them (a
    thing named again in wider words, "创新联合体的…资助", is one thing)."""
    out = list(named)
    for m in _FORMER_LATTER.finditer(sentence):
        before: list[str] = []
        for n in named:
            if n.end <= m.start() and not (before and claims.compatible(before[-1], n.concept)):
                before.append(n.concept)
        if len(before) >= 2:
            latter = m.group() in ("后者", "後者") or m.group().endswith("latter")
            out.append(Mention(before[-1] if latter else before[-2], m.start(), m.end()))
    return sorted(out, key=lambda n: n.start)


def unlike_pairs(named: list[Mention], claims: ClaimRules) -> set[frozenset[str]]:
    return {frozenset((a.concept, b.concept)) for a, b in combinations(named, 2)
            if not claims.compatible(a.concept, b.concept)}
