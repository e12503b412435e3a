"""Pydantic validation errors said for a reader, in English or Chinese, naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant.understanding.text import for_reader

# Pydantic's error types, said in Chinese; ``{field}`` is the field's name, the rest comes from the error's ctx.
FIELD_ZH = {
    "missing": "缺少必填字段 {field}。",
    "extra_forbidden": "不认识的字段 {field}。",
    "string_type": "{field} 必须是文字。",
    "string_too_long": "{field} 太长：最多 {max_length} 个字符。",
    "string_too_short": "{field} 太短：至少 {min_length} 个字符。",
    "too_long": "{field} 太多：最多 {max_length} 项。",
    "too_short": "{field} 太少：至少 {min_length} 项。",
    "int_parsing": "{field} 必须是整数。",
    "int_type": "{field} 必须是整数。",
    "bool_parsing": "{field} 必须是 true 或 false。",
    "bool_type": "{field} 必须是 true 或 false。",
    "greater_than_equal": "{field} 不能小于 {ge}。",
    "less_than_equal": "{field} 不能大于 {le}。",
    "greater_than": "{field} 必须大于 {gt}。",
    "less_than": "{field} 必须小于 {lt}。",
    "literal_error": "{field} 只能是 {expected}。",
    "enum": "{field} 只能是 {expected}。",
    "list_type": "{field} 必须是列表。",
    "dict_type": "{field} 必须是对象。",
    "string_pattern_mismatch": "{field} 的格式不对。",
    "value_error": "{field} 的值无效：{detail}",
}


def field_message(error: Mapping[str, Any], lang: str) -> str:
    """One validation error for a reader of ``lang``, naming the field."""
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "header")]
    field = ".".join(loc) or "request"
    if lang == "en":
        return f"Invalid {field}: {error.get('msg', 'invalid value')}."

    ctx = {k: str(v).replace(" or ", " 或 ") for k, v in (error.get("ctx") or {}).items()}
    template = FIELD_ZH.get(error.get("type", ""), "{field} 的值无效。")
    try:
        text = template.format(field=field, **{"detail": error.get("msg", ""), **ctx})
    except (KeyError, IndexError):
        text = f"{field} 的值无效。"
    return for_reader(text) if lang == "zh-Hant" else text
