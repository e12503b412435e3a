"""Training variants for the part classifier: which part of a benefit an ask wants when it is one the plan may
leave unstated (where to apply, when paid, the price, processing time, deadline, documents, contact, interest,
tax) or a ranking of places the plan never makes — against "answer" (the asks the plan answers).

Generated from corpus/intents.yaml (``parts``, ``part_answer``, ``ranked_places``) x the benefits' names x
the same language forms as the benefit variants (fillers, stripped punctuation, background, wrappers,
code-mixing, Traditional script; Cantonese also from the Mandarin templates through the word table).
Deterministic. Each variant carries its template's group, so a held-out score leaves whole templates out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.understanding.intent_data import (
    LANGS,
    TOPIC,
    Cantonese,
    IntentSpec,
    Sample,
    benefit_names,
    pick,
    transforms,
)

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules
    from assistant.knowledge.facts import Fact

ANSWER = "answer"
RANKING = "ranking"
ANSWERED_ATTRIBUTES = ("amount", "duration", "condition", "validity")  # procedure asks may be unstated parts


@dataclass(frozen=True)
class PartSample:
    text: str
    part: str  # an unstated part, "ranking", or "answer"
    group: str  # the template it came from: a held-out split leaves whole templates out


def _names(spec: IntentSpec, facts: Sequence[Fact], claims: ClaimRules | None) -> dict[str, list[str]]:
    subjects: dict[str | None, int] = {}
    for f in facts:
        subjects[f.subject] = subjects.get(f.subject, 0) + 1
    shared = {s for s, n in subjects.items() if n > 1}
    pool: dict[str, list[str]] = {"zh": [], "en": []}
    for fact in facts:
        if fact.kind in ("target", "deadline"):
            continue
        names = benefit_names(fact, claims, spec, shared)
        for lang in pool:
            pool[lang] += [n for n in names[lang] if n not in pool[lang]]
    return pool


def _fill(template: str, lang: str, pool: dict[str, list[str]], places: dict[str, list[str]], key: str,
          yue: Cantonese) -> str:
    side = "en" if lang == "en" else "zh"
    name = pick(pool[side], key, "name") if pool[side] else ""
    where = places.get(side) or [""]
    place = pick(where, key, "place")
    place2 = pick([p for p in where if p != place] or where, key, "place2")
    text = template.format(name=name, place=place, place2=place2)
    return yue.from_mandarin(text) if lang == "yue" else text


def generate_parts(spec: IntentSpec, facts: Sequence[Fact], claims: ClaimRules | None, benefit_samples: list[Sample],
                   rounds: int = 4) -> list[PartSample]:
    """Part variants, and "answer" variants: ``part_answer`` and the benefit variants asking what the plan
    answers (amounts, durations, conditions, validity, the plan's topics)."""
    yue = Cantonese(spec.cantonese, spec.cantonese_keep)
    pool = _names(spec, facts, claims)
    places = {"zh": list(spec.ranked_places.zh), "en": list(spec.ranked_places.en)}
    out: list[PartSample] = []
    parts = {**spec.parts, ANSWER: spec.part_answer}
    for part, terms in parts.items():
        for lang in LANGS:
            own = [(t, f"{part}|{lang}|{i}") for i, t in enumerate(getattr(terms, lang))]
            if lang == "yue":  # Mandarin templates said the Cantonese way; the same template group as the Mandarin one
                own += [(t, f"{part}|zh|{i}") for i, t in enumerate(terms.zh) if i % 2 == 0]
            for template, group in own:
                for r in range(rounds):
                    key = f"{group}|{lang}|{r}"
                    text = _fill(template, lang, pool, places, key, yue)
                    for variant in transforms(text, lang, spec, key)[min(r, 1):]:
                        out.append(PartSample(variant, part, group))
                if "{name}" in template:  # the part asked of a benefit named before ("and what collateral?")
                    pronoun = pick(getattr(spec.pronouns, lang) or [""], group, "pronoun")
                    bare = template.replace("the {name}", "{name}").replace("{name}", pronoun)
                    bare = re.sub(r"\s+", " ", _fill(bare, lang, pool, places, group, yue)).strip(" :,，")
                    out += [PartSample(v, part, group) for v in transforms(bare, lang, spec, group + "|bare")]
    for b in benefit_samples:
        if b.attribute in ANSWERED_ATTRIBUTES or b.benefit.startswith(TOPIC):
            group = "answer|" + re.sub(r"\W+", "", b.text)[:6]
            if pick([0, 1, 1], b.text, "keep"):  # two in three: the answer class need not outweigh the parts
                out.append(PartSample(b.text, ANSWER, group))
    seen: set[tuple[str, str]] = set()
    unique: list[PartSample] = []
    for s in out:
        if (s.text, s.part) not in seen:
            seen.add((s.text, s.part))
            unique.append(s)
    return unique
