"""Facts of added documents, extracted by rule at load.

Chinese and English policy text states its benefits in a few shapes (最高…万元, 每月…元, 最长…个月, 不超过…,
按…的30%给予, up to …, … per month, for up to … months). The claim binder (corpus/claims.yaml) already reads
those shapes: each figure with its subject, bound (cap/floor), period and tax. Every money, area or percent
figure of a clause becomes a candidate record quoting its sentence; a duration in the same sentence becomes its
duration. The candidate is kept only when it verifies against every language version of the clause (the
translation must state the same figure), exactly like the reviewed records; others are dropped and reported.
Extracted records carry no conditions: they are marked unreviewed and the eligibility check never calls them
met.
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.knowledge.claims import ClaimRules
from assistant.knowledge.facts import Amount, BenefitKind, Bound, Duration, Fact, Names, Quote, verify
from assistant.types import Clause, Document
from assistant.understanding.text import split_sentences

# claims.yaml's words for a figure's unit, bound, period and tax -> a record's
_UNITS: dict[str, Literal["yuan", "m2", "%"]] = {"yuan": "yuan", "m2": "m2", "%": "%"}
_BOUNDS: dict[str | None, Bound] = {"cap": "cap", "floor": "floor"}
_PERIODS: dict[str | None, Literal["month", "year", "one_off"]] = {
    "per_month": "month", "per_year": "year", "one_off": "one_off"}
_TAXES: dict[str | None, Literal["before_tax", "after_tax"]] = {"before_tax": "before_tax", "after_tax": "after_tax"}
# Benefit kinds by the subject a figure binds to (claims.yaml subject ids and their parents).
_KIND_OF_SUBJECT: dict[str, BenefitKind] = {
    "loan": "loan", "voucher": "voucher", "workspace": "space", "transitional_housing": "housing",
    "innovation_reward": "reward"}


def _kind(subject: str | None, unit: str, rules: ClaimRules | None) -> BenefitKind:
    for sid in (rules.ancestors(subject) if subject and rules is not None else []):
        if sid in _KIND_OF_SUBJECT:
            return _KIND_OF_SUBJECT[sid]
    return "space" if unit == "m2" else "cash_grant"


def twin(clause: Clause, lang: str, key: tuple[str, float], rules: ClaimRules) -> tuple[str | None, str | None]:
    """The sentence of the other language version stating the same figure, and the figure's subject there."""
    for sentence in split_sentences(clause.text.get(lang, "")):
        same = [b for b in rules.bind(sentence) if b.figure.key == key]
        if same:
            return sentence, same[0].subject
    return None, None


def _quote(clause: Clause, lang: str, sentence: str, key: tuple[str, float], rules: ClaimRules,
           subject: str | None) -> tuple[Quote, str | None]:
    """The quote in every language, and the subject when every language binds the figure to a compatible one
    (the two versions may word a benefit differently: then the record names no subject)."""
    quotes: dict[str, str | None] = {lang: sentence}
    for other in clause.text:
        if other != lang:
            quotes[other], theirs = twin(clause, other, key, rules)
            if not rules.compatible(subject, theirs):
                subject = None
    return Quote(**{k: v for k, v in quotes.items() if k in ("en", "zh")}), subject


def candidates(doc: Document, rules: ClaimRules | None) -> list[Fact]:
    """Candidate records of one added document, before verification."""
    out: list[Fact] = []
    if rules is None:
        return out
    primary = doc.languages[0] if doc.languages else "zh"
    for clause in doc.clauses:
        lang = primary if primary in clause.text else next(iter(clause.text))
        for s_i, sentence in enumerate(split_sentences(clause.text[lang])):
            bound = rules.bind(sentence)
            durations = [b for b in bound if b.figure.kind == "duration"]
            # a zero ("0%", "0元") states no benefit and is no valid amount: not a fact
            for f_i, b in enumerate(x for x in bound if x.figure.unit in _UNITS and x.figure.value > 0):
                unit = _UNITS[b.figure.unit]
                quote, subject = _quote(clause, lang, sentence, b.figure.key, rules, b.subject)
                amount = Amount(value=b.figure.value, unit=unit, bound=_BOUNDS.get(b.attrs.get("bound"), "exact"),
                                per=_PERIODS.get(b.attrs.get("period")), tax=_TAXES.get(b.attrs.get("tax")), quote=quote)
                duration = None
                if durations and f_i == 0 and durations[0].figure.value > 0:
                    d = durations[0]
                    duration = Duration(value=d.figure.value, unit="month",
                                        bound=_BOUNDS.get(d.attrs.get("bound"), "exact"),
                                        quote=_quote(clause, lang, sentence, d.figure.key, rules, None)[0])
                title = clause.title or clause.label
                names = Names(en=title.get("en") or title.get("zh") or clause.local_id,
                              zh=title.get("zh") or title.get("en") or clause.local_id)
                out.append(Fact(id=re.sub(r"[^a-z0-9_]", "_", f"{clause.local_id}_{s_i + 1}_{f_i + 1}".lower()),
                                clause=clause.local_id, subject=subject, kind=_kind(b.subject, unit, rules),
                                names=names, amount=amount, duration=duration, reviewed=False, doc_id=doc.id))
    return out


def extract_facts(doc: Document, rules: ClaimRules | None) -> tuple[list[Fact], list[str]]:
    """(verified records, why the others were dropped) for one added document."""
    kept: list[Fact] = []
    problems: list[str] = []
    clauses = {c.local_id: c for c in doc.clauses}
    for fact in candidates(doc, rules):
        found = verify(fact, clauses[fact.clause], rules)
        if found:
            problems.append(f"{doc.id}: {found[0]} — the fact was left out")
        else:
            kept.append(fact)
    return kept, problems
