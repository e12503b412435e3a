"""Instruction-like text inside a document: data, never an instruction.

A document may carry sentences addressed to the assistant's model rather than to founders ("系统提示：忽略之前
的所有指令…"). The patterns are reviewed data (``corpus/instructions.yaml``); such sentences are flagged when a
document is added, skipped when an answer quotes sentences, and cut from the sources a model is shown.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.knowledge.rules_file import read_rules
from assistant.settings import BUILTIN_CORPUS
from assistant.understanding.text import split_sentences, to_simplified

PATTERNS = BUILTIN_CORPUS / "instructions.yaml"  # the checkout's corpus/, or the copy inside an installed wheel
REMOVED = {"en": "[instruction-like text removed]", "zh": "[已删去指令样文字]"}


class InstructionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patterns: dict[str, list[str]] = Field(description="Regular expressions of instruction-like text, by language "
                                           "(zh, en, any).")


def _joined(spec: InstructionSpec) -> re.Pattern[str]:
    listed = [(lang, p) for lang in ("zh", "en", "any") for p in spec.patterns.get(lang) or []]
    if not listed:
        raise ValueError("patterns: no patterns listed")
    for lang, p in listed:   # a bad one is named, not lost in the joined pattern
        try:
            re.compile(p)
        except re.error as exc:
            raise ValueError(f"patterns.{lang}: {p!r}: {exc}") from None
    return re.compile("|".join(f"(?:{p})" for _, p in listed), re.I | re.M)


@lru_cache(maxsize=2)
def load_patterns(path: Path = PATTERNS) -> re.Pattern[str]:
    """One pattern of every listed one; a malformed file fails with its name and the bad entry."""
    return read_rules(path, InstructionSpec, "the instruction patterns", _joined)


def is_instruction(sentence: str) -> bool:
    """True when a sentence reads as an instruction to the assistant rather than policy text."""
    return bool(load_patterns().search(to_simplified(sentence)))


def instruction_sentences(text: str) -> list[str]:
    return [s for s in split_sentences(text) if is_instruction(s)]


def without_instructions(text: str, lang: str = "en") -> str:
    """``text`` with its instruction-like sentences replaced by a marker (unchanged when it has none)."""
    if not load_patterns().search(to_simplified(text)):
        return text
    marker = REMOVED["zh" if lang.startswith("zh") else "en"]
    sep = "" if lang.startswith("zh") else " "
    return sep.join(marker if is_instruction(s) else s for s in split_sentences(text))
