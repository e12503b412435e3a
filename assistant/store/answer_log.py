"""What the answer log tells an operator: the questions the documents could not answer, and the answers
founders marked down, each grouped by normalised question text and counted (newest groups first among equals).

Questions are stored redacted (see feedback.py), so nothing here shows personal data the log does not keep.
"""

from __future__ import annotations

import csv
import io
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from assistant.store.models import answers, feedback
from assistant.understanding.text import to_simplified

if TYPE_CHECKING:
    from assistant.store.feedback import FeedbackStore

MAX_ROWS = 50_000  # newest rows read per report: bounded work however long the log grows
_TRAILING = re.compile(r"[\s?？!！。.,，;；:：~～…]+$")
_SPACES = re.compile(r"\s+")


def normalise(question: str) -> str:
    """One key for the ways one question gets typed: width and case folded, Traditional as Simplified,
    spaces collapsed, closing punctuation dropped."""
    text = to_simplified(unicodedata.normalize("NFKC", question or "")).casefold()
    return _TRAILING.sub("", _SPACES.sub(" ", text).strip())


@dataclass
class Group:
    key: str
    question: str  # the most recent wording
    count: int = 0
    first: float = 0.0
    last: float = 0.0
    languages: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)
    modes: set[str] = field(default_factory=set)

    def add(self, question: str, created: float, language: str | None, mode: str | None) -> None:
        self.count += 1
        if created >= self.last:
            self.last, self.question = created, question
        self.first = created if not self.first else min(self.first, created)
        if language:
            self.languages.add(language)
        if mode:
            self.modes.add(mode)


def _grouped(rows: Iterable[Sequence[Any]]) -> list[Group]:
    groups: dict[str, Group] = {}
    for question, created, language, mode, *comment in rows:
        key = normalise(question)
        if not key:
            continue
        group = groups.setdefault(key, Group(key=key, question=question))
        group.add(question, created, language, mode)
        if comment and comment[0] and len(group.comments) < 5:
            group.comments.append(comment[0])
    return sorted(groups.values(), key=lambda g: (-g.count, -g.last))


def unanswered(store: FeedbackStore, days: float | None = None) -> list[Group]:
    """Questions answered 'answerable: false' (refusals), grouped; ``days``: only the last ``days`` days."""
    store.flush()  # answers still waiting for the background writer count too
    query = (select(answers.c.question, answers.c.created, answers.c.language, answers.c.mode)
             .where(answers.c.answerable.is_(False)).order_by(answers.c.created.desc()).limit(MAX_ROWS))
    if days:
        query = query.where(answers.c.created >= time.time() - days * 86400)
    return _grouped(store.db.run(lambda c: c.execute(query).all()))


def marked_down(store: FeedbackStore, days: float | None = None) -> list[Group]:
    """Answers founders rated 👎, grouped by their question, with up to five comments per group."""
    store.flush()
    query = (select(answers.c.question, feedback.c.created, answers.c.language, answers.c.mode, feedback.c.comment)
             .select_from(feedback.join(answers, feedback.c.answer_id == answers.c.id))
             .where(feedback.c.useful.is_(False)).order_by(feedback.c.created.desc()).limit(MAX_ROWS))
    if days:
        query = query.where(feedback.c.created >= time.time() - days * 86400)
    return _grouped(store.db.run(lambda c: c.execute(query).all()))


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: questions are client input, and a leading = + - @ would run
    as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(groups: list[Group], with_comments: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    head = ["question", "count", "languages", "modes", "first_utc", "last_utc"]
    writer.writerow(head + (["comments"] if with_comments else []))
    for g in groups:
        row = [g.question, g.count, " ".join(sorted(g.languages)), " ".join(sorted(g.modes)), utc(g.first),
               utc(g.last)] + ([" | ".join(g.comments)] if with_comments else [])
        writer.writerow([_cell(v) for v in row])
    return "\ufeff" + out.getvalue()  # a BOM, so spreadsheet programs read the Chinese as UTF-8


def utc(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts)) if ts else ""
