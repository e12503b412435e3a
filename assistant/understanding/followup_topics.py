"""Which topics a follow-up is about when it points at two ("can these two stack?", 「這兩個可以疊加嗎？」): the topic
at hand and the one before it, or the two the topic's own question pointed at ("both the cash and the flat").
A topic that set no benefit (a question the recogniser placed in no benefit surely,
"想拿政府的應用場景…") counts by the benefit its question most likely names, so the resolved ask names both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from assistant.understanding.followup_words import BOTH

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


def named_beside(recogniser: Recogniser, topic: Topic, benefit: str) -> str | None:
    """Another benefit the topic's own question points at beside ``benefit`` when it points at two itself ("can I
    take both the cash subsidy and the flat?"): the one it most likely names after it."""
    if topic.anchor is None or not BOTH.search(topic.anchor):
        return None
    rec = recogniser.recognise(topic.anchor)
    ranked = [(rec.benefit, rec.confidence)] if rec.benefit else []
    return next((b for b, p in [*ranked, *rec.alternatives] if b != benefit and p >= LIKELY_MIN), None)


def other_of(recogniser: Recogniser | None, benefit: str | None, topics: Sequence[Topic]) -> str | None:
    """The second of "these two": the other benefit the topic at hand pointed at itself, else the benefit of the
    latest topic (``topics``, latest first) other than ``benefit``."""
    if recogniser is None or benefit is None:
        return None
    beside = named_beside(recogniser, topics[0], benefit) if topics else None
    if beside is not None and beside in recogniser.facts:
        return beside
    for topic in topics:
        other = likely_benefit(recogniser, topic)
        if other is not None and other != benefit and other in recogniser.facts:
            return other
    return None


def both_named(first: str, second: str, lang: str) -> str:
    """Two benefits' names as one subject, in the ask's language."""
    return f"{first} and {second}" if lang == "en" else f"{first}和{second}"
