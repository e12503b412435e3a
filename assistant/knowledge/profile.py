"""The founder profile's fields as data: ``profile.yaml`` of the corpus folder (``OPC_CORPUS_DIR``, else the
built-in one) declares each field's type, range and description; ``FounderProfile`` (assistant/types.py) is
built from it when the package loads, so a new benefit condition is a YAML change, not a Python one."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, create_model, field_validator

from assistant.errors import CorpusError
from assistant.settings import BUILTIN_CORPUS, corpus_folder

FieldType = Literal["bool", "int", "year", "choice", "text"]
TYPES: tuple[FieldType, ...] = get_args(FieldType)


class FieldSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: FieldType
    description: str
    values: list[str] | None = None
    min: int | None = None
    max: int | None = None


class ProfileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fields: dict[str, FieldSpec]
    form: list[tuple[str, str]] = Field(default_factory=list)


def profile_file() -> Path:
    own = corpus_folder() / "profile.yaml"
    return own if own.is_file() else BUILTIN_CORPUS / "profile.yaml"


@lru_cache(maxsize=4)
def load_profile_spec(path: Path | None = None) -> ProfileSpec:
    """The declared fields, validated: a bad type, a choice without values or a form line naming no bool
    field fails with the file named."""
    path = path or profile_file()
    try:
        spec = ProfileSpec.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read the profile fields ({exc}).") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CorpusError(f"{path}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    for name, f in spec.fields.items():
        if not name.isidentifier() or name.startswith("_"):
            raise CorpusError(f"{path}: {name!r} is not a field name")
        if (f.type == "choice") != bool(f.values):
            raise CorpusError(f"{path}: {name}: `values` belong to (and are needed by) type choice")
    for name, _label in spec.form:
        if spec.fields.get(name) is None or spec.fields[name].type != "bool":
            raise CorpusError(f"{path}: form: {name!r} is not a bool field")
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
