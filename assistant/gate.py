"""The numeric grounding gate: runs on every LLM answer before the user sees it.

It rejects citation numbers that point to no source, any figure that no cited source holds
(after normalisation: 10万元 = 100,000 yuan), answers without citations, and answers in the
wrong language or script. A refusal may cite nothing but must state no figure the sources lack.
"""

from __future__ import annotations

import re

from .figures import format_figure, ungrounded_figures
from .text import detect_language
from .types import Citation

_MARKER = re.compile(r"\[(\d{1,3})\]")


def cited_numbers(text: str) -> list[int]:
    seen: list[int] = []
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if n not in seen:
            seen.append(n)
    return seen


def check(text: str, answered: bool, sources: dict[int, Citation], lang: str) -> list[str]:
    """Problems found in an answer (empty when it may be shown)."""
    problems: list[str] = []
    if not text.strip():
        return ["the answer is empty"]
    markers = cited_numbers(text)
    invalid = [n for n in markers if n not in sources]
    if invalid:
        problems.append("citation " + ", ".join(f"[{n}]" for n in invalid) + " points to no source")
    if answered and not [n for n in markers if n in sources]:
        problems.append("the answer cites no source")
    pool = [sources[n] for n in markers if n in sources] if answered else list(sources.values())
    texts = [t for c in pool for t in (c.text, c.parallel_text) if t]
    missing = ungrounded_figures(text, texts)
    if missing:
        problems.append("figures not in a cited source: " + ", ".join(format_figure(f) for f in missing))
    got = detect_language(_MARKER.sub("", text))
    if got != lang:
        problems.append(f"the answer is in {got}, not {lang}")
    return problems
