"""The caller's language for an error message, from ``Accept-Language`` (zh-Hant, zh or en)."""

from __future__ import annotations

_HANT = ("zh-hant", "zh-tw", "zh-hk", "zh-mo", "yue")


def preferred(accept_language: str | None) -> str:
    """'zh-Hant', 'zh' or 'en': the first of those the header names, by its order and q-values."""
    ranked = []
    for n, part in enumerate((accept_language or "")[:500].split(",")):
        tag, _, params = part.strip().lower().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag.startswith(_HANT):
            ranked.append((-q, n, "zh-Hant"))
        elif tag.startswith("zh"):
            ranked.append((-q, n, "zh"))
        elif tag.startswith("en") or tag == "*":
            ranked.append((-q, n, "en"))
    ranked = [r for r in ranked if r[0] < 0]
    return min(ranked)[2] if ranked else "en"


def pick(accept_language: str | None, **messages: str) -> str:
    """``pick(header, en=..., zh=..., zh_Hant=...)``: the message in the caller's language."""
    lang = preferred(accept_language).replace("-", "_")
    return messages.get(lang) or messages["en"]
