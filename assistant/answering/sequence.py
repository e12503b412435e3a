"""Steps said in the wrong order: "计划会先在全市铺开，之后再集中在南山、龙岗" where the cited clause says 首先依托南山、
龙岗…再向全市拓展. A sentence with a first-step word and a later-step word after it names two steps; a cited
sentence naming two steps the same way gives their order. The statement's order is reversed when its first step
shares more words with the source's later step and its later step more with the source's first (a step said in
other words shares none, and is not judged)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering.statements import CITE_MARK, sentences
from assistant.knowledge.claims import fold

# words of order: a first step (先, not 优先, 先进), a later one
_FIRST = re.compile(r"首先|第一步|(?<![优首率领预事])先(?![进行锋导例])|(?<![a-z])(?:first|initially)(?![a-z])")
_THEN = re.compile(r"之后|然后|随后|其次|再|(?<![a-z])(?:then|after that|later|afterwards)(?![a-z])")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_EN_WORD = re.compile(r"[a-z]{4,}")


def _units(text: str) -> set[str]:
    """Its Chinese character pairs and English words: what two steps may share."""
    out = {w for w in _EN_WORD.findall(text)}
    for run in _CJK_RUN.findall(text):
        out |= {run[i:i + 2] for i in range(len(run) - 1)}
    return out


def _steps(folded: str) -> tuple[set[str], set[str], str] | None:
    first = _FIRST.search(folded)
    then = _THEN.search(folded, first.end()) if first else None
    if first is None or then is None:
        return None
    return _units(folded[first.end():then.start()]), _units(folded[then.end():]), f"{first.group()}…{then.group()}"


def reversed_steps(answer: str, sources: Sequence[str]) -> tuple[str, str] | None:
    """(sentence, its order words): a sentence of ``answer`` stating two steps in the reverse of a cited
    sentence's order (None: none)."""
    given = []
    for text in sources:
        low = fold(text)
        given += [s for a, b in sentences(low) if (s := _steps(low[a:b]))]
    if not given:
        return None
    for a, b in sentences(answer):
        said = _steps(fold(CITE_MARK.sub(" ", answer[a:b])))
        if said is None:
            continue
        first, later, words = said
        for src_first, src_later, _ in given:
            if len(first & src_later) > len(first & src_first) and len(later & src_first) > len(later & src_later):
                return answer[a:b].strip(), words
    return None
