"""The founder profile's fields as data: ``profile.yaml`` of the corpus folder (``OPC_CORPUS_DIR``, else the
built-in one) declares each field's type, range and description and the words every reader sees for it (label,
asking words, options, how an answer restates it); ``FounderProfile`` (assistant/types.py) is built from it when
the package loads, so a new benefit condition is a YAML change, not a Python one."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator

from assistant.errors import CorpusError
from assistant.knowledge.rules_file import read_spec
from assistant.settings import BUILTIN_CORPUS, corpus_folder
from assistant.understanding.text import base_lang, for_reader

FieldType = Literal["bool", "int", "year", "choice", "text"]
TYPES: tuple[FieldType, ...] = get_args(FieldType)


class Words(BaseModel):
    """The same words in Simplified Chinese and English (Traditional is derived for its readers)."""

    model_config = ConfigDict(extra="forbid")
    zh: str
    en: str

    def said(self, lang: str) -> str:
        text = getattr(self, base_lang(lang))
        return for_reader(text) if lang == "zh-Hant" else text


class FieldSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: FieldType
    description: str = Field(description="The field's meaning, for the API schema (English).")
    values: list[str] | None = Field(None, description="A choice's values, ordered low to high.")
    min: int | None = None
    max: int | None = None
    label: Words = Field(description="The field's control on the chat page and in the CLI.")
    ask: Words = Field(description="The words asking for the field when a benefit still needs it.")
    placeholder: Words | None = Field(None, description="An example shown in an empty text box.")
    options: dict[str, Words] | None = Field(None, description="A choice's values in the order shown, with words.")
    told: dict[bool | str, Words] = Field(default_factory=dict, description="How an answer restates a value "
                                          "the founder told (a bool's true/false, a choice's values).")


class ProfileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fields: dict[str, FieldSpec]
    needs: dict[str, Words] = Field(default_factory=dict, description="Words for what the check needs but no "
                                                                      "field answers.")

    def ask(self, name: str, lang: str) -> str:
        """The words asking for ``name`` (a profile field or one of ``needs``), never its id."""
        words = self.fields[name].ask if name in self.fields else self.needs[name]
        return words.said(lang)

    def label(self, name: str, lang: str) -> str:
        return self.fields[name].label.said(lang)

    def told(self, profile: BaseModel, lang: str) -> list[str]:
        """What the founder told, restated in words, for the fields that have them."""
        said = []
        for name, value in profile.model_dump(exclude_none=True).items():
            words = self.fields[name].told.get(value) if name in self.fields else None
            if words is not None:
                said.append(words.said(lang))
        return said


def profile_file() -> Path:
    own = corpus_folder() / "profile.yaml"
    return own if own.is_file() else BUILTIN_CORPUS / "profile.yaml"


@lru_cache(maxsize=4)
def load_profile_spec(path: Path | None = None) -> ProfileSpec:
    """The declared fields, validated: a bad type, a choice without values or a form line naming no bool
    field fails with the file named."""
    path = path or profile_file()
    spec = read_spec(path, ProfileSpec, "the profile fields")
    for name, f in spec.fields.items():
        if not name.isidentifier() or name.startswith("_"):
            raise CorpusError(f"{path}: {name!r} is not a field name")
        if (f.type == "choice") != bool(f.values):
            raise CorpusError(f"{path}: {name}: `values` belong to (and are needed by) type choice")
        if f.type == "choice" and set(f.options or {}) != set(f.values or []):
            raise CorpusError(f"{path}: {name}: `options` must give words for each of `values` {f.values}")
        allowed = {True, False} if f.type == "bool" else set(f.values or [])
        if set(f.told) - allowed:
            raise CorpusError(f"{path}: {name}: `told` words for values it cannot take: "
                              f"{sorted(map(str, set(f.told) - allowed))}")
    return spec


def _not_future(cls: type[BaseModel], value: int | None, info: ValidationInfo) -> int | None:
    if value is not None and value > date.today().year:
        raise ValueError(f"{info.field_name} {value} is in the future (this year is {date.today().year})")
    return value


def build_profile_model(spec: ProfileSpec) -> type[BaseModel]:
    """The pydantic model of a founder profile, every field optional."""
    fields: dict[str, Any] = {}  # name -> (type, FieldInfo), as create_model takes them
    for name, f in spec.fields.items():
        if f.type == "text":  # free words (a place): bounded, never empty
            fields[name] = (str | None, Field(None, min_length=1, max_length=f.max or 200, description=f.description))
            continue
        kind = {"bool": bool, "int": int, "year": int}.get(f.type) or Literal[tuple(f.values or ())]
        fields[name] = (kind | None, Field(None, ge=f.min, le=f.max, description=f.description))
    years = [n for n, f in spec.fields.items() if f.type == "year"]
    # create_model's stub wants plain callables; pydantic takes the classmethod field_validator returns
    validators: dict[str, Any] = {"_not_future": field_validator(*years)(classmethod(_not_future))} if years else {}
    model = create_model("FounderProfile", __config__=ConfigDict(extra="forbid"), __validators__=validators,
                         __module__="assistant.types", **fields)
    model.__doc__ = "What a founder tells us about themselves; every field optional (unknown stays unknown)."
    return model
