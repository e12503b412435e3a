"""The words for each founder-profile field (corpus/profile_fields.yaml): control labels, the words that ask
for a field a benefit still needs, a choice field's options. Validated at load against FounderProfile, so a
field the check can ask about never reaches a reader as its id."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.errors import CorpusError
from assistant.types import FounderProfile
from assistant.understanding.text import base_lang, for_reader


class Words(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zh: str
    en: str

    def said(self, lang: str) -> str:
        text = getattr(self, base_lang(lang))
        return for_reader(text) if lang == "zh-Hant" else text


class FieldWords(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["bool", "choice", "year", "number", "text"]
    label: Words
    ask: Words
    placeholder: Words | None = None
    options: dict[str, Words] | None = None


class ProfileWords(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fields: dict[str, FieldWords]
    needs: dict[str, Words]

    def ask(self, name: str, lang: str) -> str:
        """The words asking for ``name`` (a profile field or one of ``needs``)."""
        words = self.fields[name].ask if name in self.fields else self.needs[name]
        return words.said(lang)

    def label(self, name: str, lang: str) -> str:
        return self.fields[name].label.said(lang)


def _path() -> Path:
    from assistant.settings import BUILTIN_CORPUS

    return Path(BUILTIN_CORPUS) / "profile_fields.yaml"


@lru_cache(maxsize=4)
def profile_words(path: Path | None = None) -> ProfileWords:
    path = Path(path or _path())
    try:
        words = ProfileWords.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise CorpusError(f"{path}: {exc}") from None
    missing = set(FounderProfile.model_fields) - set(words.fields)
    unknown = set(words.fields) - set(FounderProfile.model_fields)
    if missing or unknown:
        raise CorpusError(f"{path}: profile fields without words: {sorted(missing)}; "
                          f"words for no profile field: {sorted(unknown)}.")
    for name, field in words.fields.items():
        if field.kind == "choice" and not field.options:
            raise CorpusError(f"{path}: {name} is a choice with no options.")
    return words
