"""The founder's profile across a conversation: merged turn by turn (later turns win field by field, so a correction,
"sorry, I meant a master's", replaces what was told), and rendered in the founder's own terms from
corpus/questions.yaml when a follow-up asks whether they qualify ("can I get it?"), never from cut-off text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pydantic import ValidationError

from assistant.knowledge.claims import fold
from assistant.types import FounderProfile

if TYPE_CHECKING:
    from assistant.understanding.questions import QuestionRules


def merged(profile: FounderProfile, told: Mapping[str, object]) -> FounderProfile:
    """``profile`` with what a turn tells on top, field by field (a value that does not validate is left out)."""
    values = profile.model_dump(exclude_none=True)
    for name, value in told.items():
        try:
            values = FounderProfile.model_validate({**values, name: value}).model_dump(exclude_none=True)
        except ValidationError:
            continue
    return FounderProfile.model_validate(values)


def told_in_words(rules: QuestionRules | None, question: str, profile: FounderProfile, lang: str) -> str:
    """The founder's situation, in the words questions.yaml matches, when the follow-up asks whether they
    qualify and tells nothing new itself ("can I get it?")."""
    values = profile.model_dump(exclude_none=True)
    if rules is None or not values or rules.profile_from(question):
        return ""
    folded = fold(question)
    if not (rules.eligibility.find(folded) and rules.first_person.find(folded)):
        return ""
    words = []
    for fname, value in values.items():
        key = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
        terms = rules.spec.story.get(fname, {}).get(str(key))
        if terms is not None:
            pick = (terms.en if lang == "en" else terms.zh) or terms.en or terms.zh
            if pick:
                words.append(pick[0])
    year, grad = values.get("graduation_year"), rules.spec.graduation
    if year and (grad.en if lang == "en" else grad.zh):  # in the graduation words questions.yaml reads
        words.append(f"{grad.en[0]} in {year}" if lang == "en" else f"{year}年{grad.zh[0]}")
    return ("I " if lang == "en" else "我") + ", ".join(words) if words else ""
