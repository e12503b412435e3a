"""What of a message the query embedding reads: its asks, bounded.

The embedding's CPU time grows faster than its input (about 2 ms a character at 2,000 characters), so a long
message would cost as much as a hundred questions. The embedding reads the question-like sentences, last first
(the last sentences when none asks), up to a token cap (``OPC_RETRIEVAL__QUERY_EMBED_TOKENS``), in their order; the whole
message is still read for keywords, places and scope, which cost little.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.understanding.text import cjk_count, split_sentences

# A sentence that asks: a question mark, or a question word of either language.
_ASKS = re.compile(r"[?？]|吗|呢|多少|几|怎么|怎样|如何|什么|哪|是否|能否|可否|有没有|\b(what|how|which|when|where|who|"
                   r"whom|whose|why|can|could|do|does|is|are|should|may)\b", re.I)


def estimate_tokens(text: str) -> int:
    """A tokenizer-free count for embedders without one: a Chinese character or ~4 other characters a token."""
    cjk = cjk_count(text)
    return cjk + (len(text) - cjk + 3) // 4 + 2


def embed_text(text: str, cap: int, count: Callable[[str], int] = estimate_tokens) -> str:
    """``text`` when it fits ``cap`` tokens, else its asks and last sentences that fit, in reading order."""
    if len(text) <= cap or count(text) <= cap:  # a token is at least a character: short text always fits
        return text
    sentences = split_sentences(text)
    # The asks alone when the message has any (background dilutes the query); else its last sentences.
    order = [i for i in reversed(range(len(sentences))) if _ASKS.search(sentences[i])] \
        or list(reversed(range(len(sentences))))
    kept: list[int] = []
    used = 2  # the tokenizer's own markers
    for i in order:
        n = count(sentences[i]) - 2
        if used + n <= cap:
            kept.append(i)
            used += n
    if not kept:  # one sentence longer than the cap: its end, where a question's ask usually is
        tail = sentences[order[0]]
        lo, hi = 0, len(tail)
        while lo < hi:  # the shortest cut from the front that fits
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if count(tail[mid:]) <= cap else (mid + 1, hi)
        return tail[lo:]
    sep = "" if cjk_count(text) > len(text) / 4 else " "
    return sep.join(sentences[i] for i in sorted(kept))
