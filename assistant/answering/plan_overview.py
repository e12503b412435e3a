"""The plan about itself, as a whole: its targets, its numbered measures, its name.

"What are the plan's headline targets — how many communities, how many startups?" is answered by every target record
of the plan (one list, each cited to its clause: the goals clause and the measure that sets a citywide total);
"give me an overview of the support it lists" by each numbered measure with its title; "what is it officially
called" by the document's title and its preamble. Nothing here names a target, a measure or a title: they come from
the plan's fact records and clauses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.answering.prompts import FITS, GOALS_INTRO, MEASURES_INTRO, TITLE_IS
from assistant.knowledge.figures import cn_value

if TYPE_CHECKING:
    from assistant.answering.fact_answers import Cites, FactAnswerer
    from assistant.types import Answer, Clause, Document

Cite = Callable[["Clause"], str]


def measure_number(clause: Clause) -> int | None:
    """The number of a numbered measure ("(3)", "（三）"), or None for the preamble, the goals and the rest."""
    label = clause.label.get("en", "").strip("()（） ")
    if label.isdigit():
        return int(label)
    value = cn_value(clause.label.get("zh", "").strip("（） ")) if clause.label.get("zh") else None
    return int(value) if value else None


def goal_lines(facts: FactAnswerer, doc: Document, base: str, cites: Cites) -> list[str]:
    """Every target the plan sets, one line each with its figure, or [] when it states none."""
    targets = [f for f in facts.facts if f.kind == "target" and f.doc_id == doc.id]
    if not targets:
        return []
    lines = [GOALS_INTRO[base]]
    for f in targets:
        # the clause's own words for the figure ("10个以上OPC社区", "1万名以上"): the count's measure word kept
        said = getattr(f.amount.quote, base, None) if f.amount is not None else None
        lines.append("- " + (FITS[base].format(name=f.name(base), amount=said, cite=cites.mark(f)) if said
                             else facts.line(f, base, cites)))
    return lines


def measure_lines(doc: Document, base: str, cite: Cite) -> list[str]:
    """How many measures the plan numbers, then each with its title, cited; [] when it numbers none."""
    measures = [c for c in doc.clauses if measure_number(c) is not None]
    if not measures:
        return []
    sep = "" if base == "zh" else " "
    lines = [MEASURES_INTRO[base].format(n=len(measures))]
    for clause in measures:
        label = clause.label.get(base) or next(iter(clause.label.values()), "")
        title = clause.title.get(base) or next(iter(clause.title.values()), "")
        lines.append(f"- {label}{sep}{title}{sep}{cite(clause)}")
    return lines


def title_lines(doc: Document, base: str, cite: Cite) -> list[str]:
    """The plan's full title, then its preamble (who issued it, from when, what for), cited."""
    title = doc.title.get(base) or next(iter(doc.title.values()), "")
    if not title or not doc.clauses:
        return []
    preamble = doc.clauses[0]
    sep = "" if base == "zh" else " "
    said = preamble.text.get(base, "").strip()
    return [TITLE_IS[base].format(title=title)] + ([f"{said}{sep}{cite(preamble)}"] if said else [])


def joined(answers: list[Answer]) -> Answer:
    """Several answers about the plan itself as one ("有效期到什么时候？到期时要完成哪些目标？": the validity, then
    the goals), each one's citations renumbered after the ones before (a clause cited twice keeps its number)."""
    first = answers[0]
    citations = list(first.citations)
    texts = [first.answer]
    for other in answers[1:]:
        number: dict[int, int] = {}
        for c in other.citations:
            same = next((k for k in citations if k.clause_id == c.clause_id), None)
            if same is None:
                same = c.model_copy(update={"n": len(citations) + 1})
                citations.append(same)
            number[c.n] = same.n
        texts.append(_renumbered(other.answer, number))
    return first.model_copy(update={"answer": "\n".join(texts), "citations": citations})


def _renumbered(text: str, number: dict[int, int]) -> str:
    return re.sub(r"\[(\d+)\]", lambda m: f"[{number.get(int(m.group(1)), int(m.group(1)))}]", text)
