"""The founder's profile a message tells (assistant/understanding/frame.py reads the message): degree,
graduation year and overseas study (corpus/questions.yaml's profile words), the team size and where the founder
comes from."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from assistant.knowledge.claims import Matcher, fold
from assistant.knowledge.numerals import small_int

if TYPE_CHECKING:
    from assistant.knowledge.places import Gazetteer
    from assistant.understanding.questions import QuestionRules

_YEAR = re.compile(r"(?<![0-9])((?:19|20)\d\d)(?![0-9])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TEAM_ZH = re.compile(r"(?:团队|我们|我哋|team)[^，。？]{0,6}?([一二两三四五六七八九十\d]{1,2})\s*(?:个人|人)")
_TEAM_EN = re.compile(r"(?:we(?:'re| are)|team of)\s+(two|three|four|five|six|\d{1,2})(?:\s+people)?", re.I)


def founder_profile(text: str, background: list[str], questions: QuestionRules | None, places: Gazetteer | None,
                    today: date, graduation: Matcher) -> dict[str, Any]:
    """The founder's profile from the whole message (degree, graduation year, overseas study …), the team size
    and where the founder comes from (the first place of the story)."""
    out: dict[str, Any] = dict(questions.profile_from(text, today)) if questions is not None else {}
    for part in background:  # a year written beside the graduation is the graduation year
        years = [int(y) for y in _YEAR.findall(part)]
        if years and graduation.find(fold(part)):
            out["graduation_year"] = years[0]
            break
    grad = out.get("graduation_year")
    if grad is not None and grad > today.year:
        out.pop("graduation_year")
    for rx in (_TEAM_ZH, _TEAM_EN):
        m = rx.search(fold(text))
        if m:
            raw = m.group(1)
            n = small_int(raw)
            if n:
                out["team_size"] = n
            break
    if places is not None and background:
        found = places.find(" ".join(background))
        if found:
            out["origin"] = found[0].zh if _CJK.search(text) else found[0].en
    return out
