"""Facts: every benefit, target and deadline a document states, as a typed record.

The built-in plan's records are reviewed data (``corpus/<doc>/facts.yaml``); added documents get theirs when
they are added (``assistant/knowledge/facts_by_rule.py`` by rule, ``assistant/knowledge/facts_by_model.py`` by a
configured model), stored in their folder and loaded by ``assistant/knowledge/fact_files.py``. Either way a record is
kept only when it *verifies*: each amount, duration and condition quotes words that stand in its clause (every
language held), and the figure
the claim binder (corpus/claims.yaml) finds there has the record's value, subject and
attributes (cap/floor, tax, period). One model of what the plan says serves the grounding gate,
list and comparison answers and the eligibility check.
"""

from __future__ import annotations

import typing
from typing import Literal, TypeGuard

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.knowledge.claims import ClaimRules
from assistant.knowledge.figure_text import format_figure
from assistant.types import Clause, Degree, FounderProfile

BenefitKind = Literal["cash_grant", "voucher", "loan", "space", "housing", "reward"]
Kind = BenefitKind | Literal["target", "deadline"]
Bound = Literal["cap", "floor", "exact", "approx"]
BENEFIT_KINDS: tuple[BenefitKind, ...] = typing.get_args(BenefitKind)
KINDS: tuple[Kind, ...] = (*BENEFIT_KINDS, "target", "deadline")


def is_kind(value: str) -> TypeGuard[Kind]:
    return value in KINDS

# Profile fields a condition may test; years_since_graduation is derived from graduation_year.
CONDITION_FIELDS = set(FounderProfile.model_fields) | {"years_since_graduation"}
_MONTHS = {"month": 1, "year": 12}
# "about 60%": an approximate figure carries no cap/floor marker of claims.yaml; these words say "about".
_APPROX = ("about", "around", "approximately", "roughly", "约", "大约", "左右")


class Quote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str | None = Field(None, description="Words of the English clause text.")
    zh: str | None = Field(None, description="Words of the Chinese clause text.")


class Names(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str
    zh: str
    aliases: list[str] = Field(default_factory=list, description="Other names founders use (either language).")


class Amount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float = Field(gt=0)
    unit: Literal["yuan", "m2", "%", "count"]
    currency: str | None = Field(None, description="ISO 4217 code for money (CNY for yuan).")
    per: Literal["month", "year", "one_off"] | None = None
    tax: Literal["before_tax", "after_tax"] | None = None
    bound: Bound = "exact"
    quote: Quote

    @model_validator(mode="after")
    def _currency(self) -> Amount:
        if self.unit == "yuan" and self.currency is None:
            self.currency = "CNY"
        return self

    @property
    def key(self) -> tuple[str, float]:
        return ("" if self.unit == "count" else self.unit, self.value)


class Duration(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float = Field(gt=0)
    unit: Literal["month", "year"]
    bound: Bound = "exact"
    quote: Quote

    @property
    def months(self) -> float:
        return self.value * _MONTHS[self.unit]


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str = Field(description="A FounderProfile field, or years_since_graduation.")
    op: Literal["eq", "in", "le", "ge"]
    value: bool | float | str | list[str]
    quote: Quote

    @model_validator(mode="after")
    def _known(self) -> Condition:
        if self.field not in CONDITION_FIELDS:
            raise ValueError(f"unknown profile field {self.field!r} (known: {', '.join(sorted(CONDITION_FIELDS))})")
        if self.op == "in" and not isinstance(self.value, list):
            raise ValueError(f"condition on {self.field!r}: 'in' needs a list")
        if self.op in ("le", "ge") and (isinstance(self.value, bool) or not isinstance(self.value, (int, float))):
            raise ValueError(f"condition on {self.field!r}: {self.op!r} needs a number")
        return self


class ToConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str
    zh: str
    quote: Quote


class Provenance(BaseModel):
    """How an added document's record was made (facts.yaml written at ingestion)."""

    model_config = ConfigDict(extra="forbid")
    extracted_by: Literal["rule", "model"]
    model: str | None = Field(None, description="The chat model that read the clause (extracted_by: model).")
    at: str = Field(description="When the record was extracted (ISO time).")
    conditions_complete: bool = Field(
        False, description="Every condition the model read verified: the eligibility check may call it met.")


class Fact(BaseModel):
    """One benefit, target or deadline, with the clause that states it."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    clause: str = Field(description="Local clause id within the document.")
    subject: str | None = Field(None, description="Subject id from corpus/claims.yaml.")
    kind: Kind
    names: Names
    amount: Amount | None = None
    alt_amount: Amount | None = Field(None, description="The same benefit stated another way (after tax ...).")
    duration: Duration | None = None
    conditions: list[Condition] = Field(default_factory=list)
    to_confirm: list[ToConfirm] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list, description="Facts it cannot be combined with.")
    tiered_by: str | None = Field(None, description="The profile field its amount is tiered by, when the clause "
                                  "gives only the top tier: a condition's field of this record.")
    notes: dict[str, str] = Field(default_factory=dict)
    issuer: dict[str, str] = Field(default_factory=dict, description="Default: the document's issuer.")
    jurisdiction: str | None = None
    effective: str | None = None
    expires: str | None = None
    reviewed: bool = Field(True, description="False for records extracted from an added document.")
    provenance: Provenance | None = Field(None, description="Extracted records: by rule or by model, and when.")
    doc_id: str = Field("", exclude=True)  # filled at load

    @property
    def decidable(self) -> bool:
        """Its conditions were read and verified: reviewed, or read by a model with every condition kept."""
        return self.reviewed or bool(self.provenance and self.provenance.extracted_by == "model"
                                     and self.conditions and self.provenance.conditions_complete)

    @property
    def clause_id(self) -> str:
        return f"{self.doc_id}:{self.clause}"

    @property
    def is_benefit(self) -> bool:
        return self.kind in BENEFIT_KINDS

    def name(self, lang: str) -> str:
        return self.names.zh if lang.startswith("zh") else self.names.en

    def amounts(self) -> list[Amount]:
        return [a for a in (self.amount, self.alt_amount) if a is not None]


class FactFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    facts: list[Fact]

    @model_validator(mode="after")
    def _unique(self) -> FactFile:
        ids = [f.id for f in self.facts]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"fact ids used twice: {', '.join(sorted(dup))}")
        for f in self.facts:
            for other in f.excludes:
                if other not in ids:
                    raise ValueError(f"fact {f.id!r} excludes unknown fact {other!r}")
            if f.tiered_by is not None and (f.amount is None or f.tiered_by not in {c.field for c in f.conditions}):
                raise ValueError(f"fact {f.id!r} is tiered_by {f.tiered_by!r}: it needs an amount and a condition on it")
        return self


# --- verifying -----------------------------------------------------------------------------------
def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = text.find(quote)
    while i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def _figure_problems(what: str, fact: Fact, clause: Clause, rules: ClaimRules | None, key: tuple[str, float],
                     quote: Quote, attrs: dict[str, str | None], bound: str, subject_check: bool = True) -> list[str]:
    problems: list[str] = []
    for lang, text in clause.text.items():
        q = getattr(quote, lang if lang in ("en", "zh") else "zh", None)
        if not q:
            problems.append(f"{fact.id}: {what} has no {lang} quote")
            continue
        spans = _spans(text, q)
        if not spans:
            problems.append(f"{fact.id}: {what}: {q!r} is not in the {lang} text of clause {fact.clause}")
            continue
        located = rules.bind_located(text) if rules is not None else []
        inside = [b for at, b in located if any(s <= at < e for s, e in spans)]
        same = [b for b in inside if b.figure.key == key or (key[0] == "" and b.figure.key[1] == key[1])]
        if not same:
            found = ", ".join(format_figure(b.figure) for b in inside) or "no figure"
            problems.append(f"{fact.id}: {what} {format_figure(key)} — the {lang} quote {q!r} states {found}")
            continue
        b = same[0]
        for group, want in attrs.items():
            if b.attrs.get(group) != want:
                problems.append(f"{fact.id}: {what} {group} is {want or 'unstated'} in the record but "
                                f"{b.attrs.get(group) or 'unstated'} in the {lang} text")
        if bound in ("cap", "floor") and b.attrs.get("bound") != bound:
            problems.append(f"{fact.id}: {what} is a {bound} in the record but {b.attrs.get('bound') or 'exact'} "
                            f"in the {lang} text")
        if bound == "approx" and not any(w in text[max(0, spans[0][0] - 12):spans[0][1]].lower() for w in _APPROX):
            problems.append(f"{fact.id}: {what} is approximate in the record but not in the {lang} text")
        if subject_check and fact.subject and rules is not None and b.subject and not rules.compatible(fact.subject, b.subject):
            problems.append(f"{fact.id}: {what} belongs to {b.subject!r} in the {lang} text, not {fact.subject!r}")
    return problems


def _quote_problems(what: str, fact: Fact, clause: Clause, quote: Quote) -> list[str]:
    problems = []
    for lang, text in clause.text.items():
        q = getattr(quote, lang if lang in ("en", "zh") else "zh", None)
        if not q or q not in text:
            problems.append(f"{fact.id}: {what}: {q!r} is not in the {lang} text of clause {fact.clause}")
    return problems


_DEGREES = typing.get_args(Degree)  # lowest first


def _degree_problems(what: str, fact: Fact, c: Condition, rules: ClaimRules | None) -> list[str]:
    """A degree condition's lowest degree must be named in its quote (claims.yaml's condition terms): "硕士及以上"
    is master or doctoral, never bachelor, and words naming no degree prove no degree."""
    if c.field != "degree" or rules is None:
        return []
    values = [v for v in (c.value if isinstance(c.value, list) else [c.value]) if v in _DEGREES and v != "none"]
    if not values:
        return []
    named = rules.condition_concepts(*(q for q in (c.quote.en, c.quote.zh) if q)) & set(_DEGREES)
    lowest = min(values, key=_DEGREES.index)
    if lowest not in named:
        return [f"{fact.id}: {what} includes {lowest}, but the quote names {', '.join(sorted(named)) or 'no degree'}"]
    return []


def _flag_problems(what: str, fact: Fact, c: Condition, rules: ClaimRules | None) -> list[str]:
    """A yes/no condition's value must be what its quote says (claims.yaml flags and negations): "新引进" is
    newly_arrived = true, "尚未取得本市户籍" too, "已有本市户籍" false; words naming none of the flag prove nothing."""
    if rules is None or c.op != "eq" or not isinstance(c.value, bool):
        return []
    problems = []
    for lang, q in (("en", c.quote.en), ("zh", c.quote.zh)):
        said = rules.flag_says(c.field, q) if q else None
        if said is None:  # no quote in this language, or no words for this flag in claims.yaml
            continue
        if not said:
            problems.append(f"{fact.id}: {what}: the {lang} quote {q!r} names no words for {c.field}")
        elif c.value not in said:
            problems.append(f"{fact.id}: {what} is {str(c.value).lower()} in the record, but the {lang} quote "
                            f"{q!r} says {str(not c.value).lower()}")
    return problems


_PERIOD = {"month": "per_month", "year": "per_year", "one_off": "one_off"}  # Amount.per -> claims.yaml period


def verify(fact: Fact, clause: Clause, rules: ClaimRules | None) -> list[str]:
    """Why ``fact`` does not match its clause, in every language the clause holds ([] when it does)."""
    problems: list[str] = []
    for i, amount in enumerate(fact.amounts()):
        what = "amount" if i == 0 else "alternative amount"
        problems += _figure_problems(what, fact, clause, rules, amount.key, amount.quote,
                                     {"tax": amount.tax, "period": _PERIOD.get(amount.per) if amount.per else None},
                                     amount.bound)
    if fact.duration:
        problems += _figure_problems("duration", fact, clause, rules, ("month", fact.duration.months),
                                     fact.duration.quote, {}, fact.duration.bound)
    for c in fact.conditions:
        what = f"condition {c.field}"
        if c.op in ("le", "ge") and isinstance(c.value, float | int):  # a number: Condition checks it
            months = c.value * 12 if c.field == "years_since_graduation" else c.value
            unit = "month" if c.field == "years_since_graduation" else ""
            problems += _figure_problems(what, fact, clause, rules, (unit, months), c.quote, {}, "exact",
                                         subject_check=False)
        else:
            problems += _quote_problems(what, fact, clause, c.quote) or _degree_problems(what, fact, c, rules) \
                or _flag_problems(what, fact, c, rules)
    for t in fact.to_confirm:
        problems += _quote_problems("qualification", fact, clause, t.quote)
    return problems


# --- rendering -----------------------------------------------------------------------------------
_BOUND = {"cap": {"en": "up to ", "zh": "最高"}, "floor": {"en": "at least ", "zh": "不少于"},
          "approx": {"en": "about ", "zh": "约"}, "exact": {"en": "", "zh": ""}}
_PER = {"month": {"en": " per month", "zh": "/月"}, "year": {"en": " per year", "zh": "/年"},
        "one_off": {"en": " (one-off)", "zh": "（一次性）"}}
_TAX = {"before_tax": {"en": " before tax", "zh": "（税前）"}, "after_tax": {"en": " after tax", "zh": "（税后）"}}


def figure_text(unit: str, value: float, lang: str) -> str:
    """A bare figure in words of ``lang`` ("2,000,000 yuan", "200万元")."""
    return _figure_text(unit, value, "zh" if lang.startswith("zh") else "en")


def _figure_text(unit: str, value: float, lang: str) -> str:
    if lang == "en":
        if unit == "yuan" and value >= 1e6 and value % 1e5 == 0:  # the plan's own wording: "5 million yuan"
            return f"{value / 1e6:g} million yuan"
        if unit == "m2":  # the plan's own wording
            return format_figure(("", value)) + " square meters"
        return format_figure((unit, value)) if unit != "count" else format_figure(("", value))
    n = f"{value / 10000:g}万" if value >= 10000 and value % 10000 == 0 else f"{value:g}"
    return {"yuan": f"{n}元", "m2": f"{n}平方米", "%": f"{value:g}%", "month": f"{value:g}个月",
            "count": n}.get(unit, n)


def amount_text(fact: Fact, lang: str) -> str:
    """What the fact is worth, in words of ``lang`` ('' when it states no figure)."""
    base = "zh" if lang.startswith("zh") else "en"
    parts = []
    for a in fact.amounts():
        parts.append(_BOUND[a.bound][base] + _figure_text(a.unit, a.value, base)
                     + (_TAX[a.tax][base] if a.tax else "") + (_PER[a.per][base] if a.per else ""))
    text = " / ".join(parts)
    if fact.duration:
        d = fact.duration
        if d.unit == "year":
            n = f"{d.value:g}"
            figure = f"{n} year{'s' if d.value != 1 else ''}" if base == "en" else f"{n}年"
        else:
            figure = _figure_text("month", d.months, base)
        dur = _BOUND[d.bound][base].replace("最高", "最长") + figure
        if not text:
            text = dur
        else:
            text = f"{text}, for {dur}" if base == "en" else f"{text}，{dur}"
    return text
