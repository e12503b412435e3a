"""The eligibility check (issue 15): a founder profile against every benefit's conditions (facts.yaml).

Each condition is decided met / not met / unknown; a benefit is *met* when every condition holds, *not met*
when one fails and *unknown* when the profile lacks something needed to decide. Qualifications the plan names
without defining ("eligible", 符合条件的) are never decided here: they are listed as still to confirm with the
issuer, so "met" means "nothing the plan states rules you out".
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from .citations import citation_for
from .errors import InvalidProfile
from .facts import Condition, Fact, amount_text
from .text import base_lang, localise
from .types import BenefitEligibility, ConditionCheck, EligibilityResult, FounderProfile

_ORDER = {"met": 0, "unknown": 1, "not_met": 2}


def profile_value(profile: FounderProfile, field: str, today: date):
    if field == "years_since_graduation":
        return None if profile.graduation_year is None else today.year - profile.graduation_year
    return getattr(profile, field)


def decide(condition: Condition, value) -> str:
    """met / not_met / unknown for one condition and the profile's value of its field."""
    if value is None:
        return "unknown"
    if condition.op == "eq":
        return "met" if value == condition.value else "not_met"
    if condition.op == "in":
        return "met" if value in condition.value else "not_met"
    if condition.op == "le":
        return "met" if value <= condition.value else "not_met"
    return "met" if value >= condition.value else "not_met"


def _quote(quote, lang: str) -> str:
    base = base_lang(lang)
    text = getattr(quote, base, None) or quote.en or quote.zh or ""
    return localise(text, lang)


def check_fact(fact: Fact, profile: FounderProfile, corpus, lang: str, today: date, n: int = 1) -> BenefitEligibility:
    checks = [ConditionCheck(field=c.field, status=decide(c, profile_value(profile, c.field, today)),
                             says=_quote(c.quote, lang)) for c in fact.conditions]
    statuses = {c.status for c in checks}
    status = "not_met" if "not_met" in statuses else "unknown" if "unknown" in statuses else "met"
    needed = sorted({("graduation_year" if c.field == "years_since_graduation" else c.field)
                     for c in checks if c.status == "unknown"})
    if not fact.decidable and status == "met":  # extracted by rule (conditions never read) or some failed
        status, needed = "unknown", ["conditions"]
    base = base_lang(lang)
    return BenefitEligibility(
        fact_id=fact.id, name=localise(fact.name(lang), lang), kind=fact.kind, status=status,
        amount=localise(amount_text(fact, lang), lang), conditions=checks, needed=needed,
        to_confirm=[localise(getattr(t, base), lang) for t in fact.to_confirm], excludes=list(fact.excludes),
        issuer=localise(fact.issuer.get(base) or next(iter(fact.issuer.values()), ""), lang),
        citation=citation_for(corpus, corpus.clause(fact.clause_id), lang, n))


def check(corpus, profile: FounderProfile, lang: str = "en", today: date | None = None) -> EligibilityResult:
    """Every benefit of the corpus decided for ``profile``: those that fit first, then the undecided."""
    today = today or date.today()
    benefits = [f for f in corpus.facts if f.is_benefit]
    results = [check_fact(f, profile, corpus, lang, today, n=i + 1) for i, f in enumerate(benefits)]
    results.sort(key=lambda b: _ORDER[b.status])
    return EligibilityResult(language=lang, profile=profile, benefits=results)


_TRUE, _FALSE = {"yes", "true", "y", "1", "是"}, {"no", "false", "n", "0", "否"}


def profile_from_pairs(pairs: list[str]) -> FounderProfile:
    """``["degree=master", "newly_arrived=yes"]`` -> a validated profile (InvalidProfile naming the field)."""
    raw: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidProfile(f"{pair!r} is not FIELD=VALUE (fields: {', '.join(FounderProfile.model_fields)}).")
        value = value.strip()
        low = value.lower()
        raw[key.strip()] = True if low in _TRUE else False if low in _FALSE else int(value) \
            if value.lstrip("-").isdigit() else value
    return validate_profile(raw)


def validate_profile(raw: dict) -> FounderProfile:
    try:
        return FounderProfile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "profile"
        raise InvalidProfile(f"Invalid {where}: {first['msg']}.") from None
