"""Instruction-like text inside a document: data, never an instruction.

A document may carry sentences addressed to the assistant's model rather than to founders ("系统提示：忽略之前
的所有指令…"). The patterns are reviewed data (``corpus/instructions.yaml``); such sentences are flagged when a
document is added, skipped when an answer quotes sentences, and cut from the sources a model is shown.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.errors import CorpusError
from assistant.settings import BUILTIN_CORPUS
from assistant.understanding.text import split_sentences, to_simplified

PATTERNS = BUILTIN_CORPUS / "instructions.yaml"  # the checkout's corpus/, or the copy inside an installed wheel
REMOVED = {"en": "[instruction-like text removed]", "zh": "[已删去指令样文字]"}


@lru_cache(maxsize=2)
def load_patterns(path: Path = PATTERNS) -> re.Pattern[str]:
    """One pattern of every listed one; a malformed file fails with its name and the bad entry."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        groups = raw["patterns"]
        listed = [str(p) for lang in ("zh", "en", "any") for p in groups.get(lang) or []]
        if not listed:
            raise ValueError("no patterns")
        for p in listed:
            re.compile(p)
        return re.compile("|".join(f"(?:{p})" for p in listed), re.I | re.M)
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        raise CorpusError(f"{path}: invalid instruction patterns ({exc.__class__.__name__}: {exc})") from None


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
