"""``--compare other-settings.yaml``: a YAML of Settings overrides giving a second configuration.

    retrieval.top_k: 3          # dotted keys ...
    retrieval:                  # ... or nested mappings
      min_dense: 0.78
    mode: extractive
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from assistant.errors import InvalidDataset
from assistant.settings import Settings


def _nest(flat: dict) -> dict:
    out: dict = {}
    for key, value in flat.items():
        if not isinstance(key, str) or not key:
            raise InvalidDataset(f"Settings override keys must be names, got {key!r}.")
        if isinstance(value, dict):
            value = _nest(value)
        node = out
        *parents, leaf = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                raise InvalidDataset(f"Settings override {key!r} conflicts with another key.")
        if isinstance(value, dict) and isinstance(node.get(leaf), dict):
            node[leaf] = {**node[leaf], **value}
        else:
            node[leaf] = value
    return out


def _check_known(overrides: dict, model: type[BaseModel], prefix: str = "") -> None:
    # Settings ignores unknown keys; an override that silently does nothing would compare nothing.
    for key, value in overrides.items():
        field = model.model_fields.get(key)
        if field is None:
            raise InvalidDataset(f"Unknown setting {prefix + key!r}. Known: {', '.join(sorted(model.model_fields))}.")
        sub = field.annotation
        if isinstance(value, dict) and isinstance(sub, type) and issubclass(sub, BaseModel):
            _check_known(value, sub, f"{prefix}{key}.")


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


def load_overrides(path: Path | str) -> dict:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidDataset(f"No settings file at {path}.") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidDataset(f"Cannot read the settings file {path}: {exc}") from None
    if not isinstance(raw, dict) or not raw:
        raise InvalidDataset(f"{path}: expected a YAML mapping of settings, e.g. 'retrieval.top_k: 3'.")
    overrides = _nest(raw)
    _check_known(overrides, Settings)
    return overrides


def apply_overrides(base: Settings, overrides: dict) -> Settings:
    """``base`` with ``overrides`` applied (validated like any Settings).

    A configuration that changes what the index holds (another embedder) gets its own index
    folder inside the data directory, so the two configurations do not rebuild each other's.
    """
    try:
        settings = Settings(**_merge(base.model_dump(), overrides))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidDataset(f"Settings override {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    if settings.index_fingerprint() != base.index_fingerprint() and "data_dir" not in overrides:
        digest = hashlib.sha256(json.dumps(settings.index_fingerprint(), sort_keys=True).encode()).hexdigest()[:12]
        settings = settings.model_copy(update={"data_dir": Path(base.data_dir) / f"compare-{digest}"})
    return settings
