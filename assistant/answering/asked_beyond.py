"""An answer must answer what was asked, or say the plan does not.

The plan answers a topic; a founder asks something of it. Quoting the benefit's clause answers the ask only when
the clause (or the benefit's fact record) states what is asked:

- a figure of the kind wanted ("how much", "how often", "what number do I call") about *that* benefit — the
  district smart voucher has no amount, though the sentence after it gives the city vouchers' caps; a tiered
  amount's cap (``tiered_by`` in facts.yaml) does not answer a tier's own amount;
- a predicate a yes/no or criteria ask tests (age, spouse, credit, nationality, how a status is assessed) that
  the clause's words or the record's conditions speak of;
- whether two benefits stack, which the plan states only as alternatives (facts.yaml ``excludes``).

What is left open is declared like every other unstated part (``Answer.unstated``, who to ask), said first, then
what the plan does say; the answer no longer claims to be answerable. Data: corpus/asked_beyond.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.answering.prompts import ASK_ISSUER, PLAN_SAYS
from assistant.answering.wanted import figure_kinds, wanted_groups
from assistant.knowledge.claims import fold
from assistant.knowledge.profile import load_profile_spec
from assistant.settings import corpus_folder
from assistant.types import Answer, Frame, Unstated
from assistant.understanding.text import base_lang, localise, split_sentences

if TYPE_CHECKING:
    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.knowledge.claims import ClaimRules
    from assistant.knowledge.facts import Fact

# the unstated kind a figure kind is declared as (a phone number is the plan's existing "contact")
DECLARED = {"money": "amount", "phone": "contact"}
_MARKS = re.compile(r"\[\d+\]|[(（]\d+[)）]")
# figure kinds a fact record holds, by its amount's unit
UNIT_KINDS = {"yuan": "money", "m2": "area", "%": "percent", "count": "count"}


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str
    zh: str


class Predicate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    asked: list[re.Pattern[str]]
    said: list[re.Pattern[str]]
    fields: list[str] = Field(default_factory=list, description="Profile fields a condition on speaks of it.")
    text: Text

    @field_validator("asked", "said", mode="before")
    @classmethod
    def _compile(cls, v: list[str]) -> list[re.Pattern[str]]:
        return [re.compile(p, re.I) for p in v]


class Stacking(BaseModel):
    model_config = ConfigDict(extra="forbid")
    asked: list[re.Pattern[str]]
    text: Text

    @field_validator("asked", mode="before")
    @classmethod
    def _compile(cls, v: list[str]) -> list[re.Pattern[str]]:
        return [re.compile(p, re.I) for p in v]


class Beyond(BaseModel):
    model_config = ConfigDict(extra="forbid")
    figures: dict[str, Text]
    more_kinds: dict[str, list[re.Pattern[str]]]
    tier: Text
    cap_asked: list[re.Pattern[str]]
    predicates: dict[str, Predicate]
    stacking: Stacking

    @field_validator("more_kinds", mode="before")
    @classmethod
    def _compile_kinds(cls, v: dict[str, list[str]]) -> dict[str, list[re.Pattern[str]]]:
        return {k: [re.compile(p, re.I) for p in ps] for k, ps in v.items()}

    @field_validator("cap_asked", mode="before")
    @classmethod
    def _compile_cap(cls, v: list[str]) -> list[re.Pattern[str]]:
        return [re.compile(p, re.I) for p in v]

    def model_post_init(self, _: object) -> None:
        missing = set(self.more_kinds) - set(self.figures)
        if missing:
            raise ValueError(f"asked_beyond.yaml: more_kinds without a figures text: {', '.join(sorted(missing))}")


@lru_cache(maxsize=4)
def load_beyond(path: Path) -> Beyond | None:
    if not path.is_file():
        return None
    try:
        return Beyond.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except Exception as exc:
        raise ValueError(f"{path}: {exc}") from exc


def _any(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def asked_groups(beyond: Beyond, ask: str) -> list[set[str]]:
    """The figure kinds an ask wants, part by part: a kind no figure has ("多久办一次": frequency) replaces the
    kinds of figure_asks its words also match ("多久": duration)."""
    folded = fold(ask)
    more = [{k} for k, ps in beyond.more_kinds.items() if _any(ps, folded)]
    return more or wanted_groups(folded)


def _terms(extractive: ExtractiveAnswerer, topic: str | None, facts: list[Fact]) -> list[str]:
    """The words naming the benefit: its claims terms and its records' names."""
    words: list[str] = []
    claims = extractive.r.corpus.claims
    if claims is not None:
        for sid, spec in claims.spec.subjects.items():
            if _within(extractive, sid, topic):
                words += [*spec.en, *spec.zh]
    for f in facts:
        words += [f.names.zh, *f.names.aliases]
    return [fold(w) for w in words if len(w) >= 2]


def _longer(extractive: ExtractiveAnswerer, terms: list[str]) -> list[str]:
    """Other subjects' terms that contain one of the benefit's ("人工智能券" holds "智能券"): not its name."""
    claims = extractive.r.corpus.claims
    return [] if claims is None else list(_longer_in(claims, tuple(terms)))


@lru_cache(maxsize=256)  # per corpus's claims and benefit: the same few terms are asked about again and again
def _longer_in(claims: ClaimRules, terms: tuple[str, ...]) -> tuple[str, ...]:
    every = {fold(w) for s in claims.spec.subjects.values() for w in [*s.en, *s.zh]}
    return tuple(sorted((w for w in every if w not in terms and any(t in w and t != w for t in terms)),
                        key=len, reverse=True))


def _names(text: str, terms: list[str], longer: list[str]) -> bool:
    for w in longer:
        text = text.replace(w, " " * len(w))
    return any(t in text for t in terms)


def _within(extractive: ExtractiveAnswerer, subject: str | None, topic: str | None) -> bool:
    """The subject is the topic or one of its kinds (a personal loan is a loan)."""
    claims = extractive.r.corpus.claims
    seen: set[str] = set()
    while subject is not None and topic is not None and subject not in seen:
        if subject == topic:
            return True
        seen.add(subject)
        spec = claims.spec.subjects.get(subject) if claims is not None else None
        subject = spec.parent if spec is not None else None
    return False


def _held(facts: list[Fact]) -> set[str]:
    kinds: set[str] = set()
    for f in facts:
        kinds |= {UNIT_KINDS[a.unit] for a in (f.amount, f.alt_amount) if a is not None}
        if f.duration is not None:
            kinds.add("duration")
    return kinds


def _name(facts: list[Fact], base: str) -> str:
    if len(facts) == 1:
        return facts[0].names.zh if base == "zh" else facts[0].names.en
    return "该项支持" if base == "zh" else "this"


def gaps(extractive: ExtractiveAnswerer, beyond: Beyond, frame: Frame, quoted: str, base: str,
         message: str | None = None) -> list[tuple[str, str, str]]:
    """(kind, ask, text in Simplified or English) for each thing the main ask wants that what is quoted and the
    benefit's record do not state. ``message``: the founder's own words, when the ask was resolved from a
    conversation: what is judged unstated must be asked in them too (a follow-up's resolved ask may carry the
    previous turn's "最高多少" into 「智能券可以用嚟抵啲咩？」)."""
    main = frame.main
    if main is None or main.kind not in ("topic", "other"):
        return []
    own = fold(message) if message else None
    # an elliptical part beside the main ask asks of it ("落户补贴学士呢 | 具体多少钱？")
    wants = " ".join(a.text for a in frame.asks if a.main or (a.kind == "other" and a.topic is None))
    ask = fold(main.text)
    records = extractive.facts.facts if extractive.facts is not None else []
    facts = [f for f in records if f.is_benefit and _within(extractive, f.subject, main.topic)]
    # citation markers and the measure's number in its heading ("Action Plan (6)") are no figures of the benefit
    sentences = split_sentences(_MARKS.sub(" ", quoted))
    terms = _terms(extractive, main.topic, facts)
    # a benefit with records is read surely: a figure must be stated of it; else any quoted figure answers
    longer = _longer(extractive, terms) if facts else []  # once per ask, not per sentence
    about = [s for s in sentences if _names(fold(s), terms, longer)] if facts else []
    about = about or sentences
    name = _name(facts, base)
    out: list[tuple[str, str, str]] = []

    # whether two benefits stack: answered only where a clause states them as alternatives
    if _any(beyond.stacking.asked, ask) and (own is None or _any(beyond.stacking.asked, own)):
        named = [f for f in records if f.is_benefit and (f in facts or any(
            fold(n) in ask for n in [f.names.zh, f.names.en, *f.names.aliases] if len(n) >= 2))]
        # a benefit the clause offers as one alternative of others ("…或选择…"): holding both is answered, as no
        if not any(f.excludes for f in named):
            out.append(("stacking", main.text, getattr(beyond.stacking.text, base)))
        return out

    # a predicate a yes/no or criteria ask tests that the clause never speaks of
    for kind, pred in beyond.predicates.items():
        if not _any(pred.asked, ask) or (own is not None and not _any(pred.asked, own)):
            continue
        fields = {c.field for f in facts for c in f.conditions}
        quotes = [getattr(c.quote, base, "") for f in facts for c in f.conditions] + \
            [getattr(t.quote, base, "") for f in facts for t in f.to_confirm]
        if fields & set(pred.fields) or any(_any(pred.said, fold(s)) for s in [*about, *quotes]):
            continue
        out.append((kind, main.text, getattr(pred.text, base)))
    if out:
        return out

    # a tier's own amount, where the clause gives only the top tier
    if own is not None and not asked_groups(beyond, message or ""):
        return out  # no figure asked in the founder's own words
    tiered = [f for f in facts if f.tiered_by is not None and f.amount is not None]
    if tiered and asked_groups(beyond, wants) and not _any(beyond.cap_asked, fold(wants)) and \
            extractive.r.corpus.questions is not None:
        # the tier named in the asks, or in a follow-up's own words ("学士呢，具体多少钱？" is read as told)
        # (a message's own asks lie within it; a follow-up's resolved ask does not: the story is never read here)
        resolved = message is not None and fold(frame.focus_text or main.text) not in fold(message)
        told = extractive.r.corpus.questions.profile_from(f"{frame.focus_text or main.text} {message if resolved else ''}")
        for f in tiered:
            value = told.get(f.tiered_by or "")
            spec = load_profile_spec().fields.get(f.tiered_by or "")
            if value is None or spec is None or f.amount is None or (spec.values and value == spec.values[-1]):
                continue  # the top tier's amount is the cap the clause gives
            words = spec.told.get(value) if isinstance(value, str) else None
            tier = str(value) if words is None else words.zh if base == "zh" else words.en
            cap = getattr(f.amount.quote, base)
            text = getattr(beyond.tier, base).format(name=_name([f], base), cap=cap, tier=tier)
            return [("tier_amount", main.text, text)]

    # a figure of a kind neither the record holds nor a quoted sentence about the benefit states
    # the parts of figure_asks overlap ("几个月": a duration and a count): one stated answers the ask
    held = _held(facts)
    places = extractive.r.corpus.places
    # a bare count is read from words that also count months, money or the founder's friends ("几个月", "给几个钱",
    # "我哋幾個朋友"): never declared on its own
    groups = [g for g in asked_groups(beyond, wants) if g != {"count"}]
    if not groups or any(g & held or any(g & figure_kinds(fold(s), places) for s in about) for g in groups):
        return []
    wanted = next((k for g in groups for k in ("frequency", "phone", "money", "duration", "count") if k in g), None)
    if wanted is None or wanted not in beyond.figures:
        return []
    return [(DECLARED.get(wanted, wanted), main.text, getattr(beyond.figures[wanted], base).format(name=name))]


def declare_beyond(extractive: ExtractiveAnswerer, frame: Frame, answer: Answer, lang: str) -> Answer:
    """What the main ask wants and the quoted clause does not state, declared first; the answer declines."""
    if not answer.answerable or not answer.citations:
        return answer
    beyond = load_beyond(corpus_folder() / "asked_beyond.yaml")
    if beyond is None:
        return answer
    base = base_lang(lang)
    found = [g for g in gaps(extractive, beyond, frame, answer.answer, base, answer.question) if g[0] not in {u.kind for u in answer.unstated}]
    if not found:
        return answer
    main = frame.main
    # a figure asked only beside the main ask ("…能抵哪些费用？ | 顺便告诉我大概多少钱"): the main ask is answered,
    # the part declared after it
    beside = main is not None and not asked_groups(beyond, main.text) and \
        all(kind not in beyond.predicates and kind != "stacking" for kind, _, _ in found)
    lines = [text for _, _, text in found]
    issuer = _issuer(extractive, answer, base)
    if issuer:
        lines.append(ASK_ISSUER[base].format(issuer=issuer))
    said = localise(("" if base == "zh" else " ").join(lines), lang)
    unstated = [Unstated(kind=kind, ask=ask, text=localise(text, lang)) for kind, ask, text in found]
    if beside:
        return answer.model_copy(update={"answer": f"{answer.answer}\n{said}", "unstated": [*answer.unstated, *unstated]})
    return answer.model_copy(update={
        "answer": f"{said}\n{localise(PLAN_SAYS[base], lang)}\n{answer.answer}", "answerable": False,
        "unstated": [*answer.unstated, *unstated]})


def _issuer(extractive: ExtractiveAnswerer, answer: Answer, base: str) -> str:
    if not answer.citations:
        return ""
    names = extractive.r.corpus.document(answer.citations[0].doc_id).issuer
    return names.get(base) or next(iter(names.values()), "")
