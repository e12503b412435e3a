"""A free-text gate case as the constrained design's model would give it (OPC_LLM_DESIGN=constrained).

The gate sets (eval/gate.yaml, eval/blind/gate_answers*.yaml) hold model answers in free text. In the constrained
design the model cannot write a figure: it chooses records, and the records are rendered. So each case becomes:

- ``clauses``: the clauses the answer's citation markers point to (a marker pointing to no source is an unknown id;
  an answer citing nothing chooses nothing);
- ``facts``: the records of those clauses that the answer is about — a record whose name or alias the answer
  uses, or whose subject (corpus/claims.yaml) the answer names; a clause with a chosen record is not quoted too;
- ``framing``: the answer's text with its citation markers removed and every figure the figure reader finds cut
  out, numbers written in words (陆拾万元, 五分之三) read as figures first (the figures are what the records now
  show). Its words stay, so a lie told in words (a condition, a place,
  "only", a ranking, a procedure) reaches the framing check as it reached the free gate. ``sentences="first"``
  keeps only the first sentence (what a one-sentence framing holds); ``"all"`` keeps them all (the worst case).

The same mapping is applied to truths and lies. Limits: a figure neither the number speller nor the figure
reader finds stays in the framing (and the framing check's figure rule would see it only if it could); what is
left of a sentence without its figures is often ungrammatical, which the gate's word checks may reject; a lie carried only by its figures
(a figure bound to the wrong benefit or qualifier) cannot be told at all — the founder reads the record's figure —
and is reported apart as "not expressible", never as blocked by the check.
"""

from __future__ import annotations

import re

from assistant.answering.statements import spell_out
from assistant.knowledge.claims import fold
from assistant.knowledge.figures import extract_figures, is_grounded
from assistant.understanding.text import split_sentences

_MARKER = re.compile(r"\s*\[\d{1,3}\]")
# lie kinds of the gate sets whose falsehood is a figure bound to the wrong benefit, qualifier or value
FIGURE_KINDS = frozenset({"subject", "attribute", "figure", "bad_input", "fraction", "numerals", "swap"})


def cut_figures(text: str) -> tuple[str, bool]:
    """``text`` without the figures the figure reader finds, numbers written in words included (and whether it
    held any)."""
    text = spell_out(text)
    figures = extract_figures(text)
    out, at = [], 0
    for f in sorted(figures, key=lambda f: f.start):
        if f.start >= at:
            out.append(text[at:f.start])
            at = f.end
    out.append(text[at:])
    cut = re.sub(r"\s{2,}", " ", "".join(out)).strip()
    return cut, bool(figures)


def constrained_form(answer: str, sources: list[str], corpus, sentences: str = "all") -> tuple[dict, bool]:
    """The constrained reply for a case's free-text ``answer`` (citation markers numbered as the prompt numbers
    ``sources``, the clause ids retrieved), and whether figures were cut from its framing. Its citation markers
    are its choice: a marker pointing to no source becomes an id offered nowhere; no marker, nothing chosen."""
    numbers = list(dict.fromkeys(int(m) for m in re.findall(r"\[(\d{1,3})\]", answer)))
    cite = [sources[n - 1] for n in numbers if 0 < n <= len(sources)]
    unknown = [str(n) for n in numbers if not 0 < n <= len(sources)]
    text = _MARKER.sub("", answer).strip()
    if sentences == "first":
        text = next(iter(split_sentences(text)), text)
    framing, had = cut_figures(text)
    rules = corpus.claims
    named = rules.subjects_in(text) if rules is not None else set()
    folded = fold(text)
    facts, covered = [], set()
    for f in corpus.facts:
        if f.clause_id not in cite:
            continue
        words = [f.names.en, f.names.zh, *f.names.aliases]
        if any(fold(w) in folded for w in words if w) or \
                any(rules.compatible(n, f.subject) for n in named if f.subject and n):
            facts.append(f.id)
            covered.add(f.clause_id)
    clauses = [c for c in cite if c not in covered] + unknown
    return {"answered": True, "framing": framing, "facts": facts, "clauses": clauses}, had


def complete(answer: str, shown: str) -> bool:
    """Every figure of a truthful free answer is in the rendered answer the founder reads."""
    figures = extract_figures(spell_out(_MARKER.sub("", answer)))
    return all(is_grounded(f, [shown]) for f in figures)
