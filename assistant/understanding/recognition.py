"""Which benefit an ask is about, through one seam: a learned recogniser may be installed with
:func:`use_recogniser`; without one (or when it abstains) the rules of corpus/claims.yaml and the glossary decide
(assistant/understanding/frame.py reads each ask through it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules
    from assistant.understanding.intents import Recognition

Recogniser = Callable[[str, str], "str | None"]
_learned: list[Recogniser] = []


def use_recogniser(fn: Recogniser | None) -> None:
    """Install a recogniser ``fn(ask_text, lang) -> claims subject id | None`` tried before the rules
    (None uninstalls). It must be offline and quick: it runs for every ask."""
    _learned.clear()
    if fn is not None:
        _learned.append(fn)


def recognise(text: str, lang: str, rules: ClaimRules | None, expand: Callable[[str], list[str]] | None = None) -> str | None:
    """The benefit an ask is about: the installed recogniser's answer, else the claims rules on the text, else on
    its glossary expansion ("能贷" -> 贷款)."""
    for fn in _learned:
        got = fn(text, lang)
        if got:
            return got
    if rules is None:
        return None
    return rules.subject_of(text) or (rules.subject_of(" ".join(expand(text))) if expand else None)


def named_subject(text: str, rules: ClaimRules, rec: Recognition | None) -> str | None:
    """The subject ``text`` names in words, unless it names it only through a loose word (奖励, "reward") and the
    learned reading ``rec`` recognised a benefit: then that benefit's subject (the reading weighed the word)."""
    named = rules.subject_of(text)
    learned = rec.subject if rec is not None and rec.benefit else None
    if named is not None and learned is not None and rules.named_loosely(text, named):
        return learned
    return named
