"""Thresholds keep their direction (data: corpus/support.yaml `ceiling`).

A figure the sources give as a floor ("1万名以上", "at least 10,000 m²") says the least there will be. Said without its
floor and with a word that caps or fixes it ("吸引1万名人才，达到即止", "exactly 1,000 firms", "and no more"), it turns
the floor into a ceiling: the word must stand before the figure in its clause ("caps each community at 10,000 m²"),
after any figure before it, or after it in its own clause of the sentence (not a clause of the next figure:
"1000家企业，低成本空间最多50平方米" caps the 50 m² only). A floor kept (以上, "at least") or a figure the sources also
give as a cap is not judged here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answering.statements import CITE_MARK, sentence_at
from assistant.knowledge.claims import fold
from assistant.knowledge.figures import extract_figures, is_grounded

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules

_CLAUSE_CUT = re.compile(r"[，,；;：:]")
BEFORE = 30   # characters before a figure, in its clause, that may cap or fix it (恰好, "caps each community at")


def floor_turned(answer: str, sources: list[str], rules: ClaimRules, ceiling: re.Pattern[str] | None) -> \
        tuple[str, str] | None:
    """(the figure's sentence part, the capping word) for a floor of the sources the answer caps or fixes; None."""
    if ceiling is None:
        return None
    bound = [b for t in sources for b in rules.bind(t)]
    floors = [b.figure for b in bound if b.attrs.get("bound") == "floor"]
    if not floors:
        return None
    caps = [b.figure for b in bound if b.attrs.get("bound") == "cap"]
    plain = CITE_MARK.sub(lambda m: " " * len(m.group()), answer)
    found = extract_figures(plain)
    starts, ends = [f.start for f in found], [f.end - 1 for f in found]
    cursor = 0
    for b in rules.bind(plain):
        f = b.figure
        at = plain.find(f.text, cursor)   # the binder reads a normalised text: its offsets are not the answer's
        if at < 0:
            continue
        cursor = end = at + len(f.text)
        if "bound" in b.attrs or not is_grounded(f, floors) or is_grounded(f, caps):
            continue
        a, e = sentence_at(plain, at)
        after = plain[end:min([s for s in starts if s > at] + [e])]
        if any(at < s < e for s in starts):   # the next figure's clause is that figure's
            cuts = list(_CLAUSE_CUT.finditer(after))
            after = after[:cuts[-1].start()] if cuts else after
        before = plain[max([a, at - BEFORE] + [s + 1 for s in ends if s <= at]):at]   # back to the figure before
        before = _CLAUSE_CUT.split(before)[-1]
        m = ceiling.search(fold(after)) or ceiling.search(fold(before))
        if m:
            return answer[a:e].strip(), m.group()
    return None
