"""What a follow-up asks of the topic at hand: another benefit of its clause named in that benefit's own words
("那换成工厂里的示范应用呢？" after the government-service product: its names and descriptions in
corpus/intents.yaml ``describe``, less those of the benefit discussed), or a part the plan may leave unstated that
the benefit's name, put before it, would hide from the frame."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.knowledge.claims import fold
from assistant.library.retrieve import content_words
from assistant.understanding.text import detect_language, tokenize

GENERIC = 3  # a word said of this many of the plan's benefits names none of them
SURE = 0.6  # a non-bare follow-up the recogniser reads a benefit in this surely names its own, not a sibling
KEPT = ("unstated", "plan", "ranking")  # a resolved ask read as one of these is framed as resolved
GOALS = ("target", "deadline")  # the plan's own targets are asked together, as its goals: no sibling to switch to

if TYPE_CHECKING:
    from assistant.types import Ask, Frame
    from assistant.understanding.intents import Recogniser, Recognition


def said_of(recogniser: Recogniser, benefit: str | None) -> set[str]:
    """The content words of a benefit's names and descriptions."""
    fact = recogniser.facts.get(benefit) if benefit is not None else None
    if fact is None:
        return set()
    described = recogniser.spec.describe.get(fact.id)
    names = [fact.names.zh, fact.names.en, *(described.zh + described.en if described is not None else [])]
    return set(content_words(tokenize(fold(" ".join(names)))))


def sibling_named(recogniser: Recogniser | None, ask: str, benefit: str | None, clause: str | None) -> str | None:
    """The benefit of ``clause`` other than ``benefit`` whose own words the ask uses most (None: none, or two
    alike). The plan's targets are none: "那人才呢？" after the startups target asks the goals."""
    named = siblings_named(recogniser, ask, benefit, clause)
    return named[0] if len(named) == 1 else None


def siblings_named(recogniser: Recogniser | None, ask: str, benefit: str | None, clause: str | None) -> list[str]:
    """The benefits of ``clause`` other than ``benefit`` whose own words the ask uses most, all of them when
    several use as many ("鲲鹏那个项目呢？" after the loans: the Kunpeng reward and its R&D grant alike)."""
    if recogniser is None or clause is None:
        return []
    said = {fact.id: said_of(recogniser, fact.id) for fact in recogniser.facts.values()}
    # a word said of several benefits names a kind of support (补助, funding), not one of them
    counts = Counter(word for words in said.values() for word in words)
    words = {w for w in content_words(tokenize(fold(ask))) if counts[w] < GENERIC} - said_of(recogniser, benefit)
    scores = sorted(((len(words & said[fact.id]), fact.id) for fact in recogniser.facts.values()
                     if fact.clause_id == clause and fact.id != benefit and fact.kind not in GOALS), reverse=True)
    if not scores or scores[0][0] == 0:
        return []
    return [fact for n, fact in scores if n == scores[0][0]]


def sibling_described(recogniser: Recogniser | None, ask: str, rec: Recognition | None, benefit: str | None,
                      clause: str | None, bare: bool) -> str | None:
    """The sibling of ``benefit`` (of any benefit of ``clause`` when the topic is the clause) a follow-up names in
    its words (sibling_named). A bare ellipsis ("那换成工厂里的
    示范应用呢？") is read so however unsure the recogniser is; a longer one ("and if it's a factory pilot instead?",
    "Different product: a pilot in a factory. Same deal?") only when it names no benefit in words and the recogniser
    reads none fairly surely: then it asks about what it names."""
    if recogniser is None or rec is None or clause is None:
        return None
    if not bare and ((rec.benefit and (rec.explicit or rec.confidence >= SURE))
                     or (recogniser.claims is not None and recogniser.claims.subjects_in(ask))):
        return None
    return sibling_named(recogniser, ask, benefit, clause)


def framed_as(framer: Callable[[str, str], Frame | None] | None, standalone: str, said: str, own: Ask | None) -> str:
    """What the answer is framed on: the resolved ask, unless the follow-up alone asks a part the plan may leave
    unstated ("what would that cost me per month?") and the resolved ask, the benefit's name before it, reads as a
    plain question about the benefit (answered as if the part were stated): then the follow-up's own ask, searched
    with the resolved one. A resolved ask read as the plan itself ("幾時完？" after when the plan starts: its
    validity, not an application deadline) or as a ranking stands."""
    if own is None or own.kind != "unstated" or framer is None:
        return standalone
    resolved = framer(standalone, detect_language(said))
    if resolved is None or resolved.main is None or resolved.main.kind in KEPT:
        return standalone
    # the part still read beside the benefit ("Transitional housing where do I apply?"): declared as resolved
    return standalone if any(own.detail in (a.detail, *a.also) for a in resolved.asks) else said
