"""Reading a reviewed YAML file of domain rules into its pydantic model: one place that turns every way the file
can be wrong (missing, unreadable, not YAML, failing validation, a bad pattern) into a CorpusError naming the file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assistant.errors import CorpusError

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


def read_spec(path: Path | str, model: type[M], what: str) -> M:
    """``path`` validated as ``model``; ``what`` names the file's content for the message ("the claim rules")."""
    return read_rules(path, model, what, lambda spec: spec)


def read_rules(path: Path | str, model: type[M], what: str, build: Callable[[M], R]) -> R:
    """``build`` turns the validated spec into the rules object; a ValueError or a bad regular expression it raises
    is the file's fault too."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return build(model.model_validate(raw or {}))
    except FileNotFoundError:
        raise CorpusError(f"{path}: {what} missing") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path} is not valid UTF-8 YAML: {exc}") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read {what} ({exc}).") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the whole file"
        raise CorpusError(f"{path}: {where}: {first['msg']}") from None
    except (ValueError, re.error) as exc:
        raise CorpusError(f"{path}: {exc}") from None
