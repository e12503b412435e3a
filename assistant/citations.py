"""Pure functions that turn clauses into citations, suggestions and the lines that introduce quotes."""

from __future__ import annotations

from .corpus import Corpus
from .prompts import LEAD, LEAD_BACKGROUND, PAGE
from .text import base_lang, localise
from .types import Citation, Clause, ClauseRef


def _pick(values: dict[str, str], lang: str) -> str:
    """The value in the answer's language (Traditional rendered from Chinese), else any we hold."""
    base = base_lang(lang)
    if values.get(base):
        return localise(values[base], lang)
    return next(iter(values.values()), "")


def _other(lang: str) -> str:
    return "en" if base_lang(lang) == "zh" else "zh"


def citation_for(corpus: Corpus, clause: Clause, lang: str, n: int) -> Citation:
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
    )


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


def suggestions(corpus: Corpus, hits, lang: str, limit: int = 3) -> list[ClauseRef]:
    """The nearest clauses, offered when a question is not answered."""
    return [clause_ref(corpus, corpus.clause(h.clause_id), lang, h.score) for h in hits[:limit]]


def format_lead(corpus: Corpus, clause: Clause, lang: str) -> str:
    """The phrase that introduces a quote, naming its clause (and flagging news background)."""
    doc = corpus.document(clause.doc_id)
    key = "zh" if base_lang(lang) == "zh" else "en"  # the whole answer is localised afterwards
    title = _pick(clause.title, key) or _pick(clause.label, key)
    if doc.authority == "background":
        return LEAD_BACKGROUND[key].format(title=title)
    label = _pick(clause.label, key)
    page = page_for(clause, key)
    if page is not None:  # added documents with pages: "（四）（第3页）"; the built-in plan has none
        label += PAGE[key].format(page=page)
    return LEAD[key].format(doc=_pick(doc.short_title, key), label=label, title=title)
