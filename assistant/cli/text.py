"""What the terminal shows around answers and eligibility tables: wrapping that never splits a figure, and
the eligibility table's words in the chosen language."""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Text

from assistant.understanding.text import localise

# A figure with its unit is one unit of wrapping: "1250元", "1,250 yuan", "60%", "最高60万元", "24个月".
_FIGURE = re.compile(r"[¥$]?\d[\d,.]*(?:\s?(?:%|‰|万元|亿元|元|万|亿|个月|月|年|天|平方米|yuan|million|billion|"
                     r"months?|years?|days?|per cent|percent|sq\.? ?m))?", re.IGNORECASE)
_UNIT = re.compile(rf"{_FIGURE.pattern}|[A-Za-z][A-Za-z'’\-]*[,.;:!?)]?\s*|\s+|.", re.IGNORECASE)


def wrap_keeping_figures(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` cells, between words or CJK characters but never
    inside a figure with its unit (rich folds a line of Chinese anywhere, "125" / "0元")."""
    width = max(width, 4)
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _UNIT.findall(paragraph):
            if line and cell_len(line + unit.rstrip()) > width:
                lines.append(line.rstrip())
                unit = unit.lstrip()
                line = ""
            line += unit
        lines.append(line.rstrip())
    return "\n".join(lines)


class Wrapped:
    """Text that rich lays out with ``wrap_keeping_figures`` at whatever width it is given (a panel, a table
    cell): Chinese breaks between characters, English between words, never inside a figure."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text, self.style = text, style

    def __rich_measure__(self, console, options):
        widest = max((cell_len(u.strip()) for u in _UNIT.findall(self.text)), default=1)
        longest = max((cell_len(line) for line in self.text.split("\n")), default=1)
        return Measurement(min(max(widest, 1), options.max_width), min(longest, options.max_width))

    def __rich_console__(self, console, options):
        yield Text(wrap_keeping_figures(self.text, options.max_width), style=self.style, no_wrap=True,
                   overflow="ignore")


def answer_text(text: str) -> Wrapped:
    return Wrapped(text)


TABLE: dict[str, dict[str, Any]] = {
    "en": {"title": "What can I get? ({n} of {total})", "benefit": "benefit", "amount": "amount",
           "issuer": "issuer", "clause": "clause", "why": "why / still needed",
           "marks": {"met": "[green]✓ fits[/]", "unknown": "[yellow]? to decide[/]", "not_met": "[red]✗ ruled out[/]"},
           "tell": "tell us: ", "confirm": "confirm with the issuer: ", "choose": "choose one: “{a}” or “{b}”",
           "sep": "; "},
    "zh": {"title": "我能拿到什么？（显示 {n} 项，共 {total} 项）", "benefit": "福利", "amount": "金额",
           "issuer": "发布部门", "clause": "条款", "why": "原因 / 尚需",
           "marks": {"met": "[green]✓ 符合[/]", "unknown": "[yellow]? 待确认[/]", "not_met": "[red]✗ 不符合[/]"},
           "tell": "尚需告知：", "confirm": "需向发布部门确认：", "choose": "二选一：“{a}”与“{b}”只能享受其中一项",
           "sep": "；"},
}


def table_words(lang: str) -> dict:
    """The eligibility table's words for en, zh or zh-Hant (Traditional derived, Taiwan's standard forms)."""
    if lang == "en":
        return TABLE["en"]
    words = TABLE["zh"]
    if lang != "zh-Hant":
        return words
    return {k: ({m: localise(t, lang) for m, t in v.items()} if isinstance(v, dict) else localise(v, lang))
            for k, v in words.items()}
