"""Which figure of a sentence a claims.yaml attribute term qualifies (corpus/claims.yaml `attributes`): the
figure next to it (`adjacent`), the nearest of its kind in its clause (`nearest`), or, for a `trailing` group,
the last figure of the clause before a clause of its terms alone ("60%，不多不少")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from assistant.knowledge.figures import Figure

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules, Mention

# Clause boundaries inside a sentence: a marker or subject qualifies figures of its own clause.
CLAUSE_SEP = re.compile(r"[，；;：、()（）]|,(?![0-9]{3})|:(?![0-9])|\s[-–—]\s")
HAN = re.compile(r"[\u4e00-\u9fff]")
JOINER = re.compile(r"\b(?:and|or)\b|[和及与或]")


def distance(f: Figure, m: Mention, folded: str = "") -> int:
    if m.start >= f.end:
        # "600,000 and micro-enterprise loans": a subject across a conjunction belongs to the next figure; one
        # inside the noun the figure counts does not separate them ("10,000 innovation and entrepreneurship
        # professionals")
        gap = folded[f.end:m.start]
        return len(gap) + (1000 if JOINER.match(gap.lstrip()) else 0)
    gap = folded[m.end:f.start] if m.end <= f.start else ""
    return len(gap) + (1000 if JOINER.search(gap) else 0)


def figure_attributes(f: Figure, clause_figs: list[Figure], groups: Mapping[str, list[Mention]], rules: ClaimRules,
                      lo: int, hi: int, folded: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for g, mentions in groups.items():
        spec = rules.groups[g][0]
        if spec.kinds and f.kind not in spec.kinds:
            continue
        here = [m for m in mentions if lo <= m.start < hi]
        if spec.scope == "nearest":
            # a term that stands after its figure (60%整) qualifies only there, and a one-character one only
            # where it ends the word (not 60%整体)
            here = [m for m in here if not m.after or any(
                x.end <= m.start and len(folded[x.end:m.start].strip()) <= 1 for x in clause_figs)
                and not (m.end - m.start == 1 and HAN.match(folded, m.end))]
        if not here and spec.trailing and f is max(clause_figs, key=lambda x: x.start, default=None):
            cut = CLAUSE_SEP.search(folded, hi)
            end = cut.start() if cut else len(folded)
            if not re.search(r"[0-9]", folded[hi:end]):   # a clause of its own, no figure of its own
                here = [m for m in mentions if hi <= m.start < end and not m.after]
        if spec.scope == "adjacent":
            for m in here:
                gap = folded[m.end:f.start] if not m.after else folded[f.end:m.start]
                if (m.end <= f.start if not m.after else m.start >= f.end) and len(gap) <= 3 \
                        and not re.search(r"[0-9]", gap):
                    attrs[g] = m.concept
        elif len(here) == 1:
            # the one marker of the clause qualifies its figures of the kind nearest it ("10 communities of
            # 10,000 m² each": the area is each community's, the count is not)
            nearest = min((x for x in clause_figs if not spec.kinds or x.kind in spec.kinds),
                          key=lambda x: distance(x, here[0], folded), default=f)
            if nearest.kind == f.kind:
                attrs[g] = here[0].concept
        else:
            mine = [m for m in here if min(clause_figs, key=lambda x: distance(x, m, folded)) is f]
            if mine:
                attrs[g] = min(mine, key=lambda m: distance(f, m, folded)).concept
    return attrs
