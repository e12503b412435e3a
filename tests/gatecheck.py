"""The grounding gate run on one answer against clauses of the plan, as the tests of its checks use it: the cited
clauses numbered in order, with their fact records."""

from __future__ import annotations

from assistant.answering.citations import citation_for
from assistant.answering.gate import check
from assistant.understanding.text import detect_language

M = "sz-ai-opc-plan:"


def gate_on(corpus, answer: str, clauses: tuple[str, ...], question: str = "", lang: str | None = None) -> list[str]:
    """The gate's findings (empty: shown to the founder)."""
    lang = lang or detect_language(answer)
    sources = {i: citation_for(corpus, corpus.clause(M + c), lang, i) for i, c in enumerate(clauses, 1)}
    facts = [f for f in corpus.facts if f.clause_id in {M + c for c in clauses}]
    return check(answer, True, sources, lang, question=question, rules=corpus.claims, places=corpus.places,
                 jurisdiction=corpus.places.jurisdiction_of(corpus.document("sz-ai-opc-plan")),
                 support=corpus.support, facts=facts)
