"""Bilingual alignment: a translation's clauses take the ids of the original's clauses with the same numbers,
so one clause holds both languages and either language answers for both. ``figure_mismatches`` is what
``opc corpus check`` reports: figures that differ between a clause and its translation.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..corpus import Corpus
from ..figures import format_figure, same_figures
from .structure import RawClause


def _leaf(key: str) -> str:
    """The clause's own number without its section: "2.4" → "4", "2.4#2" → "4#2"."""
    number, _, part = key.partition("#")
    leaf = number.rsplit(".", 1)[-1]
    return f"{leaf}#{part}" if part else leaf


def align_ids(original: dict[str, str], translation: list[RawClause]) -> list[str | None]:
    """For each translated clause, the id of the original clause with the same numbering, else None.

    ``original`` maps numbering key → clause id. Keys match exactly ("2.4" ↔ "二（四）"); when a version
    numbers its sections differently (one has 一、/二、 sections, the other a flat list), the clause numbers
    alone are used, provided they are unique on both sides.
    """
    taken: set[str] = set()
    out: list[str | None] = []
    for c in translation:
        cid = original.get(c.key)
        out.append(cid if cid and cid not in taken else None)
        if cid:
            taken.add(cid)
    if sum(x is not None for x in out) >= len(translation) / 2:
        return out
    by_leaf: dict[str, list[str]] = {}
    for key, cid in original.items():
        by_leaf.setdefault(_leaf(key), []).append(cid)
    leaves = [_leaf(c.key) for c in translation]
    result: list[str | None] = []
    for c, leaf, exact in zip(translation, leaves, out):
        if exact is not None:
            result.append(exact)
            continue
        ids = by_leaf.get(leaf, [])
        unique = len(ids) == 1 and leaves.count(leaf) == 1 and ids[0] not in taken
        result.append(ids[0] if unique else None)
        if unique:
            taken.add(ids[0])
    return result


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
