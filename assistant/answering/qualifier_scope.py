"""Which figure a kept qualifier of an answer qualifies ("up to", 最高: claims.yaml `keep`).

A cap the sources give must not be dropped ("every selected project receives 1 million" where the clause says up
to 1 million). A cap word elsewhere in the answer does not keep it: "能拿到100万元研发资助，另外还有最高5万元奖励"
says 最高 of the 50,000 only. A cap word standing right before a figure (or right after it: 10个以上) is that
figure's, and carries over to the figures after it in its sentence ("分别最高100万元和5万元", "up to 1 million yuan
in funding and 50,000 yuan in rewards"); one standing apart from any figure ("最高可获得：…") qualifies all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.knowledge.figures import extract_figures

if TYPE_CHECKING:
    from assistant.knowledge.claims import Mention

# how near its figure a qualifier word stands ("最高可获500万元", "up to RMB 1 million")
REACH = 6
_SENTENCE_END = re.compile(r"[。！？!?；;\n]|(?<!i\.e)(?<!e\.g)\.(?!\d|e\.|g\.)")   # "i.e." ends nothing
_CLAUSE_END = re.compile(r"[，。！？!?；;：:\n]")


def _owner(m: Mention, starts: Sequence[tuple[int, int]], text: str) -> int | None:
    """The start of the figure ``m`` qualifies, or None when it stands apart from every figure."""
    if m.after:
        before = [f for f in starts if f[1] <= m.start and m.start - f[1] <= REACH
                  and not _CLAUSE_END.search(text[f[1]:m.start])]
        return before[-1][0] if before else None
    after = [f for f in starts if f[0] >= m.end and f[0] - m.end <= REACH and not _CLAUSE_END.search(text[m.end:f[0]])]
    return after[0][0] if after else None


def kept_for(at: int | None, mentions: Sequence[Mention], text: str) -> bool:
    """A mention of the qualifier qualifies the figure starting at ``at`` in ``text`` (the answer without its citation
    markers). ``at`` None (where the figure stands is not known): any mention does."""
    if not mentions:
        return False
    if at is None:
        return True
    starts = [(f.start, f.end) for f in extract_figures(text)]
    for m in mentions:
        owner = _owner(m, starts, text)
        if owner is None or owner == at:
            return True
        if owner < at and not _SENTENCE_END.search(text[owner:at]):
            return True   # 最高100万元和5万元: the cap of a list of figures
    return False
