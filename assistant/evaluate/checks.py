"""Deterministic per-case checks: pure functions of an answer and its golden case.

Each returns True/False, or None when the check does not apply to the case (a refusal has no
figures to state); None is never counted as a pass or a failure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from assistant.ingest.govdoc import is_furniture
from assistant.knowledge.figures import normalise, ungrounded_figures
from assistant.understanding.text import detect_language

_MARKER = re.compile(r"\[\d{1,3}\]")  # citation markers carry no figure and no language


def refusal_correct(expected_answerable: bool, answerable: bool) -> bool:
    """The assistant answered exactly when the plan answers the question."""
    return expected_answerable == answerable


def figures_present(expected: Sequence[str], answer_text: str) -> bool | None:
    """Every expected figure is stated, after normalisation (10万元 = 100,000 yuan = 0.1 million yuan)."""
    if not expected:
        return None
    stated = normalise(answer_text)
    return all(normalise(str(f)) <= stated for f in expected)


def figures_grounded(answer_text: str, cited_texts: Iterable[str]) -> bool:
    """Every figure the answer states is held by a clause it cites (in either language)."""
    return not ungrounded_figures(_MARKER.sub("", answer_text), [t for t in cited_texts if t])


def citation_expected(expected: Sequence[str], cited: Sequence[str]) -> bool | None:
    """At least one cited clause is among the expected ones."""
    if not expected:
        return None
    return bool(set(expected) & set(cited))


def language_correct(expected: str, answer_language: str, answer_text: str) -> bool:
    """The answer is labelled and written in the question's language and script."""
    written = detect_language(_MARKER.sub("", answer_text))
    return answer_language == expected and written == expected


def same_figures(texts: Sequence[str], expected: Iterable[str] = ()) -> bool | None:
    """The answers to one question asked in several languages state the same figures.

    With ``expected`` figures, only those are compared: a further sentence quoted in one language
    but not the other may add figures without making the answers disagree on the one asked for.
    """
    if len(texts) < 2:
        return None
    core = set().union(*(normalise(str(f)) for f in expected)) if expected else None
    stated = [normalise(t) & core if core is not None else normalise(t) for t in texts]
    return all(s == stated[0] for s in stated[1:])


def recall_at(ranking: Sequence[str], expected: Sequence[str], k: int) -> float | None:
    """1.0 when an expected clause is among the first k retrieved, else 0.0."""
    if not expected:
        return None
    return 1.0 if set(ranking[:k]) & set(expected) else 0.0


def reciprocal_rank(ranking: Sequence[str], expected: Sequence[str]) -> float | None:
    """1 / rank of the first expected clause retrieved (0.0 when none is)."""
    if not expected:
        return None
    wanted = set(expected)
    return next((1.0 / i for i, cid in enumerate(ranking, 1) if cid in wanted), 0.0)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear-interpolated percentile (numpy's default method); None for no values."""
    xs = sorted(values)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100
    lo = math.floor(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def share(values: Iterable[bool | float | None]) -> tuple[float | None, int, int]:
    """(mean, n, nan) over the values that apply: NaN counts as a failure (0), never dropped."""
    applied = [v for v in values if v is not None]
    nan = sum(1 for v in applied if isinstance(v, float) and math.isnan(v))
    if not applied:
        return None, 0, 0
    total = sum(0.0 if (isinstance(v, float) and math.isnan(v)) else float(v) for v in applied)
    return total / len(applied), len(applied), nan


def citations_clean(cited_texts: Iterable[str], forbidden: Sequence[str] = ()) -> bool:
    """No cited text holds page furniture: no line of it is an info line, footer, page number or 版记 line
    (the ingestion rules, ``corpus/government.yaml``), and none contains a string the case forbids."""
    for text in cited_texts:
        if any(is_furniture(line) for line in re.split(r"\n+", text) if line.strip()):
            return False
        if any(f in text for f in forbidden):
            return False
    return True


def own_words(answer) -> str:
    """The answer without its quotes of documents that exist only in the other language (those are quoted
    as published, introduced by a note in the question's language): what the language check reads."""
    foreign = {c.n for c in answer.citations if getattr(c, "source_language", None)}
    if not foreign:
        return answer.answer
    pieces = re.findall(r".+?(?:\[(\d+)\]|$)", answer.answer, flags=re.S)
    parts = re.findall(r".+?(?:\[\d+\]|$)", answer.answer, flags=re.S)
    kept = [p for p, n in zip(parts, pieces) if not (n and int(n) in foreign)]
    return "".join(kept) or answer.answer
