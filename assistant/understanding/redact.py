"""Redaction of personal data in a question before it reaches a model or a log.

Finds mainland resident ID numbers, mainland mobile numbers, email addresses (internationalised
ones too: 用户@例子.中国, name@bücher.de) and bank card numbers, and replaces each with a placeholder.
Candidates are validated (an ID's region and birth date, whatever its check digit, since a mistyped ID
is still personal; Luhn for cards) so the plan's figures, dates and ordinary numbers are left alone.
Mobile numbers are matched as people write them: 13912345678, 139-1234-5678, 139 1234 5678,
139.1234.5678, (139)1234-5678, +86 139 1234 5678. Standard library only; full-width characters
(０-９, Ｘ, ＠, ＋, －, （）) are matched too.
"""

from __future__ import annotations

import re
from datetime import date

PLACEHOLDERS = {"id": "[ID]", "phone": "[PHONE]", "email": "[EMAIL]", "card": "[CARD]"}

# Full-width ASCII (U+FF01-FF5E) and the ideographic space fold one-to-one, so offsets in the
# folded text are offsets in the original.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_SEP = r"[ \-]?"
# Local part and domain labels: letters of any script, digits, and the usual punctuation (IDN addresses).
# The top-level domain is ASCII letters, punycode (xn--…), or one of the Chinese-script ones, so that
# "name@example.cn的邮箱" stops at ".cn".
_LOCAL = r"[\w%+\-](?:[\w.%+\-]{0,62}[\w%+\-])?"
_LABEL = r"[^\W_](?:[\w\-]{0,61}[^\W_])?"
_CJK_TLDS = "中国|中國|公司|网络|網絡|香港|台湾|台灣|澳门|澳門|新加坡|在线|网店|集团|政务|公益|手机|移动"
_EMAIL = re.compile(rf"(?<![\w.%+\-])(?P<local>{_LOCAL})@(?:{_LABEL}\.)+"
                    rf"(?:[A-Za-z]{{2,63}}(?![A-Za-z0-9\-])|xn--[a-z0-9\-]+|(?:{_CJK_TLDS}))")
# 18 characters (6 region, 8 birth date, 3 sequence, 1 check), optionally spaced 6-8-4.
_ID18 = re.compile(rf"(?<![0-9])[0-9]{{6}}{_SEP}[0-9]{{8}}{_SEP}[0-9]{{3}}[0-9Xx](?![0-9])")
_ID15 = re.compile(r"(?<![0-9])[0-9]{15}(?![0-9])")  # legacy: 6 region, YYMMDD, 3 sequence
_CARD = re.compile(rf"(?<![0-9])[0-9]{{4}}(?:{_SEP}[0-9]{{4}}){{3}}(?:{_SEP}[0-9]{{1,3}})?(?![0-9])")
# Optional +86 / 0086 / 86 prefix (the digit look-behind applies to the number only without one).
_PHONE = re.compile(rf"(?:(?<![0-9])\(?(?:\+|00)?86\)?{_SEP}|(?<![0-9.]))"
                    rf"(?:\(1[3-9][0-9]\){_SEP}[0-9]{{4}}{_SEP}|1[3-9][0-9](?:{_SEP}[0-9]{{4}}{_SEP}|\.[0-9]{{4}}\.))"
                    rf"[0-9]{{4}}(?![0-9]|\.[0-9]|\s?(?:元|万|亿|yuan|RMB))")

_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
              50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}


def _digits(s: str) -> str:
    return s.replace(" ", "").replace("-", "")


def _plausible(region: str, year: int, month: int, day: int) -> bool:
    if int(region[:2]) not in _PROVINCES and region[0] != "9":  # 9xxxxx: foreigners' permanent residence
        return False
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def _valid_id18(s: str) -> bool:
    # The check digit is not required: a mistyped or made-up number in a person's message is still theirs.
    s = _digits(s).upper()
    return _plausible(s[:6], int(s[6:10]), int(s[10:12]), int(s[12:14]))


def _valid_id15(s: str) -> bool:
    return _plausible(s[:6], 1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))


def _luhn(s: str) -> bool:
    digits = [int(c) for c in reversed(_digits(s))]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits))
    return 16 <= len(digits) <= 19 and total % 10 == 0


# Earlier kinds win overlaps: an email may contain a phone number, an ID may pass Luhn.
_RULES = (("email", _EMAIL, None), ("id", _ID18, _valid_id18), ("id", _ID15, _valid_id15),
          ("card", _CARD, _luhn), ("phone", _PHONE, None))


_HAN_THEN_ASCII = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]+(?=[A-Za-z0-9])")


def _lead_words(local: str) -> int:
    """Length of the Chinese words run into an ASCII local part (written without a space before it)."""
    m = _HAN_THEN_ASCII.match(local)
    return m.end() if m and local[m.end():].isascii() else 0


def find_personal_data(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each item of personal data, in order; kind is id/phone/email/card."""
    folded = text.translate(_FOLD)
    found: list[tuple[str, int, int]] = []
    for kind, pattern, valid in _RULES:
        for m in pattern.finditer(folded):
            start, end = m.span()
            if valid and not valid(m.group()):
                continue
            if kind == "email":  # "邮箱zhang@example.com": the address starts after the Chinese words
                start += _lead_words(m.group("local"))
            if any(start < e and s < end for _, s, e in found):
                continue
            found.append((kind, start, end))
    return sorted(found, key=lambda item: item[1])


def redact(text: str) -> str:
    """The text with each item of personal data replaced by [ID], [PHONE], [EMAIL] or [CARD]."""
    for kind, start, end in reversed(find_personal_data(text)):
        text = text[:start] + PLACEHOLDERS[kind] + text[end:]
    return text
