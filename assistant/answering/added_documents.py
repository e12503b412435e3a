"""What an added document states of a part the plan leaves unstated (a deadline, where to apply, the price …):
the clauses of the documents in scope that speak of it, answered from alone, and merged after the plan's answer."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from assistant.knowledge.claims import fold
from assistant.library.retrieve import ClauseHit, Retrieval
from assistant.types import Answer, Frame
from assistant.understanding.frame import UNSTATED_NAMES

if TYPE_CHECKING:
    from assistant.answering.extractive import ExtractiveAnswerer

MAX_SCANNED = 50  # documents of a named scope read whole for what the plan leaves unstated (a bound per question)


def speaks_of(extractive: ExtractiveAnswerer, detail: str, text: str) -> bool:
    """The text uses the terms of an unstated part (a deadline, where to apply, the price …)."""
    corpus = extractive.r.corpus
    folded = fold(text)
    names = {v: k for k, v in UNSTATED_NAMES.items()}
    concept = names.get(detail, detail)
    q = corpus.questions
    matchers = ([q.procedure, q.rate] if q is not None else []) + \
        ([corpus.frame.unstated] if corpus.frame is not None else [])
    return any(m.concept == concept or m.concept == detail for matcher in matchers for m in matcher.find(folded))


def stating(extractive: ExtractiveAnswerer, detail: str, retrieval: Retrieval) -> list[ClauseHit]:
    """Clauses that speak of the part the plan leaves unstated, in every clause of the added documents the search
    found (the best ones and those beside the plan's) and of every document the question names or whose place it
    names (up to ``MAX_SCANNED``): a guide's "申报时间" article need not be among the hits."""

    corpus = extractive.r.corpus
    docs = dict.fromkeys(h.clause_id.split(":", 1)[0] for h in retrieval.candidates)
    if retrieval.scope in ("named", "place", "filter") and len(retrieval.docs) <= MAX_SCANNED:
        docs.update(dict.fromkeys(sorted(retrieval.docs)))  # every document the question names, not only the hits
    out: list[ClauseHit] = []
    for doc_id in docs:
        doc = corpus.document(doc_id)
        if doc.authority != "document":
            continue
        for clause in doc.clauses:
            if any(speaks_of(extractive, detail, t) for t in clause.text.values()):
                out.append(ClauseHit(clause.id, 0.0, 0.0, 0.0))
    return out


def narrowed(retrieval: Retrieval, hits: Iterable[ClauseHit]) -> Retrieval:
    """The same search, answered from these clauses alone."""

    return Retrieval(query=retrieval.query, hits=list(hits), scope="named", prefer=set(), extra=[])


def answer_from_documents(extractive: ExtractiveAnswerer, frame: Frame, retrieval: Retrieval) -> Answer | None:
    """The main ask is a part the plan does not state (a deadline, where to apply) but an added document in scope
    speaks of it: quote that document."""
    main = frame.main
    if main is None or main.kind != "unstated" or main.detail is None:  # an unstated ask has its detail
        return None
    found = stating(extractive, main.detail, retrieval)
    if not found:
        return None
    quoted = extractive.answer(main.text, narrowed(retrieval, found))
    return quoted if quoted.answerable else None


def merge(first: Answer, second: Answer, lang: str) -> Answer:
    """``second``'s text and citations after ``first``'s, its markers renumbered."""
    known = {c.clause_id: c.n for c in first.citations}
    renumber: dict[int, int] = {}
    for c in second.citations:
        if c.clause_id in known:
            renumber[c.n] = known[c.clause_id]
        else:
            n = len(first.citations) + 1
            renumber[c.n] = n
            first.citations.append(c.model_copy(update={"n": n}))
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{renumber.get(int(m.group(1)), int(m.group(1)))}]", second.answer)
    first.answer += "\n" + text
    return first
