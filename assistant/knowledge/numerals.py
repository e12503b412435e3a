"""Chinese numerals read once for every reader: figures (一千万), dates (民國一百一十八年, 二〇二六年), the
numbering of a document's parts (第十二条) and financial numerals (壹万贰仟元), plus the small English number words
(one … ten) some readers take beside them."""

from __future__ import annotations

import math

DIGITS = dict(zip("零〇○一二两兩三四五六七八九", (0, 0, 0, 1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9)))
_SECTION = {"十": 10, "百": 100, "千": 1000}
# financial numerals (大写, written on cheques and in budgets), each the everyday numeral it stands for
FINANCIAL = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億", "一二二三三四五六六七八九十百千万亿")
FINANCIAL_CHARS = frozenset("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
EN_NUMBERS = {w: i + 1 for i, w in enumerate("one two three four five six seven eight nine ten".split())}


def cn_value(s: str) -> float | None:
    """一百零五 → 105, 一千二百万 → 12000000, 二〇二六 → 2026 (a year written digit by digit); None for text that
    is not one Chinese numeral, or digits alone that name no number ("三五" is "three to five"). Financial numerals
    read as the numerals they stand for (壹佰零伍 → 105)."""
    if not s:
        return None
    s = s.translate(FINANCIAL)
    if all(c in DIGITS for c in s):
        if len(s) == 1:
            return float(DIGITS[s])
        return float("".join(str(DIGITS[c]) for c in s)) if len(s) == 4 else None
    total = wan = section = num = 0
    for c in s:
        if c in DIGITS:
            num = DIGITS[c]
        elif c in _SECTION:
            section += (num or 1) * _SECTION[c]   # 十 alone is 10
            num = 0
        elif c in "万萬":
            wan, section, num = (wan + section + num) * 10000, 0, 0
        elif c in "亿億":
            total, wan, section, num = (total + wan + section + num) * 10**8, 0, 0, 0
        else:
            return None
    value = total + wan + section + num
    return float(value) if value < 1e300 else float("inf")   # "一万一万…" must not overflow


def cn_int(s: str) -> int | None:
    """An integer written in Arabic digits or as a Chinese numeral; None when ``s`` is neither."""
    if s.isdigit():
        return int(s)
    v = cn_value(s)
    return int(v) if v is not None and math.isfinite(v) else None


def small_int(s: str) -> int | None:
    """A count as a message writes it: Arabic digits, a Chinese numeral (两, 十二) or an English word one … ten."""
    return EN_NUMBERS.get(s.lower()) or cn_int(s)
