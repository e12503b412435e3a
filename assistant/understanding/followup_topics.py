"""Which topics a follow-up is about when it points at two ("can these two stack?", 「這兩個可以疊加嗎？」): the topic
at hand and the one before it. A topic that set no benefit (a question the recogniser placed in no benefit surely,
"想拿政府的應用場景…") counts by the benefit its question most likely names, so the resolved ask names both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from assistant.understanding.intents import Recogniser

LIKELY_MIN = 0.15  # a topic without a benefit counts by the benefit its question names at least this likely


class Topic(Protocol):
    benefit: str | None
    anchor: str | None


def likely_benefit(recogniser: Recogniser, topic: Topic) -> str | None:
    """The topic's benefit, else the one its question most likely names (None: none likely enough)."""
    if topic.benefit is not None or topic.anchor is None:
        return topic.benefit
    rec = recogniser.recognise(topic.anchor)
    if rec.benefit:
        return rec.benefit
    best = rec.alternatives[0] if rec.alternatives else None
    return best[0] if best is not None and best[1] >= LIKELY_MIN else None


def other_of(recogniser: Recogniser | None, benefit: str | None, before: Sequence[Topic]) -> str | None:
    """The benefit of the latest earlier topic other than ``benefit``: the second of "these two"."""
    if recogniser is None or benefit is None:
        return None
    for topic in before:
        other = likely_benefit(recogniser, topic)
        if other is not None and other != benefit and other in recogniser.facts:
            return other
    return None


def both_named(first: str, second: str, lang: str) -> str:
    """Two benefits' names as one subject, in the ask's language."""
    return f"{first} and {second}" if lang == "en" else f"{first}和{second}"
