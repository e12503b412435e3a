"""Figures as a reader sees them: "100,000 yuan", "36 months", "60%", "2026-01-01" (warnings, the retry prompt,
the fact records' checks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.knowledge.figures import Figure

def _num(v: float) -> str:
    if v != v or abs(v) == float("inf"):
        return "an impossibly large number"
    return f"{int(v):,}" if v == int(v) else f"{v:,.4f}".rstrip("0").rstrip(".")


def format_figure(fig: Figure | tuple[str, float]) -> str:
    """Figure or (unit, value) key -> "100,000 yuan", "36 months", "60%"."""
    unit, value = fig if isinstance(fig, tuple) else fig.key
    if unit == "yuan":
        return f"{_num(value)} yuan"
    if unit == "%":
        return f"{_num(value)}%"
    if unit in ("month", "day", "hour"):
        return f"{_num(value)} {unit}{'' if value == 1 else 's'}"
    if unit in ("m2", "km2"):
        return f"{_num(value)} {unit[:-1]}²"
    if unit in ("mu", "ping", "acre", "sqft", "km", "m", "kg", "minute", "second"):
        return f"{_num(value)} {unit}"
    if unit in ("usd", "hkd", "eur", "gbp", "jpy"):
        return f"{_num(value)} {unit.upper()}"
    if unit == "year":
        return str(int(value))
    if unit == "date":
        v = int(value)
        if v >= 10**7:
            return f"{v // 10000:04d}-{v // 100 % 100:02d}-{v % 100:02d}"
        return f"{v // 100:04d}-{v % 100:02d}" if v >= 10**5 else f"{v // 100:02d}-{v % 100:02d}"
    return _num(value)
