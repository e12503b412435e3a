"""What kind of figure a question asks for, and what kinds a sentence states.

"when" wants a date, "how long" a duration, "which districts" the places the plan names …: data, the
``figure_asks`` of the corpus folder's questions.yaml. Each entry is one part of what is asked; the answer
quotes a sentence stating a figure of each part (assistant/answering/extractive.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.knowledge.figures import extract_figures
from assistant.settings import corpus_folder
from assistant.understanding.questions import load_question_rules

if TYPE_CHECKING:
    from assistant.knowledge.places import Gazetteer
    from assistant.understanding.questions import FigureKind


@lru_cache(maxsize=4)
def figure_asks(path: Path) -> list[tuple[re.Pattern[str], set[FigureKind]]]:
    return load_question_rules(path).figure_asks if path.is_file() else []


def figure_kinds(text: str, places: Gazetteer | None = None) -> set[str]:
    """Kinds of figure a sentence states; a bare year ("by 2027") is a 'year', a day or month a 'date'; two
    places or more named ("Nanshan, Longgang, Futian and Guangming") are 'places'."""
    kinds = {"year" if f.unit == "year" else f.kind for f in extract_figures(text)}
    return kinds | ({"places"} if places is not None and len({p.zh for p in places.find(text)}) >= 2 else set())


def wanted_groups(question: str) -> list[set[str]]:
    """The parts a question asks for, each the figure kinds that answer it ("哪几个区…？面积多少？": places; area)."""
    groups: list[set[str]] = []
    for pattern, kinds in figure_asks(corpus_folder() / "questions.yaml"):
        if pattern.search(question) and set(kinds) not in groups:
            groups.append(set(kinds))
    return groups


def wanted_figures(question: str) -> set[str]:
    """The figure kinds a question asks for (empty when it asks for none)."""
    return set().union(*wanted_groups(question))
