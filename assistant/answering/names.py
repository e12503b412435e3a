"""Names an answer gives that the sources must give too: which X a bracket names ("住房补贴（人才房）") and the
authority an answer sends the founder to (a bureau, a commission)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.knowledge.claims import fold

_PAREN = re.compile(r"([\u4e00-\u9fff]{2,12})\s*[（(]([^）)]{1,12})[）)]")
_PUNCT = re.compile(r"[\s\W_]+")
# an authority: "深圳市科技创新局", "the science and technology innovation bureau"
# (an office counted, 一间办公室, is a room: no authority)
AUTHORITY = re.compile(r"(?![一二两三几每整单][间个家座层])[\u4e00-\u9fff]{2,10}?(?:局|委员会|办公室)|(?:[a-z&]+\s){1,6}(?:bureau|commission|ministry)\b")
_CITY = re.compile(r"^(?:深圳市|深圳|市|区|shenzhen(?:'s)?\s|the\s|municipal\s|city\s)+")


def renamed(folded: str, src_folded: list[str]) -> str | None:
    """"X（Y）" where the sources write "X（Z）": the bracket names which X, and this one is another."""
    for m in _PAREN.finditer(folded):
        head, inner = m.group(1), m.group(2)
        written = [s for s in src_folded if re.search(re.escape(head[-4:]) + r"\s*[（(]", s)]
        if written and not any(inner in s for s in written):
            return m.group()
    return None


def known_authority(name: str, src_flat: list[str], equivalents: Sequence[Sequence[str]]) -> bool:
    """An authority the sources name (under any name support.yaml lists as the same)."""
    core = _PUNCT.sub("", _CITY.sub("", name))
    names = {core} | {_PUNCT.sub("", fold(t)) for g in equivalents if any(
        core.endswith(_PUNCT.sub("", fold(t))) for t in g) for t in g}
    return any(n and n in s for n in names for s in src_flat)
