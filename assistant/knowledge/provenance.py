"""Where a document came from, how far the operator trusts it, and which documents contradict each other.

Every document has an origin (``builtin``: the reviewed corpus shipped with the assistant; ``upload``: a file an
operator added; ``url``: a page fetched by URL) and a trust level: ``reviewed`` (the built-in corpus, or an added
document an admin confirmed), ``unreviewed`` (added, answerable, not vouched for) or ``quarantined`` (kept, listed,
never used to answer). A new document that claims another's title, document number or issuer and title is a
conflict: it is quarantined until an admin confirms or rejects it — an impostor is never silently preferred.
Two documents stating different figures for the same benefit are listed (``figure_conflicts``) and answers
quote both, each with its issuer and date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic import BaseModel, Field

from assistant.knowledge.claims import ClaimRules
from assistant.types import Authority, Document, Origin, Trust
from assistant.understanding.instructions import instruction_sentences, without_instructions
from assistant.understanding.text import to_simplified

if TYPE_CHECKING:  # the corpus imports this module
    from assistant.knowledge.corpus import Corpus

ORIGINS: tuple[Origin, ...] = get_args(Origin)
TRUST_LEVELS: tuple[Trust, ...] = get_args(Trust)
ClaimKind = Literal["title", "number", "issuer_title"]

# Said to whoever added the document (the CLI and the API's 201 body), in the document's language.
CONFLICT_NOTE = {
    "zh": "此文件与已有文件《{title}》（{issuer}，编号 {id}）的{what}相同，已隔离：在管理员确认之前不会用于回答。"
          "确认：POST /v1/admin/documents/{new}/trust {{\"trust\": \"reviewed\"}}；拒绝：DELETE /v1/documents/{new}。",
    "en": "This document claims the {what} of the existing document \u201c{title}\u201d ({issuer}, id {id}); it is "
          "quarantined and will not be used to answer until an admin confirms it (POST /v1/admin/documents/{new}/trust "
          "with {{\"trust\": \"reviewed\"}}) or rejects it (DELETE /v1/documents/{new}).",
}
WHAT = {"zh": {"title": "标题", "number": "发文字号", "issuer_title": "发文机关和标题"},
        "en": {"title": "title", "number": "document number", "issuer_title": "issuer and title"}}
INSTRUCTION_NOTE = {
    "zh": "此文件有{n}处文字像是写给助手的指令（如“系统提示”“忽略之前的指令”），已作为数据处理：不会被引用作答，"
          "也不会交给模型执行。涉及条款：{clauses}。",
    "en": "{n} passage(s) of this document read as instructions to the assistant (e.g. \u201cignore previous "
          "instructions\u201d); they are treated as data, never quoted as an answer nor passed to a model to follow. "
          "Clauses: {clauses}.",
}


def _fold(text: str) -> str:
    """A title as compared: Simplified, lower case, without spaces, punctuation or book-title marks."""
    return re.sub(r"[\W_]+", "", to_simplified(text or "").lower())


def _undated(text: str) -> str:
    """A folded title without its period ("（2026—2027年）"): a copy dropping the years claims the same title."""
    text = re.sub(r"[（(][^（）()]*\d[^（）()]*[）)]", "", to_simplified(text or ""))
    return _fold(text)


def _titles(titles: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for t in titles:
        for key in (_fold(t), _undated(t)):
            if len(key) >= 6:  # a word or two is not a title anyone can claim
                out.add(key)
        # "关于印发《…》的通知": a notice publishing a document names that document's title in book-title marks
        out |= {_undated(q) for q in re.findall(r"《([^《》]{6,})》", to_simplified(t or ""))}
    return out


@dataclass
class Claim:
    doc_id: str  # the existing document claimed
    what: ClaimKind


def claimed(meta: Mapping[str, Any], documents: Iterable[Document]) -> Claim | None:
    """The existing document a new one's ``document.yaml`` mapping claims to be, if any."""
    titles = _titles((meta.get("title") or {}).values())
    number = _fold(meta.get("doc_number") or "")
    issuers = {_fold(i) for i in (meta.get("issuer") or {}).values() if i}
    for doc in documents:
        if doc.id == meta.get("id"):
            continue
        if number and doc.doc_number and _fold(doc.doc_number) == number:
            return Claim(doc.id, "number")
        if titles & _titles(doc.title.values()):
            same_issuer = issuers & {_fold(i) for i in doc.issuer.values() if i}
            return Claim(doc.id, "issuer_title" if same_issuer else "title")
    return None


def conflict_note(claim: Claim, corpus: Corpus, new_id: str, lang: str) -> str:
    doc = corpus.find(claim.doc_id)
    key = "zh" if lang.startswith("zh") else "en"
    title = doc.title.get(key) or next(iter(doc.title.values()))
    issuer = doc.issuer.get(key) or next(iter(doc.issuer.values()), "") or "-"
    return CONFLICT_NOTE[key].format(what=WHAT[key][claim.what], title=title, issuer=issuer, id=doc.id, new=new_id)


def default_trust(authority: Authority) -> Trust:
    return "reviewed" if authority != "document" else "unreviewed"


def origin_of(meta: Mapping[str, Any]) -> Origin:
    """An added document's origin from its versions (fetched when a version has a source URL)."""
    versions = [v for v in (meta.get("versions") or {}).values() if isinstance(v, dict)]
    return "url" if any(v.get("source_url") for v in versions) else "upload"


def vet(meta: dict[str, Any], rows: list[dict[str, str]], corpus: Corpus, lang: str, warnings: list[str],
        translation: bool = False) -> None:
    """Provenance of a new document or version: its origin, its trust (quarantined when it claims an existing
    document's title, number or issuer and title), and its clauses holding instruction-like text."""
    meta["origin"] = meta.get("origin") if translation and meta.get("origin") else origin_of(meta)
    key = "zh" if lang == "zh" else "en"
    if not translation:
        meta["trust"] = "unreviewed"
        claim = claimed(meta, corpus.every_document)
        if claim is not None:
            meta["trust"] = "quarantined"
            meta["conflicts_with"] = [claim.doc_id]
            warnings.append(conflict_note(claim, corpus, meta["id"], lang))
    flagged = [row["id"] for row in rows if instruction_sentences(row["text"])]
    if flagged:
        meta["flagged_clauses"] = sorted({*(meta.get("flagged_clauses") or []), *flagged})
        shown = ", ".join(flagged[:10]) + (" …" if len(flagged) > 10 else "")
        warnings.append(INSTRUCTION_NOTE[key].format(n=len(flagged), clauses=shown))


# --- figures that disagree --------------------------------------------------------------------------------
def money_claims(rules: ClaimRules, text: str) -> dict[tuple[str, str | None], set[float]]:
    """The money a text binds to each benefit, by period: {(subject, period): values}."""
    out: dict[tuple[str, str | None], set[float]] = {}
    for b in rules.bind_located(text):
        bound = b[1]
        if bound.subject and bound.figure.kind == "money":
            out.setdefault((bound.subject, bound.attrs.get("period")), set()).add(round(bound.figure.value, 2))
    return out


@dataclass
class FigureConflict:
    subject: str  # the benefit (corpus/claims.yaml subject)
    unit: str
    per: str | None
    tax: str | None
    sides: list[tuple[str, str, float]]  # (doc id, clause id, value), one per document


def figure_conflicts(corpus: Corpus) -> list[FigureConflict]:
    """Benefits two or more documents state with different amounts (same unit, period and tax basis)."""
    groups: dict[tuple[str, str, str | None, str | None], dict[str, tuple[str, float]]] = {}
    for fact in corpus.facts:
        amount = fact.amount
        if amount is None or not fact.subject:
            continue
        key = (fact.subject, amount.unit, amount.per, amount.tax)
        groups.setdefault(key, {}).setdefault(fact.doc_id, (fact.clause_id, amount.value))
    out: list[FigureConflict] = []
    for (subject, unit, per, tax), by_doc in groups.items():
        if len(by_doc) > 1 and len({v for _, v in by_doc.values()}) > 1:
            out.append(FigureConflict(subject, unit, per, tax,
                                      [(d, c, v) for d, (c, v) in sorted(by_doc.items())]))
    return out


class ClaimConflict(BaseModel):
    doc_id: str = Field(description="The document making the claim.")
    trust: str = Field(description="Its trust level ('quarantined' until an admin decides).")
    claims: list[str] = Field(description="The existing documents whose title or number it claims.")
    what: str = Field("title", description="What it claims: title, document number, or issuer and title.")


class FigureSide(BaseModel):
    doc_id: str
    clause_id: str
    values: list[float] = Field(description="The amounts it states for the benefit.")
    issuer: str = ""
    date: str | None = Field(None, description="Date signed or in force from.")


class FigureDisagreement(BaseModel):
    subject: str = Field(description="The benefit (a corpus/claims.yaml subject).")
    unit: str
    per: str | None = None
    tax: str | None = None
    sides: list[FigureSide]


class ConflictReport(BaseModel):
    claims: list[ClaimConflict] = Field(default_factory=list)
    figures: list[FigureDisagreement] = Field(default_factory=list)


def conflicts_report(corpus: Corpus) -> ConflictReport:
    """What the operator must decide: documents claiming another's identity, and figures that disagree."""
    claims = []
    for doc in corpus.every_document:
        if doc.conflicts_with:
            others = [d for d in corpus.every_document if d.id in doc.conflicts_with]
            what = "document number" if any(d.doc_number and d.doc_number == doc.doc_number for d in others) \
                else "title"
            claims.append(ClaimConflict(doc_id=doc.id, trust=doc.trust, claims=doc.conflicts_with, what=what))
    figures = []
    for c in figure_conflicts(corpus):
        sides = []
        for doc_id, clause_id, value in c.sides:
            doc = corpus.find(doc_id)
            sides.append(FigureSide(doc_id=doc_id, clause_id=clause_id, values=[value],
                                    issuer=doc.issuer.get("zh") or doc.issuer.get("en") or "",
                                    date=doc.date_signed or doc.effective_date))
        figures.append(FigureDisagreement(subject=c.subject, unit=c.unit, per=c.per, tax=c.tax, sides=sides))
    seen = {(f.subject, tuple(sorted(s.doc_id for s in f.sides))) for f in figures}
    if corpus.claims is not None:  # a claimed identity: compare the two texts, facts or not
        for doc in corpus.every_document:
            for other_id in doc.conflicts_with:
                other = next((d for d in corpus.every_document if d.id == other_id), None)
                if other is None:
                    continue
                mine, theirs = _money_by_clause(corpus.claims, doc), _money_by_clause(corpus.claims, other)
                for key, (clause, values) in mine.items():
                    if key in theirs and not values & theirs[key][1] and \
                            (key[0], tuple(sorted((doc.id, other.id)))) not in seen:
                        seen.add((key[0], tuple(sorted((doc.id, other.id)))))
                        sides = [FigureSide(doc_id=d.id, clause_id=c, values=sorted(v),
                                            issuer=d.issuer.get("zh") or d.issuer.get("en") or "",
                                            date=d.date_signed or d.effective_date)
                                 for d, (c, v) in ((other, theirs[key]), (doc, (clause, values)))]
                        figures.append(FigureDisagreement(subject=key[0], unit="yuan", per=key[1], sides=sides))
    return ConflictReport(claims=claims, figures=figures)


_MoneyByClause = dict[tuple[str, str | None], tuple[str, set[float]]]  # (subject, period) -> (clause id, values)


def _money_by_clause(rules: ClaimRules, doc: Document) -> _MoneyByClause:
    out: _MoneyByClause = {}
    for clause in doc.clauses:
        for text in clause.text.values():
            for key, values in money_claims(rules, without_instructions(text)).items():
                out.setdefault(key, (clause.id, set()))[1].update(values)
    return out
