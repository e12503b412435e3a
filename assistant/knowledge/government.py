"""The deployment's ``government.yaml``: which file it is, and its one validated loader (ingestion rules,
the places documents govern, levels and types). The gazetteer (``places.py``) and ingestion read it here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.knowledge.rules_file import read_rules
from assistant.settings import BUILTIN_CORPUS, corpus_folder


def government_file(path: Path | str | None = None) -> Path:
    """The deployment's ``government.yaml``: the given one, else the corpus folder's (``OPC_CORPUS_DIR``),
    else the built-in one."""
    if path is not None:
        return Path(path)
    own = corpus_folder() / "government.yaml"
    return own if own.is_file() else BUILTIN_CORPUS / "government.yaml"


def load_government(path: Path | str | None = None) -> dict[str, Any]:  # the YAML mapping, its places checked
    """The one loader of ``government.yaml`` (ingestion rules, places, levels and types); a missing or
    malformed file fails with its name."""
    return _load_government(government_file(path))


class GovernmentPlace(BaseModel):
    model_config = ConfigDict(extra="allow")
    zh: str = Field(description="The place's Chinese name (its key).")

    @field_validator("zh")
    @classmethod
    def _named(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("every place needs a 'zh' name")
        return v


class GovernmentSpec(BaseModel):
    """government.yaml as read here: its places checked; every other part kept as written for its own reader."""
    model_config = ConfigDict(extra="allow")
    places: list[GovernmentPlace] = Field(default_factory=list, description="The places documents govern.")


@lru_cache(maxsize=8)
def _load_government(path: Path) -> dict[str, Any]:
    return read_rules(path, GovernmentSpec, "the government data", lambda spec: spec.model_dump(exclude_unset=True))
