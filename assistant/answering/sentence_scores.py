"""What the extractive answer scores sentences with (assistant/answering/extractive.py): a scored sentence, the
tokens, figure kinds and benefits derived once per entry text of the library, and inverse document frequency
over its sentences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant.answering.wanted import figure_kinds
from assistant.understanding.instructions import is_instruction

if TYPE_CHECKING:
    from assistant.knowledge.corpus import Corpus
    from assistant.library.index import SearchIndex
    from assistant.library.segments import Entry

# What is derived once per entry text: its tokens, the figure kinds it states, the benefits it names, and
# whether it reads as an instruction to the assistant.
Derived = tuple[set[str], set[str], set[str], bool]


@dataclass
class Scored:
    pos: int  # entry position of the sentence in the answer language
    clause_id: str
    sent: int
    score: float
    dense: float
    overlap: float
    has_wanted: bool = False  # states a figure of the kind the question asks for
    lead: float = 0.0  # the preference for the home's built-in documents included in ``score``

    def share_of(self, best: Scored) -> float:
        """This score as a share of the best's; between two sentences with the same preference, without it
        (the preference puts the built-in corpus first; it must not change how much of it is quoted)."""
        lead = best.lead if self.lead == best.lead else 0.0
        return (self.score - lead) / ((best.score - lead) or 1.0)


def idf_overlap(tokens: set[str], sentence_tokens: set[str], idf: dict[str, float]) -> float:
    if not tokens:
        return 0.0
    total = sum(idf.get(t, 1.0) for t in tokens)
    return sum(idf.get(t, 1.0) for t in tokens & sentence_tokens) / total


def sentence_idf(entries: Sequence[Entry], tokens: list[set[str]]) -> dict[str, float]:
    n = sum(e.kind == "sentence" for e in entries)
    df: dict[str, int] = {}
    for e, toks in zip(entries, tokens):
        if e.kind == "sentence":
            for t in toks:
                df[t] = df.get(t, 0) + 1
    return {t: float(np.log(1 + n / c)) for t, c in df.items()}


_DERIVED: tuple[str, dict[tuple[str, bool], Derived]] = ("", {})


def derive_entries(index: SearchIndex, corpus: Corpus) -> dict[tuple[str, bool], Derived]:
    """Tokens, figure kinds and benefits of every entry text, kept from the previous corpus for texts it had:
    adding one document to a library of thousands derives only the new document's (the built-in files,
    claim rules included, are in ``corpus.digest``; when they change everything is derived again). Tokens
    come from the index's postings: a library is not tokenised a second time at start."""
    global _DERIVED
    digest, old = _DERIVED
    old = old if digest == corpus.digest else {}
    rules = corpus.claims
    fresh: dict[tuple[str, bool], Derived] = {}
    for segment in index.segments.values():
        tokens: list[set[str]] | None = None  # read from a segment only when it has texts not derived before (a new document's)
        for i, e in enumerate(segment.entries):
            key = (e.text, e.kind == "sentence")
            if key not in fresh:
                derived = old.get(key)
                if derived is None:
                    if tokens is None:
                        tokens = segment.token_sets()
                    derived = (tokens[i], figure_kinds(e.text, corpus.places) if key[1] else set(),
                               rules.subjects_in(e.text) if rules is not None and key[1] else set(),
                               key[1] and is_instruction(e.text))
                fresh[key] = derived
    _DERIVED = (corpus.digest, fresh)
    return fresh
