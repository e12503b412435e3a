"""Facts: every benefit, target and deadline a document states, as a typed record (issue 15).

The built-in plan's records are reviewed data (``corpus/<doc>/facts.yaml``); added documents get theirs
from ``assistant/fact_extract.py``. Either way a record is kept only when it *verifies*: each amount,
duration and condition quotes words that stand in its clause (every language held), and the figure
the claim binder (corpus/claims.yaml, issue 10) finds there has the record's value, subject and
attributes (cap/floor, tax, period). One model of what the plan says serves the grounding gate,
list and comparison answers and the eligibility check.
"""

from __future__ import annotations

import logging
import typing
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import CorpusError
from .figures import format_figure
from .types import Degree, FounderProfile

log = logging.getLogger(__name__)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # added documents' facts files are many

BENEFIT_KINDS = ("cash_grant", "voucher", "loan", "space", "housing", "reward")
KINDS = BENEFIT_KINDS + ("target", "deadline")
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
    bound: Literal["cap", "floor", "exact", "approx"] = "exact"
    quote: Quote

    @model_validator(mode="after")
    def _currency(self):
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
    bound: Literal["cap", "floor", "exact", "approx"] = "exact"
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
    def _known(self):
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
    kind: Literal[KINDS]  # type: ignore[valid-type]
    names: Names
    amount: Amount | None = None
    alt_amount: Amount | None = Field(None, description="The same benefit stated another way (after tax ...).")
    duration: Duration | None = None
    conditions: list[Condition] = Field(default_factory=list)
    to_confirm: list[ToConfirm] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list, description="Facts it cannot be combined with.")
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
    def _unique(self):
        ids = [f.id for f in self.facts]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"fact ids used twice: {', '.join(sorted(dup))}")
        for f in self.facts:
            for other in f.excludes:
                if other not in ids:
                    raise ValueError(f"fact {f.id!r} excludes unknown fact {other!r}")
        return self


# --- loading and verifying -----------------------------------------------------------------------
def read_facts(path: Path, doc) -> list[Fact]:
    """Parse and validate one facts.yaml (CorpusError naming the file and field when it is malformed)."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {"facts": []}
        facts = FactFile.model_validate(raw).facts
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read the facts file ({exc}).") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CorpusError(f"{path}: {where}: {first['msg']}") from None
    clause_ids = {c.local_id for c in doc.clauses}
    for f in facts:
        if f.clause not in clause_ids:
            raise CorpusError(f"{path}: fact {f.id!r} names clause {f.clause!r}, which {doc.id} does not have.")
        f.doc_id = doc.id
    return facts


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    out, i = [], text.find(quote)
    while i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def _figure_problems(what: str, fact: Fact, clause, rules, key: tuple[str, float], quote: Quote,
                     attrs: dict[str, str | None], bound: str, subject_check: bool = True) -> list[str]:
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


def _quote_problems(what: str, fact: Fact, clause, quote: Quote) -> list[str]:
    problems = []
    for lang, text in clause.text.items():
        q = getattr(quote, lang if lang in ("en", "zh") else "zh", None)
        if not q or q not in text:
            problems.append(f"{fact.id}: {what}: {q!r} is not in the {lang} text of clause {fact.clause}")
    return problems


_DEGREES = typing.get_args(Degree)  # lowest first


def _degree_problems(what: str, fact: Fact, c: Condition, rules) -> list[str]:
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


def verify(fact: Fact, clause, rules) -> list[str]:
    """Why ``fact`` does not match its clause, in every language the clause holds ([] when it does)."""
    problems: list[str] = []
    for i, amount in enumerate(fact.amounts()):
        what = "amount" if i == 0 else "alternative amount"
        problems += _figure_problems(what, fact, clause, rules, amount.key, amount.quote,
                                     {"tax": amount.tax, "period": {"month": "per_month", "year": "per_year",
                                                                    "one_off": "one_off"}.get(amount.per)},
                                     amount.bound)
    if fact.duration:
        problems += _figure_problems("duration", fact, clause, rules, ("month", fact.duration.months),
                                     fact.duration.quote, {}, fact.duration.bound)
    for c in fact.conditions:
        what = f"condition {c.field}"
        if c.op in ("le", "ge"):
            months = c.value * 12 if c.field == "years_since_graduation" else c.value
            unit = "month" if c.field == "years_since_graduation" else ""
            problems += _figure_problems(what, fact, clause, rules, (unit, months), c.quote, {}, "exact",
                                         subject_check=False)
        else:
            problems += _quote_problems(what, fact, clause, c.quote) or _degree_problems(what, fact, c, rules)
    for t in fact.to_confirm:
        problems += _quote_problems("qualification", fact, clause, t.quote)
    return problems


def load_facts(documents, rules, added=()) -> tuple[list[Fact], list[str]]:
    """The facts of every document folder that has a facts.yaml (``documents``: (doc, path) pairs), and those
    extracted by rule from ``added`` documents without one (written by older code): (verified facts,
    problems of dropped ones).

    Every record is verified against its clause at load, the plan's reviewed ones and those an added document's
    ingestion wrote alike (cheap: the claim binder's results are cached per text); one that does not match is
    left out (never answered from) and reported. An added document's unreadable facts file costs that file,
    not the load: its facts are extracted by rule instead.
    """
    from .fact_extract import extract_facts

    facts: list[Fact] = []
    problems: list[str] = []
    for doc in added:
        kept, dropped = extract_facts(doc, rules)
        facts += [_inherit(f, doc) for f in kept]
        problems += dropped
    fresh: dict = {}
    for doc, path in documents:
        st = path.stat()
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        hit = _VERIFIED.get(path)
        # the same file, document and rules as at the last load: the same verdict (a library reloads in the
        # time it takes to list it)
        if hit is not None and hit[0] == key and hit[1] is doc and hit[2] is rules:
            fresh[path] = hit
            facts += hit[3]
            problems += hit[4]
            continue
        before_f, before_p = len(facts), len(problems)
        _load_file(doc, path, rules, facts, problems)
        fresh[path] = (key, doc, rules, facts[before_f:], problems[before_p:])
    _VERIFIED.clear()
    _VERIFIED.update(fresh)
    return facts, problems


_VERIFIED: dict = {}


def _load_file(doc, path: Path, rules, facts: list[Fact], problems: list[str]) -> None:
    """Append the verified records of one facts file (and why the others were dropped)."""
    from .fact_extract import extract_facts

    try:
        records = read_facts(path, doc)
    except CorpusError as exc:
        if doc.authority != "document":
            raise
        problems.append(f"{doc.id}: {exc} — its facts were extracted by rule instead")
        kept, dropped = extract_facts(doc, rules)
        facts += [_inherit(f, doc) for f in kept]
        problems += dropped
        return
    for fact in records:
        clause = next(c for c in doc.clauses if c.local_id == fact.clause)
        found = verify(fact, clause, rules)
        if found:
            problems.extend(f"{doc.id}: {p}" for p in found)
            log.warning("fact %s of %s dropped: %s", fact.id, doc.id, "; ".join(found))
        else:
            facts.append(_inherit(fact, doc))


def facts_yaml(facts: list[Fact]) -> str:
    """An added document's facts.yaml: the reviewed records' schema plus provenance, without what the load
    fills in from document.yaml (issuer, jurisdiction, dates)."""
    rows = [f.model_dump(mode="json", exclude_defaults=True, exclude_none=True) for f in facts]
    for row in rows:
        row["reviewed"] = False  # the default is True (reviewed data): say it in the file
    return yaml.safe_dump({"facts": rows}, allow_unicode=True, sort_keys=False, width=120)


def _inherit(fact: Fact, doc) -> Fact:
    fact.issuer = fact.issuer or dict(doc.issuer)
    fact.jurisdiction = fact.jurisdiction or doc.jurisdiction
    fact.effective = fact.effective or doc.effective_date
    fact.expires = fact.expires or doc.valid_until
    return fact


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
