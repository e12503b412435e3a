"""Evaluation cases generated from the fact records: every money fact asked in each question form
of corpus/questions.yaml, in English, Simplified and Traditional Chinese; the answer must cite the fact's
clause and state its amount."""

from __future__ import annotations

from assistant.evaluate.dataset import GoldenCase
from assistant.knowledge.facts import figure_text
from assistant.understanding.text import localise


def fact_cases(corpus) -> list[GoldenCase]:
    forms = corpus.questions.spec.eval_forms if corpus.questions is not None else None
    if forms is None:
        return []
    cases: list[GoldenCase] = []
    for fact in corpus.facts:
        if not (fact.is_benefit and fact.reviewed and fact.amount and fact.amount.unit == "yuan"):
            continue
        for lang in ("en", "zh", "zh-Hant"):
            base = "en" if lang == "en" else "zh"
            for i, form in enumerate(forms.en if base == "en" else forms.zh):
                question = localise(form.format(name=fact.name(base)), lang)
                if lang == "zh-Hant" and question == form.format(name=fact.name(base)):
                    continue  # the same characters in both scripts: the script cannot be told from it
                cases.append(GoldenCase(
                    id=f"fact-{fact.id}-{i + 1}-{lang}", question=question, language=lang, category="fact",
                    answerable=True, expected_clauses=[fact.clause_id],
                    expected_figures=[figure_text(fact.amount.unit, fact.amount.value, base)],
                    pair=f"fact-{fact.id}-{i + 1}", note="generated from facts.yaml"))
    return cases
