"""Two documents, one benefit, different figures: the answer quotes both, each with its issuer and date.

The extractive answer already quotes other issuers' and places' documents beside the best one. What it skipped
is a document of the same voice (same place and issuer), or one claiming to be a quoted document (its title or
number): there one figure would otherwise win silently. Figures are compared through the claim binder
(corpus/claims.yaml): money bound to the same benefit and period, with no value in common, disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from assistant.answering.citations import format_lead
from assistant.answering.prompts import DISAGREE
from assistant.knowledge.provenance import money_claims
from assistant.understanding.text import base_lang, localise

if TYPE_CHECKING:
    from assistant.answering.sentence_scores import Scored
    from assistant.library.retrieve import Retriever
    from assistant.types import Clause, Document

MAX_EXTRA = 2  # other documents quoted for one answer


def _doc_of(clause_id: str) -> str:
    return clause_id.split(":", 1)[0]


def _related(a: Document, b: Document) -> bool:
    """Documents whose differing figures nothing else in the answer would show: one voice, or one claiming the
    other's identity (other voices are quoted beside the best already)."""
    same_voice = (a.jurisdiction, a.issuer.get("zh") or a.issuer.get("en")) == \
        (b.jurisdiction, b.issuer.get("zh") or b.issuer.get("en"))
    return same_voice or a.id in b.conflicts_with or b.id in a.conflicts_with


def disagreeing(retriever: Retriever, scored: Iterable[Scored], chosen: Sequence[Scored],
                skip: set[int]) -> list[Scored]:
    """Scored sentences of other documents that state a different figure for a benefit a chosen sentence states."""
    rules = retriever.corpus.claims
    if rules is None or not chosen:
        return []
    entries = retriever.index.entries
    corpus = retriever.corpus
    quoted_docs = {_doc_of(c.clause_id) for c in chosen}
    claims: dict[tuple[str, str | None], set[float]] = {}
    for c in chosen:
        for key, values in money_claims(rules, entries[c.pos].text).items():
            claims.setdefault(key, set()).update(values)
    if not claims:
        return []
    out: list[Scored] = []
    for cand in scored:
        doc_id = _doc_of(cand.clause_id)
        if doc_id in quoted_docs or cand.pos in skip:
            continue
        doc = corpus.document(doc_id)
        if doc.authority == "background" or not any(_related(doc, corpus.document(d)) for d in quoted_docs):
            continue
        theirs = money_claims(rules, entries[cand.pos].text)
        if any(key in claims and not (values & claims[key]) for key, values in theirs.items()):
            out.append(cand)
            quoted_docs.add(doc_id)
            if len(out) == MAX_EXTRA:
                break
    return out


def disagreement(retriever: Retriever, clause: Clause, sentence: str, lang: str, n: int) -> str:
    doc = retriever.corpus.document(clause.doc_id)
    key = "zh" if base_lang(lang) == "zh" else "en"
    issuer = doc.issuer.get(key) or next(iter(doc.issuer.values()), "") or doc.id
    when = doc.date_signed or doc.effective_date or "-"
    sep = "" if key == "zh" else " "
    return localise(DISAGREE[key].format(issuer=issuer, date=when), lang) + \
        format_lead(retriever.corpus, clause, lang, with_issuer=False) + f"{sentence}{sep}[{n}]"
