"""Facts of an added document read by the configured chat model at ingestion.

The model gets the clauses (every language held) and returns the benefits as JSON: names, kind, amount,
duration and conditions over the founder-profile fields, each with the clause's own words as ``quote``. The
reply is validated with pydantic, then every field is checked with the same ``verify`` as the plan's reviewed
records (the quote stands in the clause text, the figure the claim binder reads there has the same value,
subject, cap/floor, tax and period). A field that fails is dropped — a fact whose amount fails is dropped
whole — and the add says so. A model that times out, refuses or returns garbage costs nothing but a warning:
the rule extraction (assistant/knowledge/facts_by_rule.py) stands in, and fills in every figure the model left out.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.answering.llm import FENCE, ChatModel, ModelUnavailable
from assistant.answering.prompts import prompt_key
from assistant.answering.prompts_extract import (
    FACTS_CLAUSES_HEADER,
    FACTS_EXTRACT,
    FACTS_MODEL_DROPPED,
    FACTS_MODEL_FAILED,
)
from assistant.knowledge.claims import ClaimRules
from assistant.knowledge.facts import (
    CONDITION_FIELDS,
    KINDS,
    Amount,
    Condition,
    Duration,
    Fact,
    Names,
    Provenance,
    is_kind,
    verify,
)
from assistant.knowledge.facts_by_rule import extract_facts, twin
from assistant.types import Clause, Document

log = logging.getLogger(__name__)
_Part = TypeVar("_Part", Amount, Duration, Condition)


class _Item(BaseModel):
    """One fact as the model gives it; the parts are validated one by one (a bad part costs that part)."""

    model_config = ConfigDict(extra="ignore")
    clause: str
    names: dict[str, str | None]
    kind: str
    amount: dict[str, Any] | None = None  # the model's JSON, validated part by part
    duration: dict[str, Any] | None = None
    conditions: list[dict[str, Any]] | None = None


@dataclass
class Reading:
    """What the extraction at ingestion found: verified records and what the add should say."""

    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def chunks(doc: Document, max_chars: int) -> list[list[Clause]]:
    """The document's clauses in groups of about ``max_chars`` characters of text (one request each)."""
    out: list[list[Clause]] = [[]]
    size = 0
    for clause in doc.clauses:
        n = sum(len(t) for t in clause.text.values())
        if out[-1] and size + n > max_chars:
            out.append([])
            size = 0
        out[-1].append(clause)
        size += n
    return [c for c in out if c]


def messages(clauses: list[Clause], lang: str) -> list[BaseMessage]:
    key = prompt_key(lang)
    system = FACTS_EXTRACT[key].format(kinds=", ".join(KINDS), fields=", ".join(sorted(CONDITION_FIELDS)))
    lines = [FACTS_CLAUSES_HEADER[key]]
    for c in clauses:
        lines.append(f"[{c.local_id}] " + " / ".join(c.label.values()))
        lines += [f"{lg}: {text}" for lg, text in sorted(c.text.items())]
    return [SystemMessage(system), HumanMessage("\n".join(lines))]


def parse(raw: str) -> list[dict[str, Any]]:
    """The ``facts`` list of a reply (ModelUnavailable when the reply is no such JSON object)."""
    text = FENCE.sub("", (raw or "").strip()).strip()
    if "{" in text:
        text = text[text.index("{"): text.rindex("}") + 1]
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ModelUnavailable("the reply was not valid JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        raise ModelUnavailable("the reply has no list of facts")
    return [item for item in data["facts"] if isinstance(item, dict)]


def _fill_quote(part: Amount | Duration, clause: Clause, rules: ClaimRules | None, key: tuple[str, float]) -> None:
    """A figure quoted in one language only: the other version's sentence stating the same figure (as the rule
    extraction pairs them); verification still decides whether it holds."""
    for lang in clause.text:
        if lang in ("en", "zh") and not getattr(part.quote, lang) and rules is not None:
            sentence, _ = twin(clause, lang, key, rules)
            if sentence:
                setattr(part.quote, lang, sentence)


class _Builder:
    """Turns the model's items into verified records of one document."""

    def __init__(self, doc: Document, rules: ClaimRules | None, model_name: str) -> None:
        self.doc, self.rules, self.model_name = doc, rules, model_name
        self.lang = doc.languages[0] if doc.languages else "zh"
        self.clauses = {c.local_id: c for c in doc.clauses}
        self.warnings: list[str] = []
        self.n = 0

    def _drop(self, what: str, name: str, clause: str, problem: str) -> None:
        self.warnings.append(FACTS_MODEL_DROPPED.format(doc=self.doc.id, what=what, fact=name, clause=clause,
                                                        problem=problem))

    def _check(self, fact: Fact, clause: Clause, **part: Amount | Duration | list[Condition]) -> list[str]:
        """``verify`` on the record holding only ``part`` (amount, duration or one condition)."""
        only: dict[str, object] = {"amount": None, "alt_amount": None, "duration": None, "conditions": [],
                                   "to_confirm": [], **part}
        return verify(fact.model_copy(update=only), clause, self.rules)

    def build(self, raw: dict[str, Any]) -> Fact | None:
        try:
            item = _Item.model_validate(raw)
        except ValidationError as exc:
            self._drop("fact", str(raw.get("names", "?"))[:60], str(raw.get("clause", "?")), _first(exc))
            return None
        # a name in one language only stands for both (the eligibility list shows it as the model wrote it)
        zh = item.names.get("zh") or item.names.get("en")
        if not zh:
            self._drop("fact", "?", item.clause, "it has no name")
            return None
        en = item.names.get("en") or zh
        names, name = Names(zh=zh, en=en), zh
        clause = self.clauses.get(item.clause)
        if clause is None or not is_kind(item.kind):
            problem = f"no clause {item.clause!r}" if clause is None else f"unknown kind {item.kind!r}"
            self._drop("fact", name, item.clause, problem)
            return None
        self.n += 1
        # The benefit's subject from its names (claims.yaml terms): a true figure of another benefit quoted for
        # this one binds to that benefit's subject in the clause and fails verification.
        # The name in the document's own language first: it is the likelier to use the document's words.
        subject = None
        if self.rules is not None:
            order = [names.zh, names.en] if self.lang == "zh" else [names.en, names.zh]
            subject = next((s for s in map(self.rules.subject_of, order) if s), None)
        fact = Fact(id=re.sub(r"[^a-z0-9_]", "_", f"{item.clause}_m{self.n}".lower()), clause=item.clause,
                    subject=subject, kind=item.kind, names=names, reviewed=False, doc_id=self.doc.id)
        kept = 0
        amount = self._part(Amount, item.amount, "amount", name, item.clause)
        if amount is not None:
            _fill_quote(amount, clause, self.rules, amount.key)
            problems = self._check(fact, clause, amount=amount)
            if problems:
                self._drop("amount", name, item.clause, problems[0].split(": ", 1)[-1])
                return None  # a benefit with a wrong figure is no benefit of this document
            fact.amount, kept = amount, kept + 1
        duration = self._part(Duration, item.duration, "duration", name, item.clause)
        if duration is not None:
            _fill_quote(duration, clause, self.rules, ("month", duration.months))
            problems = self._check(fact, clause, duration=duration)
            if problems:
                self._drop("duration", name, item.clause, problems[0].split(": ", 1)[-1])
            else:
                fact.duration, kept = duration, kept + 1
        complete = True
        for raw_c in item.conditions or []:
            cond = self._part(Condition, raw_c, "condition", name, item.clause)
            problems = self._check(fact, clause, conditions=[cond]) if cond is not None else ["malformed"]
            if cond is not None and problems:
                self._drop(f"condition {cond.field}", name, item.clause, problems[0].split(": ", 1)[-1])
            if problems or cond is None:  # no condition without problems
                complete = False
                continue
            fact.conditions.append(cond)
            kept += 1
        if not kept:
            self._drop("fact", name, item.clause, "nothing of it could be verified")
            return None
        fact.provenance = Provenance(extracted_by="model", model=self.model_name, at=_now(),
                                     conditions_complete=complete)
        return fact

    def _part(self, cls: type[_Part], raw: dict[str, Any] | None, what: str, name: str, clause: str) -> _Part | None:
        if raw is None:
            return None
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            self._drop(what, name, clause, _first(exc))
            return None


def _first(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(map(str, err['loc'])) or 'value'}: {err['msg']}"


def read_facts_by_model(doc: Document, rules: ClaimRules | None, model: ChatModel, max_chars: int) -> Reading:
    """Verified facts of ``doc``: the model's (when it answers) and the rules' for every figure it left out."""
    builder = _Builder(doc, rules, model.settings.model or "")
    facts: list[Fact] = []
    failed: list[str] = []
    for group in chunks(doc, max_chars):
        try:
            items = parse(model.complete(messages(group, builder.lang)))
        except ModelUnavailable as exc:  # timeout, HTTP error, refusal, garbage: the rules stand in
            log.warning("fact extraction by model failed for %s: %s", doc.id, exc)
            failed.append(str(exc))
            continue
        for fact in filter(None, map(builder.build, items)):
            same = fact.amount is not None and any(
                f.clause == fact.clause and f.amount is not None and f.amount.key == fact.amount.key for f in facts)
            if not same:  # a benefit listed twice is one fact
                facts.append(fact)
    reading = Reading(warnings=builder.warnings)
    if failed:
        reading.warnings.insert(0, FACTS_MODEL_FAILED.format(doc=doc.id, reason="; ".join(dict.fromkeys(failed))))
    reading.facts = facts + rule_facts(doc, rules, reading, covered={(f.clause, f.amount.key) for f in facts
                                                                     if f.amount is not None})
    return reading


def rule_facts(doc: Document, rules: ClaimRules | None, reading: Reading,
               covered: Set[tuple[str, tuple[str, float] | None]] = frozenset()) -> list[Fact]:
    """The rule extraction's verified records (those of figures not ``covered`` already), with provenance;
    its dropped candidates go to ``reading.warnings``."""
    kept, dropped = extract_facts(doc, rules)
    reading.warnings += dropped
    at = _now()
    out: list[Fact] = []
    for f in kept:
        if (f.clause, f.amount.key if f.amount else None) not in covered:
            f.provenance = Provenance(extracted_by="rule", at=at)
            out.append(f)
    return out


def read_facts(doc: Document, rules: ClaimRules | None, model: ChatModel | None = None,
               max_chars: int = 6000) -> Reading:
    """An added document's facts at ingestion: by the model when one is given, else by rule."""
    if model is not None:
        return read_facts_by_model(doc, rules, model, max_chars)
    reading = Reading()
    reading.facts = rule_facts(doc, rules, reading)
    return reading

