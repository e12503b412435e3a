"""Pure functions that turn clauses into citations, suggestions and the lines that introduce quotes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from assistant.answering.prompts import (
    LEAD,
    LEAD_BACKGROUND,
    LEAD_ISSUER,
    ONLY_IN,
    ONLY_IN_ANSWERED,
    PAGE,
    SEVERAL_NOTE,
    STATUS_LABEL,
    STATUS_NOTE,
)
from assistant.knowledge.corpus import Corpus
from assistant.types import Citation, Clause, ClauseRef
from assistant.understanding.text import base_lang, localise

if TYPE_CHECKING:
    from assistant.library.retrieve import ClauseHit


def _pick(values: dict[str, str], lang: str) -> str:
    """The value in the answer's language (Traditional rendered from Chinese), else any we hold."""
    base = base_lang(lang)
    if values.get(base):
        return localise(values[base], lang)
    return next(iter(values.values()), "")


def _other(lang: str) -> str:
    return "en" if base_lang(lang) == "zh" else "zh"


def citation_for(corpus: Corpus, clause: Clause, lang: str, n: int, today: str | None = None) -> Citation:
    """The clause as a numbered source; ``today`` (ISO, default the system date) decides the document's status."""
    doc = corpus.document(clause.doc_id)
    version = doc.versions.get(base_lang(lang)) or doc.versions.get(_other(lang)) or {}
    other = _other(lang)
    parallel = clause.text.get(other, "")
    return Citation(
        n=n,
        clause_id=clause.id,
        label=_pick(clause.label, lang),
        title=_pick(clause.title, lang),
        text=_pick(clause.text, lang),
        parallel_text=localise(parallel, "zh-Hant") if other == "zh" and lang == "zh-Hant" else parallel,
        parallel_label=clause.label.get(other, ""),
        doc_id=doc.id,
        doc_title=_pick(doc.title, lang),
        source_url=version.get("source_url") or doc.official_url,
        authority=doc.authority,
        is_translation=bool(version.get("translation")) and base_lang(lang) in clause.text,
        page=page_for(clause, lang),
        issuer=_pick(doc.issuer, lang) if doc.issuer else "",
        doc_number=doc.doc_number,
        status=doc.status(today or date.today().isoformat()),
        effective_date=doc.effective_date,
        valid_until=doc.valid_until,
        source_language=None if base_lang(lang) in clause.text else next(iter(clause.text), None),
    )


def source_line(citation: Citation, lang: str) -> str:
    """"issuer · number · in force / expired" for a citation (what front ends show under its title)."""
    status = STATUS_LABEL[lang if lang in STATUS_LABEL else "en"][citation.status]
    return " · ".join(x for x in (citation.issuer, citation.doc_number, status) if x)


def page_for(clause: Clause, lang: str) -> int | None:
    """The page in the version quoted, else in the original file (a clause is one aligned unit)."""
    return clause.pages.get(base_lang(lang), clause.page)


def clause_ref(corpus: Corpus, clause: Clause, lang: str, score: float = 0.0) -> ClauseRef:
    doc = corpus.document(clause.doc_id)
    return ClauseRef(
        clause_id=clause.id,
        label=_pick(clause.label, lang),
        title=_pick(clause.title, lang),
        doc_title=_pick(doc.title, lang),
        score=round(score, 4),
    )


def suggestions(corpus: Corpus, hits: Sequence[ClauseHit], lang: str, limit: int = 3) -> list[ClauseRef]:
    """The nearest clauses, offered when a question is not answered."""
    return [clause_ref(corpus, corpus.clause(h.clause_id), lang, h.score) for h in hits[:limit]]


def format_lead(corpus: Corpus, clause: Clause, lang: str, with_issuer: bool = False) -> str:
    """The phrase that introduces a quote, naming its clause (and flagging news background)."""
    doc = corpus.document(clause.doc_id)
    key = "zh" if base_lang(lang) == "zh" else "en"  # the whole answer is localised afterwards
    if key not in clause.text:  # quoted in the only language it exists in: introduced in that language too
        key = next(iter(clause.text), key)
    title = _pick(clause.title, key) or _pick(clause.label, key)
    if doc.authority == "background":
        return LEAD_BACKGROUND[key].format(title=title)
    label = _pick(clause.label, key)
    page = page_for(clause, key)
    if page is not None:  # added documents with pages: "（四）（第3页）"; the built-in plan has none
        label += PAGE[key].format(page=page)
    lead = LEAD[key].format(doc=_pick(doc.short_title, key), label=label, title=title)
    if with_issuer and doc.issuer:  # several documents answer: each quote says whose it is
        lead = LEAD_ISSUER[key].format(issuer=_pick(doc.issuer, key)) + lead
    return lead


def document_notes(corpus: Corpus, citations: list[Citation], lang: str, quoted: bool = True) -> list[str]:
    """One-line notes about the cited documents in the question's language: a document expired or not yet in
    force, a document that exists only in the other language, documents of different issuers."""
    notes: list[str] = []
    seen: set[str] = set()
    for c in citations:
        if c.doc_id in seen:
            continue
        seen.add(c.doc_id)
        if c.status != "in_force":
            notes.append(STATUS_NOTE[c.status][lang].format(doc=c.doc_title))
    for source in dict.fromkeys(c.source_language for c in citations if c.source_language):
        notes.append((ONLY_IN if quoted else ONLY_IN_ANSWERED)[source][lang])
    issuers = {c.issuer for c in citations if c.issuer}
    if len(issuers) > 1 and len(seen) > 1:
        notes.append(SEVERAL_NOTE[lang])
    return notes
