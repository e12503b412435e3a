"""Deterministic follow-up resolution for the extractive mode.

An elliptical question ("那硕士呢？", "and for how long?", "what about a company instead?")
is searched together with the previous turn's question, so the topic carries over; the
answer language still follows the new question. The LLM mode rewrites follow-ups itself.
"""

from __future__ import annotations

import re

from assistant.library.retrieve import content_words
from assistant.understanding.text import tokenize
from assistant.types import Turn

_MARKER = re.compile(
    r"^\s*(?:(?:and|also|what about|how about|what if|and if|or|but|then|so|instead|same for|for)\b"
    r"|那|那么|如果|还有|另外|再问|而|要是|换成|改成)",
    re.IGNORECASE,
)
_ENDS_WITH_NE = re.compile(r"呢[？?！!。.\s]*$")
_ANAPHORA = re.compile(
    r"\b(it|that|this|they|them|those|these|one|there)\b|这笔|这个|那个|它|他们|这项|该项|这些|那些|这种|那种|还能",
    re.IGNORECASE,
)
MAX_CARRIED = 300  # characters of earlier context carried into a follow-up


def is_followup(question: str) -> bool:
    """True when the question leans on the previous turn for its topic."""
    words = len(content_words(tokenize(question)))
    if _MARKER.search(question) or _ENDS_WITH_NE.search(question):
        return words <= 6
    if words <= 2:
        return True
    return bool(_ANAPHORA.search(question)) and words <= 4


def resolve_followup(question: str, history: list[Turn]) -> str:
    """The standalone question to search with, for a question ``is_followup`` accepted (history non-empty)."""
    previous = history[-1]
    context = (previous.standalone_question or previous.question)[-MAX_CARRIED:]
    return f"{context} {question}"
