"""The eligibility check: a founder profile against every benefit's conditions (facts.yaml).

Each condition is decided met / not met / unknown; a benefit is *met* when every condition holds, *not met*
when one fails and *unknown* when the profile lacks something needed to decide. Qualifications the plan names
without defining ("eligible", 符合条件的) are never decided here: they are listed as still to confirm with the
issuer, so "met" means "nothing the plan states rules you out".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from assistant.answering.citations import citation_for
from assistant.answering.prompts import profile_label
from assistant.errors import InvalidProfile, InvalidQuestion
from assistant.field_errors import field_message
from assistant.knowledge.facts import Condition, Fact, Quote, amount_text
from assistant.knowledge.profile_fields import profile_words
from assistant.types import (
    BenefitEligibility,
    ConditionCheck,
    EligibilityResult,
    FounderProfile,
    IssuerGroup,
    Language,
    Status,
)
from assistant.understanding.scope import MAX_FILTER, Scoper, check_filter, check_jurisdictions
from assistant.understanding.text import base_lang, localise, to_simplified

if TYPE_CHECKING:  # the corpus and settings import this module's neighbours
    from assistant.knowledge.corpus import Corpus
    from assistant.settings import Settings

Scope = Literal["home", "filter", "all"]
ProfileValue = bool | int | str | None  # a profile field's value (fields are declared in profile.yaml)
_ORDER: dict[Status, int] = {"met": 0, "unknown": 1, "not_met": 2}


@lru_cache(maxsize=1)
def _home_names() -> tuple[str, str]:
    """The home jurisdiction's short Chinese name and its pinyin ("深圳", "shenzhen"), from the settings."""
    from pypinyin import lazy_pinyin  # imported here: over a second to import, needed only for an origin

    from assistant.settings import Settings

    short = re.sub(r"(市|区|县|省)$", "", Settings().home_jurisdiction) or Settings().home_jurisdiction
    return short, "".join(lazy_pinyin(short)).lower()


def from_home(origin: str) -> bool:
    """The founder already lives in the home jurisdiction (the origin names it, in Chinese or pinyin)."""
    zh, en = _home_names()
    return zh in to_simplified(origin) or en in origin.lower().replace(" ", "")


def profile_value(profile: FounderProfile, field: str, today: date) -> ProfileValue:
    # the profile model is built from profile.yaml at import: its fields are read by name
    if field == "newly_arrived" and getattr(profile, "newly_arrived", None) is None:
        origin: str | None = getattr(profile, "origin", None)
        if origin:
            return not from_home(origin)  # moving here from elsewhere: newly arrived
    if field == "years_since_graduation":
        graduated: int | None = getattr(profile, "graduation_year", None)
        return None if graduated is None else today.year - graduated
    value: ProfileValue = getattr(profile, field)
    return value


def decide(condition: Condition, value: ProfileValue) -> Status:
    """met / not_met / unknown for one condition and the profile's value of its field."""
    if value is None:
        return "unknown"
    if condition.op == "eq":
        return "met" if value == condition.value else "not_met"
    if condition.op == "in" and isinstance(condition.value, list):  # Condition: 'in' holds a list
        return "met" if value in condition.value else "not_met"
    # 'le' and 'ge' hold a number (Condition checks it) and test a number field
    limit, number = _number(condition.value), _number(value)
    if condition.op == "le":
        return "met" if number <= limit else "not_met"
    return "met" if number >= limit else "not_met"


def _number(value: object) -> float:
    if not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    return value


def _quote(quote: Quote, lang: str) -> str:
    base = base_lang(lang)
    text: str = getattr(quote, base, None) or quote.en or quote.zh or ""
    return localise(text, lang)


def _checks(fact: Fact, profile: FounderProfile, today: date) -> tuple[Status, list[tuple[Condition, Status]]]:
    """The benefit's status and each condition's, without rendering anything (cheap: a library has thousands)."""
    decided = [(c, decide(c, profile_value(profile, c.field, today))) for c in fact.conditions]
    statuses = {s for _, s in decided}
    status: Status = "not_met" if "not_met" in statuses else "unknown" if "unknown" in statuses else "met"
    if not fact.decidable and status == "met":  # extracted by rule (conditions never read) or some failed
        status = "unknown"
    return status, decided


def _issuer(fact: Fact, corpus: Corpus, lang: str) -> str:
    base = base_lang(lang)
    names = fact.issuer or corpus.document(fact.doc_id).issuer
    return localise(names.get(base) or next(iter(names.values()), ""), lang)


def check_fact(fact: Fact, profile: FounderProfile, corpus: Corpus, lang: str, today: date,
               n: int = 1) -> BenefitEligibility:
    status, decided = _checks(fact, profile, today)
    checks = [ConditionCheck(field=c.field, status=s, says=_quote(c.quote, lang)) for c, s in decided]
    needed = sorted({("graduation_year" if c.field == "years_since_graduation" else c.field)
                     for c in checks if c.status == "unknown"})
    if not fact.decidable and status == "unknown" and not needed:
        needed = ["conditions"]
    base = base_lang(lang)
    return BenefitEligibility(
        fact_id=fact.id, name=localise(fact.name(lang), lang), kind=fact.kind, status=status,
        amount=localise(amount_text(fact, lang), lang), conditions=checks, needed=needed,
        needed_labels=[profile_label(n, lang) for n in needed],
        asks=[profile_words().ask(n, lang) for n in needed],
        to_confirm=[localise(t.zh if base == "zh" else t.en, lang) for t in fact.to_confirm],
        excludes=list(fact.excludes),
        issuer=_issuer(fact, corpus, lang), citation=citation_for(corpus, corpus.clause(fact.clause_id), lang, n))


def choices_between(result: EligibilityResult) -> dict[str, list[str]]:
    """Benefit id -> names of the other benefits shown that it excludes (or that exclude it), where both
    could still be had: the founder has to pick one."""
    shown = {b.fact_id: b for b in result.benefits if b.status != "not_met"}
    pairs: dict[str, list[str]] = {}
    for b in shown.values():
        for other in b.excludes:
            if other in shown:
                pairs.setdefault(b.fact_id, []).append(shown[other].name)
                pairs.setdefault(other, []).append(b.name)
    return {k: sorted(set(v)) for k, v in pairs.items()}


def worth(fact: Fact) -> float:
    """Yuan a year the benefit is worth at most, for ordering (0 when it states no money)."""
    money = [a.value * (12 if a.per == "month" else 1) for a in fact.amounts() if a.unit == "yuan"]
    return max(money, default=0.0)


def scoped_documents(corpus: Corpus, scoper: Scoper, today: str, documents: list[str] | None = None,
                     issuers: list[str] | None = None,
                     jurisdictions: list[str] | None = None) -> tuple[set[str], Scope]:
    """(document ids, scope) the check runs over: those the request names (unknown ones: NotFound; too many:
    InvalidQuestion), else the home jurisdiction's documents in force today with the built-in plan."""
    chosen = check_filter(corpus, documents, issuers)
    places = check_jurisdictions(corpus, jurisdictions)
    if len(documents or []) + len(issuers or []) + len(jurisdictions or []) > MAX_FILTER:
        raise InvalidQuestion(f"Narrow to at most {MAX_FILTER} documents, issuers and places.")
    if chosen is not None or places is not None:
        return (chosen or set()) | (places or set()), "filter"
    return scoper.home_tiers(today)[0], "home"


def check(corpus: Corpus, profile: FounderProfile, lang: Language = "en", today: date | None = None, *,
          docs: Set[str] | None = None, scope: Scope = "all", first: Set[str] = frozenset(),
          limit: int | None = None) -> EligibilityResult:
    """The benefits of ``docs`` (all documents when None) decided for ``profile``: met, then unknown, then not
    met; within each the ``first`` documents' (the built-in plan), then by amount. The first ``limit`` are
    rendered; ``total`` and the per-issuer counts cover them all."""
    today = today or date.today()
    benefits = [f for f in corpus.facts if f.is_benefit and (docs is None or f.doc_id in docs)]
    decided = [(f, _checks(f, profile, today)[0]) for f in benefits]
    decided.sort(key=lambda fs: (_ORDER[fs[1]], fs[0].doc_id not in first, -worth(fs[0])))
    groups: dict[str, IssuerGroup] = {}
    # localising a name is costly (OpenCC); a library repeats few issuers
    issuers: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
    for fact, status in decided:
        key = (fact.doc_id, tuple(fact.issuer.items()))
        name = issuers.get(key) or issuers.setdefault(key, _issuer(fact, corpus, lang))
        group = groups.setdefault(name, IssuerGroup(issuer=name, documents=[]))
        if fact.doc_id not in group.documents:
            group.documents.append(fact.doc_id)
        setattr(group, status, getattr(group, status) + 1)
    shown = decided if limit is None else decided[:limit]
    results = [check_fact(f, profile, corpus, lang, today, n=i + 1) for i, (f, _) in enumerate(shown)]
    return EligibilityResult(language=lang, profile=profile, scope=scope, total=len(decided), benefits=results,
                             issuers=list(groups.values()))


def check_library(corpus: Corpus, profile: FounderProfile, lang: Language, settings: Settings, *,
                  scoper: Scoper | None = None, documents: list[str] | None = None,
                  issuers: list[str] | None = None, jurisdictions: list[str] | None = None,
                  limit: int | None = None) -> EligibilityResult:
    """The check as the front ends run it: scoped (see ``scoped_documents``) and limited (settings' default)."""
    scoper = scoper or Scoper(corpus, settings.home_jurisdiction)
    docs, scope = scoped_documents(corpus, scoper, settings.today_iso(), documents, issuers, jurisdictions)
    return check(corpus, profile, lang, today=settings.today, docs=docs, scope=scope, first=scoper.builtin,
                 limit=limit or settings.eligibility_limit)


_TRUE, _FALSE = {"yes", "true", "y", "1", "是"}, {"no", "false", "n", "0", "否"}


def profile_from_pairs(pairs: list[str]) -> FounderProfile:
    """``["degree=master", "newly_arrived=yes"]`` -> a validated profile (InvalidProfile naming the field)."""
    raw: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidProfile(f"{pair!r} is not FIELD=VALUE (fields: {', '.join(FounderProfile.model_fields)}).")
        value = value.strip()
        low = value.lower()
        raw[key.strip()] = True if low in _TRUE else False if low in _FALSE else int(value) \
            if value.lstrip("-").isdigit() else value
    return validate_profile(raw)


def validate_profile(raw: Mapping[str, Any]) -> FounderProfile:
    try:
        return FounderProfile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidProfile(field_message(first, "en"), translations={
            lang: field_message(first, lang) for lang in ("zh", "zh-Hant")}) from None
