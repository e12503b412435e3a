"""Bilingual alignment: a translation's clauses take the ids of the original's clauses with the same numbers,
so one clause holds both languages and either language answers for both. ``figure_mismatches`` is what
``opc corpus check`` reports: figures that differ between a clause and its translation.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.ingest.structure import RawClause
from assistant.knowledge.corpus import Corpus
from assistant.knowledge.figure_text import format_figure
from assistant.knowledge.figures import same_figures


def _leaf(key: str) -> str:
    """The clause's own number without its section: "2.4" → "4", "2.4#2" → "4#2"."""
    number, _, part = key.partition("#")
    leaf = number.rsplit(".", 1)[-1]
    return f"{leaf}#{part}" if part else leaf


def align_ids(original: dict[str, str], translation: list[RawClause]) -> list[str | None]:
    """For each translated clause, the id of the original clause with the same numbering, else None.

    ``original`` maps numbering key → clause id. Keys match exactly ("2.4" ↔ "二（四）"). When one version
    numbers its sections differently (one has 一、/二、 sections, the other a flat (1)…(10) list), clause
    numbers alone are tried against the original's clause-level keys, where unique; the pairing that
    pairs more clauses wins.
    """
    def pair(keys: list[str], table: dict[str, str]) -> list[str | None]:
        taken: set[str] = set()
        out: list[str | None] = []
        for key in keys:
            cid = table.get(key)
            out.append(cid if cid and cid not in taken else None)
            if cid:
                taken.add(cid)
        return out

    exact = pair([c.key for c in translation], original)
    clause_level = {k: v for k, v in original.items() if "." in k.partition("#")[0]} or original
    by_leaf: dict[str, list[str]] = {}
    for key, cid in clause_level.items():
        by_leaf.setdefault(_leaf(key), []).append(cid)
    leaves = [_leaf(c.key) for c in translation]
    unique = {leaf: ids[0] for leaf, ids in by_leaf.items() if len(ids) == 1 and leaves.count(leaf) == 1}
    by_number = pair(leaves, unique)
    return exact if sum(x is not None for x in exact) >= sum(x is not None for x in by_number) else by_number


class FigureMismatch(BaseModel):
    """A clause whose two language versions state different figures."""

    clause_id: str = Field(description="The clause, '<document id>:<clause id>'.")
    label: str = Field(description="The clause label in the original language.")
    only_en: list[str] = Field(description="Figures the English text states and the Chinese does not.")
    only_zh: list[str] = Field(description="Figures the Chinese text states and the English does not.")


def figure_mismatches(corpus: Corpus, doc_id: str | None = None) -> list[FigureMismatch]:
    """Every bilingual clause (of one document, or all) whose English and Chinese figures differ."""
    out: list[FigureMismatch] = []
    for doc in corpus.documents:
        if doc_id is not None and doc.id != doc_id:
            continue
        for clause in doc.clauses:
            if not (clause.text.get("en") and clause.text.get("zh")):
                continue
            only_en, only_zh = same_figures(clause.text["en"], clause.text["zh"])
            if only_en or only_zh:
                out.append(FigureMismatch(
                    clause_id=clause.id, label=next(iter(clause.label.values()), clause.local_id),
                    only_en=sorted(format_figure(f) for f in only_en),
                    only_zh=sorted(format_figure(f) for f in only_zh)))
    return out
