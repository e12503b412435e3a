"""Domain types. Pydantic models for anything that crosses a boundary; dataclasses inside."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from assistant.knowledge.profile import build_profile_model, load_profile_spec

Language = Literal["en", "zh", "zh-Hant"]
Authority = Literal["plan", "background", "document"]
Mode = Literal["extractive", "llm"]
Level = Literal["national", "provincial", "municipal", "district"]
DocType = Literal["plan", "implementing_rules", "guide", "notice"]
Origin = Literal["builtin", "upload", "url"]
Trust = Literal["reviewed", "unreviewed", "quarantined"]
DocStatus = Literal["in_force", "expired", "not_yet"]

# --- inside the library -------------------------------------------------------------------


@dataclass
class Clause:
    """One clause of a document, with its text in every language we hold."""

    doc_id: str
    local_id: str
    label: dict[str, str]
    title: dict[str, str]
    text: dict[str, str]
    page: int | None = None  # page in the original (primary-language) file, when known
    pages: dict[str, int] = field(default_factory=dict)  # page per language version, when known

    @property
    def id(self) -> str:
        return f"{self.doc_id}:{self.local_id}"

    def in_lang(self, field_: dict[str, str], lang: str) -> str:
        """The value in ``lang`` (``zh`` for both scripts), else in whatever language exists."""
        base = "zh" if lang.startswith("zh") else lang
        return field_.get(base) or next(iter(field_.values()), "")


@dataclass
class Document:
    """A policy document and its clauses, aligned across languages."""

    id: str
    title: dict[str, str]
    short_title: dict[str, str]
    issuer: dict[str, str]
    authority: Authority
    effective_date: str | None
    valid_until: str | None
    official_url: str | None
    versions: dict[str, dict[str, Any]]
    clauses: list[Clause] = field(default_factory=list)
    # What a government document says about itself: GB/T 9704 版头/版记 and page metadata.
    doc_number: str | None = None  # 发文字号, e.g. "星澜东滨科〔2026〕3号"
    date_signed: str | None = None  # 成文日期, ISO
    jurisdiction: str | None = None  # the place the issuer governs, as written: "深圳市", "南山区"
    jurisdiction_en: str | None = None  # its English name when known: "Nanshan District"
    attachments: list[dict[str, str]] = field(default_factory=list)  # {"title", "url"} listed on the page
    # Whose policy: from document.yaml, else from the rules in corpus/government.yaml.
    level: Level | None = None
    doc_type: DocType = "notice"
    # Provenance: where it came from and how far the operator trusts it (assistant/knowledge/provenance.py).
    origin: Origin = "builtin"
    trust: Trust = "reviewed"
    conflicts_with: list[str] = field(default_factory=list)  # documents whose title, number or issuer it claims
    flagged: list[str] = field(default_factory=list)  # clause ids holding instruction-like text

    @property
    def languages(self) -> list[str]:
        return sorted(self.versions)

    def status(self, today: str) -> DocStatus:
        """'in_force', 'expired' or 'not_yet' on ``today`` (ISO); 'in_force' when the dates are unknown."""
        if self.effective_date and today < str(self.effective_date):
            return "not_yet"
        if self.valid_until and today > str(self.valid_until):
            return "expired"
        return "in_force"


# --- crossing boundaries --------------------------------------------------------------------


class Citation(BaseModel):
    """A numbered source an answer cites: one clause, in the answer's language and the other."""

    n: int = Field(description="The marker number used in the answer text, e.g. 1 for [1].")
    clause_id: str = Field(description="Stable clause id, '<document id>:<clause id>'.")
    label: str = Field(description="The clause's own number label, e.g. '(4)' or '（四）'.")
    title: str = Field(description="Clause title in the answer's language.")
    text: str = Field(description="Clause text in the answer's language.")
    parallel_text: str = Field("", description="The same clause in the other language ('' if we hold none).")
    parallel_label: str = Field("", description="The clause label in the other language.")
    doc_id: str = Field(description="Document id.")
    doc_title: str = Field(description="Document title in the answer's language.")
    source_url: str | None = Field(None, description="Where the source text can be read.")
    authority: Authority = Field(description="'plan' for the plan's own text, 'background' for news, 'document' for added documents.")
    is_translation: bool = Field(False, description="True when `text` is our translation, not the published wording.")
    page: int | None = Field(None, description="Page number in the source file, when known.")
    issuer: str = Field("", description="Who issued the document, in the answer's language when we hold it.")
    doc_number: str | None = Field(None, description="The document number (发文字号), e.g. '星澜东滨科〔2026〕3号'.")
    status: Literal["in_force", "expired", "not_yet"] = Field(
        "in_force", description="Whether the document was in force on the day of the answer (OPC_TODAY).")
    valid_until: str | None = Field(None, description="Last day in force (ISO), when the document states it.")
    effective_date: str | None = Field(None, description="First day in force (ISO), when the document states it.")
    source_language: str | None = Field(
        None, description="Set when the clause exists in only one language and it is not the answer's ('zh' or 'en').")


class ClauseRef(BaseModel):
    """A pointer to a clause, used for suggestions when the plan does not answer."""

    clause_id: str
    label: str
    title: str
    doc_title: str
    score: float = Field(0.0, description="Retrieval score (fused); higher is closer.")


class Ask(BaseModel):
    """One thing the founder asks, and what it was taken to mean."""

    text: str = Field(description="The ask as written (instructions removed).")
    kind: str = Field(description="topic (the plan's subject matter) | unstated (a part sources may not state) | "
                                  "ranking | plan (the plan itself) | other: what the ask wants.")
    detail: str | None = Field(None, description="For 'unstated': what the plan does not state (where_to_apply, "
                                                 "when_paid, price …); for 'plan': validity | issuer | monthly.")
    topic: str | None = Field(None, description="The benefit the ask is about (a claims subject id), if recognised.")
    main: bool = Field(False, description="The ask the answer leads with.")


class Frame(BaseModel):
    """What a message asks and tells."""

    asks: list[Ask] = Field(default_factory=list)
    background: list[str] = Field(default_factory=list, description="Parts that tell, not ask.")
    instructions: list[str] = Field(default_factory=list, description="Parts about the reply's form, ignored.")
    profile: dict[str, Any] = Field(default_factory=dict, description="What the background says of the founder.")
    years_told: list[int] = Field(default_factory=list,
                                  description="Years of the story the answer must address (a founding or move "
                                              "outside the plan's years); graduation and other past years are not.")
    search_text: str = Field("", description="What is searched: the asks and the background parts naming a benefit.")
    focus_text: str = Field("", description="What the guards judge: the asks alone.")

    @property
    def main(self) -> Ask | None:
        return next((a for a in self.asks if a.main), None)

    def unstated_asks(self) -> list[Ask]:
        return [a for a in self.asks if a.kind == "unstated" and not a.main]


class Unstated(BaseModel):
    """A part of the question the sources do not state, declared in the answer (never silently skipped)."""

    kind: str = Field(description="where_to_apply | when_paid | price | deadline | documents_needed | contact | "
                                  "interest_rate | tax | processing_time | ranking | out_of_years | …")
    ask: str = Field("", description="The part of the message it answers.")
    text: str = Field("", description="What the answer says about it, for people.")


class Answer(BaseModel):
    """What the assistant returns for one question."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, description="Answer id, for feedback.")
    question: str = Field(description="The question as asked.")
    answer: str = Field(description="The answer text, with citation markers [n].")
    language: Language = Field(description="Language and script of the answer (follows the question).")
    answerable: bool = Field(description="False when the plan does not cover the question.")
    citations: list[Citation] = Field(default_factory=list, description="Sources cited in the answer, by n.")
    suggestions: list[ClauseRef] = Field(
        default_factory=list, description="Nearest clauses when the question is not answerable."
    )
    mode: Mode = Field("extractive", description="How the answer was written.")
    warnings: list[str] = Field(default_factory=list, description="Notes such as a fallback from the LLM.")
    session_id: str | None = Field(None, description="Conversation id, if one was given.")
    standalone_question: str | None = Field(
        None, description="The question as understood after resolving a follow-up (if it differs)."
    )
    latency_ms: float = Field(0.0, description="Time taken to answer, in milliseconds.")
    unstated: list[Unstated] = Field(default_factory=list,
                                     description="Parts of the question the sources do not state, each declared.")
    frame: Frame | None = Field(None, description="How the message was read: its asks (and what each was taken "
                                                  "to mean), its background, the founder profile it implies.")


class DocumentInfo(BaseModel):
    """A document in the corpus, as listed to users."""

    id: str
    title: dict[str, str]
    issuer: dict[str, str]
    authority: Authority
    languages: list[str]
    clauses: int
    effective_date: str | None = None
    valid_until: str | None = None
    official_url: str | None = None
    doc_number: str | None = Field(None, description="The document number (发文字号), when it has one.")
    date_signed: str | None = Field(None, description="Date signed (成文日期), ISO.")
    jurisdiction: str | None = Field(None, description="The place the issuer governs, e.g. '深圳市' or '南山区'.")
    jurisdiction_en: str | None = Field(None, description="The jurisdiction's English name, when known.")
    status: DocStatus = Field(
        "in_force", description="In force, expired or not yet in force today (OPC_TODAY).")
    level: Level | None = Field(
        None, description="The level of government whose policy this is.")
    doc_type: DocType = Field(
        "notice", description="What kind of document: a plan, implementing rules, an application guide or a notice.")
    attachments: list[dict[str, str]] = Field(
        default_factory=list, description="Attachment links the source page listed ({'title', 'url'}).")
    sources: dict[str, str] = Field(
        default_factory=dict, description="Per language: the file name or URL the text came from (added documents).")
    warnings: list[str] = Field(default_factory=list, description="Notes from adding the document (e.g. unpaired clauses).")
    origin: Origin = Field(
        "builtin", description="Where the text came from: the reviewed built-in corpus, an operator's upload, or a "
                               "fetched URL.")
    trust: Trust = Field(
        "reviewed", description="How far the operator trusts it: 'quarantined' documents are never used to answer.")
    conflicts_with: list[str] = Field(
        default_factory=list, description="Documents whose title, number or issuer and title this one claims.")
    flagged_clauses: list[str] = Field(
        default_factory=list, description="Clauses holding instruction-like text (treated as data, never quoted).")


class Turn(BaseModel):
    """One question and its answer within a conversation."""

    n: int = Field(description="Turn number within the session, from 1.")
    created: float = Field(description="Unix time the turn was stored.")
    question: str = Field(description="The question as asked.")
    standalone_question: str | None = Field(None, description="The question after follow-up resolution.")
    answer: Answer


class StreamEvent(BaseModel):
    """One event of a streamed answer: text deltas, then one final event with the whole answer."""

    type: Literal["delta", "final"]
    text: str = Field("", description="For 'delta': the next piece of answer text.")
    answer: Answer | None = Field(None, description="For 'final': the complete answer with citations.")
    replaced: bool = Field(
        False, description="For 'final': true when the answer text differs from the streamed deltas "
                           "(the grounding gate rejected them); clients must show `answer.answer` instead."
    )


class Feedback(BaseModel):
    """A founder's judgement of one answer."""

    id: int = Field(description="Feedback id.")
    answer_id: str = Field(description="The answer judged (Answer.id).")
    useful: bool = Field(description="True for 👍, false for 👎.")
    comment: str | None = Field(None, description="Optional comment (personal data redacted).")
    source: str = Field("api", description="Where it came from: 'api', 'ui', 'cli'.")
    created: float = Field(description="Unix time it was stored.")


# --- what a founder can get ------------------------------------------------------
Degree = Literal["none", "bachelor", "master", "doctoral"]
CompanySize = Literal["none", "micro", "small", "medium", "large"]
Status = Literal["met", "not_met", "unknown"]


# Built from the corpus folder's profile.yaml (assistant/knowledge/profile.py): a new condition is a YAML change.
if TYPE_CHECKING:  # its fields come from data at run time: type checkers see a plain model
    FounderProfile = BaseModel
else:
    FounderProfile = build_profile_model(load_profile_spec())


class ConditionCheck(BaseModel):
    """One condition of a benefit applied to a profile."""

    field: str = Field(description="The profile field the condition is about.")
    status: Status = Field(description="met, not_met, or unknown (the profile does not say).")
    says: str = Field(description="The clause's own words for the condition, in the requested language.")


class BenefitEligibility(BaseModel):
    """One benefit of the plan, decided for one profile."""

    fact_id: str = Field(description="Id of the benefit's fact record (corpus facts.yaml).")
    name: str = Field(description="Benefit name in the requested language.")
    kind: str = Field(description="cash_grant, voucher, loan, space, housing, reward ...")
    status: Status = Field(description="met: every stated condition holds; not_met: one fails; unknown: "
                                        "the profile lacks something needed to decide.")
    amount: str = Field("", description="What it is worth as the plan states it ('' when it states no figure).")
    conditions: list[ConditionCheck] = Field(default_factory=list, description="Each condition, decided.")
    needed: list[str] = Field(default_factory=list, description="Profile fields still needed to decide (ids).")
    needed_labels: list[str] = Field(default_factory=list,
                                     description="The same, as people call them, in the answer's language.")
    asks: list[str] = Field(default_factory=list, description="The same, as words asking for each, in the "
                                                              "requested language (to show a person).")
    to_confirm: list[str] = Field(
        default_factory=list, description="Qualifications the plan names but does not define: confirm with the issuer.")
    excludes: list[str] = Field(default_factory=list, description="Benefits it cannot be combined with (fact ids).")
    issuer: str = Field("", description="Who grants it.")
    citation: Citation = Field(description="The clause stating it.")


class IssuerGroup(BaseModel):
    """How one issuer's benefits in scope came out for the profile (all of them, not only those listed)."""

    issuer: str = Field(description="Who grants them, in the requested language.")
    documents: list[str] = Field(description="Ids of the issuer's documents in scope that state benefits.")
    met: int = Field(0, description="Benefits whose stated conditions all hold.")
    unknown: int = Field(0, description="Benefits the profile does not decide.")
    not_met: int = Field(0, description="Benefits a condition rules out.")


class EligibilityResult(BaseModel):
    """The benefits in scope, decided for one profile: met first, then undecided, then ruled out; by amount."""

    language: Language
    profile: FounderProfile
    scope: Literal["home", "filter", "all"] = Field(
        "home", description="'home': the home jurisdiction's documents in force today (the built-in plan first); "
                            "'filter': the documents, issuers or places the request named; 'all': every document.")
    total: int = Field(0, description="Benefits in scope (``benefits`` holds the first ``limit`` of them).")
    benefits: list[BenefitEligibility]
    issuers: list[IssuerGroup] = Field(default_factory=list, description="The benefits in scope by issuer.")


# --- batch jobs ------------------------------------------------------------------------


class BatchOutcome(BaseModel):
    """What became of one source of a batch upload."""

    source: str = Field(description="The uploaded file's name or the URL.")
    status: Literal["added", "skipped", "failed", "interrupted"] = Field(
        description="'added'; 'skipped' as a duplicate (same content already in the library, any name); "
                    "'failed' (see reason); 'interrupted': the server stopped before it was added (send it again).")
    doc_id: str | None = Field(None, description="The added document's id.")
    reason: str = Field("", description="Why it was skipped or failed; warnings for an added one.")


class Job(BaseModel):
    """A batch of documents being added in the background."""

    id: str = Field(description="Job id, for GET /v1/jobs/{id}.")
    status: Literal["queued", "running", "done", "failed", "interrupted"] = Field(
        description="Where the job is; 'interrupted': the server stopped (or crashed) while it ran: `outcomes` "
                    "say which sources landed ('added', kept and answered from) and which did not ('interrupted').")
    stage: str = Field("", description="What it is doing: 'parsing', 'embedding' ...")
    done: int = Field(0, description="Items of the current stage finished.")
    total: int = Field(0, description="Items of the current stage.")
    sources: int = Field(0, description="Files and URLs in the batch.")
    added: int = Field(0, description="Documents added (when done).")
    skipped: int = Field(0, description="Duplicates skipped (when done).")
    failed: int = Field(0, description="Sources that failed (when done).")
    version: str | None = Field(None, description="The index version the batch produced (when done).")
    error: str | None = Field(None, description="Why the whole job failed, when it did.")
    outcomes: list[BatchOutcome] = Field(default_factory=list, description="Every source's outcome (when done or "
                                                                          "interrupted; those landed so far while running).")
