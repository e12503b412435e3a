"""A broad ask about a benefit answered with the benefit's terms, not only its clause's lead-in.

"这个计划在住房上能帮到什么？" or "what housing help is there?" asks for no particular kind of figure, so the
sentences scoring best are often the clause's opening and closing lines ("推行…住房供应体系", "支持各区增加房源"),
which say what the measure is for but not what a founder gets. The help asked about is the sentence stating the
benefit's terms (36 months at about 60% of market rent, or a subsidy for 24 months): it is quoted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.answering.wanted import wanted_figures

if TYPE_CHECKING:
    from assistant.answering.sentence_scores import Scored
    from assistant.library.retrieve import Query

# The figure kinds that state a benefit's terms: what it gives, for how long, at what share, how much space.
TERM_KINDS = frozenset({"money", "duration", "percent", "area", "count"})
# The recogniser must be at least this sure of the benefit's clause (a broad ask names no part to go by) ...
SURE = 0.7
# ... and the sentence stating its terms must score at least this share of the best sentence.
TERMS_RATIO = 0.8


def with_terms(q: Query, scored: list[Scored], chosen: list[Scored],
               kinds_of: Callable[[Scored], set[str]]) -> list[Scored]:
    """``chosen`` with the best clause's sentence stating the benefit's terms, in place of a second sentence, when
    the ask wants no particular kind of figure, the recogniser is sure of the benefit and its clause is the one
    quoted, and no quoted sentence states a figure; else ``chosen`` unchanged."""
    rec = q.recognition
    best = chosen[0]
    if wanted_figures(q.asked) or rec is None or not rec.benefit or rec.clause_confidence < SURE \
            or rec.likely_clause != best.clause_id or any(kinds_of(c) & TERM_KINDS for c in chosen):
        return chosen
    terms = next((c for c in scored[1:] if c.clause_id == best.clause_id and kinds_of(c) & TERM_KINDS), None)
    if terms is None or terms.share_of(best) < TERMS_RATIO:
        return chosen
    return [best, terms]
