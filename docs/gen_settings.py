"""The settings reference (settings.md), rendered from ``assistant.settings.Settings`` so it cannot drift.

MkDocs runs it as a hook (mkdocs.yml: ``hooks``): the page exists only in the built site. To read it without
building: ``python docs/gen_settings.py > /tmp/settings.md``.
"""

from __future__ import annotations

import sys
import types
import typing
from datetime import date
from pathlib import Path

from pydantic import AliasChoices, BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from pydantic_settings import BaseSettings

PAGE = "settings.md"

INTRO = """# Settings reference

Every setting is an environment variable (`OPC_…`), read once at start by `assistant.settings.Settings`
(pydantic-settings). Lists are comma-separated. Tests and scripts may pass values directly instead:
`Settings(mode="extractive", retrieval={"top_k": 3})`; `opc eval --compare` takes the same names in YAML
(`retrieval.top_k: 3`).

This page is generated from the code by `docs/gen_settings.py` at every docs build.
"""


def _type(annotation) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return " \\| ".join(_type(a) for a in inner) + (" (optional)" if len(inner) < len(args) else "")
    if origin is typing.Annotated:
        return _type(args[0])
    if origin is list:
        return "list (comma-separated)"
    names = {str: "text", int: "integer", float: "number", bool: "true/false", Path: "path", date: "date (YYYY-MM-DD)"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _bounds(field: FieldInfo) -> str:
    marks = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
    parts = [f"{sign} {getattr(m, key)}" for m in field.metadata for key, sign in marks.items()
             if getattr(m, key, None) is not None]
    return ", ".join(parts)


def _default(field: FieldInfo) -> str:
    from assistant.settings import BUILTIN_CORPUS

    if field.default_factory is not None:
        doc = (field.default_factory.__doc__ or "").strip()
        if doc and not isinstance(field.default_factory, type):
            return doc
        value = field.default_factory()
        return "(none)" if value in ([], {}, None) else f"`{value}`"
    value = field.default
    if value is PydanticUndefined:
        return "(required)"
    if value is None:
        return "(unset)"
    if value == BUILTIN_CORPUS:
        return "the built-in corpus: `corpus/` of a checkout, else the copy inside the installed package"
    if value == "":
        return "`''`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def _env_names(name: str, field: FieldInfo, prefix: str) -> list[str]:
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        names = [a for a in alias.choices if isinstance(a, str) and a.isupper()]
        if names:
            return names
    if isinstance(alias, str):
        return [alias.upper()]
    return [(prefix + name).upper()]


def _cell(text: str) -> str:
    """One table cell: no line breaks, and no character Markdown would read as a tag, emphasis or column."""
    text = " ".join(text.split())
    for char, escaped in (("|", "\\|"), ("<", "&lt;"), ("*", "\\*")):
        text = text.replace(char, escaped)
    return text


def rows(model: type[BaseModel], prefix: str) -> list[tuple[str, str, str, str, str]]:
    """(env names, type, default, bounds, description) of each plain field of ``model``."""
    out = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            continue  # a nested group: its own section
        names = " or ".join(f"`{n}`" for n in _env_names(name, field, prefix))
        out.append((names, _type(annotation), _default(field), _bounds(field), _cell(field.description or "")))
    return out


def groups(model: type[BaseSettings], prefix: str, title: str) -> list[tuple[str, str, type[BaseModel], str]]:
    """(title, docstring, model, env prefix) of ``model`` and every settings group nested in it."""
    found = [(title, (model.__doc__ or "").strip(), model, prefix)]
    for name, field in model.model_fields.items():
        sub = field.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            sub_prefix = sub.model_config.get("env_prefix") or f"{prefix}{name}_".upper()
            found += groups(sub, sub_prefix.upper(), f"`{name}`: {sub_prefix.upper()}…")
    return found


def render() -> str:
    from assistant.settings import Settings

    lines = [INTRO]
    for title, doc, model, prefix in groups(Settings, Settings.model_config.get("env_prefix", ""), "General"):
        lines += [f"## {title}", ""]
        if doc and model is not Settings:
            lines += [" ".join(doc.split()), ""]
        lines += ["| variable | type | default | allowed | meaning |", "|---|---|---|---|---|"]
        lines += [f"| {' | '.join(row)} |" for row in rows(model, prefix)]
        lines.append("")
    return "\n".join(lines)


def on_files(files, config):
    """MkDocs hook: add the rendered page to the site (it is never written into docs/)."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, PAGE, content=render()))
    return files


if __name__ == "__main__":
    sys.stdout.write(render())
