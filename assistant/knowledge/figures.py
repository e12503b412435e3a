"""Figure extraction and normalisation (standard library only).

Every figure an answer states must appear in a cited source.  Sources and
answers mix Chinese and English, so "10万元", "十万元" and "RMB 100,000" must
all reduce to the same comparable key ("yuan", 100000.0).  Extraction works on
a same-length copy of the text (full-width folded, noise blanked out), so spans
always point back into the original string.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from assistant.knowledge.figure_text import format_figure as format_figure  # re-exported from its old home
from assistant.knowledge.numerals import DIGITS
from assistant.knowledge.numerals import cn_value as cn_value  # re-exported: figures' readers use it
from assistant.knowledge.units import AMOUNT_NOUNS, UNITS, Unit, countable, foreign_money


@dataclass(frozen=True)
class Figure:
    kind: str    # money | percent | duration | area | count | date | number
    value: float
    unit: str    # yuan | % | month | day | hour | m2 | km2 | mu | date | year | ""
    text: str
    start: int
    end: int
    scaled: bool = False   # carries its own 万/million: a count so scaled is an amount said without its unit

    @cached_property   # compared with every source figure of every answer
    def key(self) -> tuple[str, float]:
        return (self.unit, _round(self.value))


def _round(v: float) -> float:
    # 0.1 * 1e6 is 100000.00000000001; keys must compare equal anyway.
    if v != v or v in (float("inf"), float("-inf")):
        return v   # a 400-digit "number" overflows: it stays infinite and grounds nothing
    r = round(v, 6)
    return float(round(r)) if abs(r - round(r)) < 1e-9 else r


# --- text preparation: every step keeps the length, so spans stay valid ----
# Traditional-script numerals and measure words fold to Simplified (one character each), so
# answers rendered in Traditional ("10萬元", "36個月") carry the same figures.
_FW = str.maketrans("０１２３４５６７８９％．－萬億兩個圓週禮時鐘間張項條類種場層棟臺輛處屆門戶餘",
                  "0123456789%.-万亿两个元周礼时钟间张项条类种场层栋台辆处届门户余")
# A full-width comma is a thousands separator only inside a proper 1-3 + 3n group.
_FW_COMMA = re.compile(r"(?<![0-9])[0-9]{1,3}(?:，[0-9]{3})+(?![0-9])")
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"

_NOISE = [re.compile(p) for p in (
    r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+",
    r"[A-Za-z0-9_\-./]+\.(?:s?html?|php|aspx?|jsp|pdf|docx?|xlsx?)\b",
    r"\[\^?[0-9]+(?:\s*[,，\-–]\s*[0-9]+)*\]|【[0-9]+】",                 # citations
    r"[(（]\s*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]",         # (4) （四）
    rf"第\s*[0-9,{_CN_NUM}]+",                                             # 第五条: ordinals
    r"(?m)(?:^|(?<=[。；;：:]))[ \t]*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})"
    r"[ \t]*(?:[.)）](?![0-9])|、)",                                        # list numbering
    r"(?i)\b(?:article|clause|section|chapter|item|paragraph|annex|appendix|"
    r"table|figure|fig\.|no\.|phase|stage|round|batch|tier|level|step|part)\s*[0-9]+(?:\.[0-9]+)*",
    r"(?i)\bone[\s-]+person\b|\bone\s+[a-z]+(?:,?\s+(?:and\s+)?one\s+[a-z]+)+",
    r"一人公司|一人企业|一年一度|一站式|一对一|一揽子|一体化"
    r"|一[^\s" + _CN_NUM + r"年月日天元个小周时](?:一[^\s" + _CN_NUM + r"年月日天元个小周时])+",
    # model names and versions: GPT-4, e5-small, Qwen2.5-7B, v0.4.3 (but not RMB100, mid-2026)
    r"(?<![A-Za-z0-9])(?!(?i:rmb|cny|usd|hkd|us)[0-9]|(?i:km|m)2\b)(?!(?i:mid|end|early|late|pre|post|top|by)-)"
    r"[A-Za-z]+[-_]?[0-9][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*",
    r"(?<![0-9.])(?!(?:19|20)[0-9]{2}\.[01]?[0-9]\.)[0-9]+\.[0-9]+\.[0-9]+(?:\.[0-9]+)*",
)]
# Applied after dates, which may legitimately carry "1st".
_NOISE_LATE = [re.compile(p) for p in (
    r"(?<![A-Za-z0-9])[0-9]+(?:st|nd|rd|th|G|D|B|nm|GB|TB|MB|px)\b",
    r"(?<![0-9])[0-9]{1,2}:[0-9]{2}(?![0-9])",                           # clock times
)]


def _blank(m: re.Match[str]) -> str:
    return "".join("\n" if c == "\n" else " " for c in m.group())


def _prepare(text: str) -> str:
    t = text.translate(_FW)
    t = _FW_COMMA.sub(lambda m: m.group().replace("，", ","), t)
    for rx in _NOISE:
        t = rx.sub(_blank, t)
    return t


# --- dates ------------------------------------------------------------------
_MON = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
        r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_Y = r"(?P<y>(?:19|20)[0-9]{2})"
_D = r"(?P<d>[0-3]?[0-9])(?:st|nd|rd|th)?"
_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
# Most specific first; each pass blanks what it took.
_DATES = [re.compile(p) for p in (
    rf"(?<![0-9.]){_Y}(?P<s>[-/.])(?P<m>[01]?[0-9])(?P=s)(?P<d>[0-3]?[0-9])(?![0-9])",
    rf"{_Y}\s*年\s*(?P<m>[01]?[0-9])\s*月(?:\s*(?P<d>[0-3]?[0-9])\s*[日号])?",
    rf"\b{_MON}\s+{_D},?\s+{_Y}\b",
    rf"\b{_D}\s+(?:of\s+)?{_MON},?\s+{_Y}\b",
    rf"(?<![0-9.]){_Y}[-/.](?P<m>0[1-9]|1[0-2])(?![0-9./-])",
    rf"\b{_MON},?\s+(?:of\s+)?{_Y}\b",
    r"(?<![0-9])(?P<m>[01]?[0-9])\s*月\s*(?P<d>[0-3]?[0-9])\s*[日号]",
    rf"\b{_MON}\s+{_D}\b(?!,?\s*[0-9])",
    rf"\b{_D}\s+(?:of\s+)?{_MON}\b",
    r"(?<![0-9个])(?P<m>[01]?[0-9])\s*月(?!\s*[0-9])",   # "6月底": month of no year -> dropped
)]


def _date_value(m: re.Match[str]) -> float | None:
    g = m.groupdict()
    mon = _MONTHS[g["mon"][:3].lower()] if g.get("mon") else int(g["m"])
    y, d = int(g.get("y") or 0), int(g.get("d") or 0)
    if not 1 <= mon <= 12 or d > 31:
        return None
    if y:
        return float(y * 10000 + mon * 100 + d if d else y * 100 + mon)
    return float(mon * 100 + d) if d else 0.0   # 0.0: blank it, emit nothing


def _extract_dates(text: str, t: str, figs: list[Figure]) -> str:
    for rx in _DATES:
        for m in list(rx.finditer(t)):
            v = _date_value(m)
            if v is None:
                continue
            s, e = m.span()
            if v:
                figs.append(Figure("date", v, "date", text[s:e], s, e))
            t = t[:s] + " " * (e - s) + t[e:]
    return t


# --- numbers ----------------------------------------------------------------
_CN_DIG = DIGITS
_EN_NUM = {w: i for i, w in enumerate(
    "_ one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen".split()) if i}
_EN_NUM.update({w: 10 * i for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)})
_EN_NUM.update(hundred=100, thousand=1000)
_EN_ALT = "|".join(sorted(_EN_NUM, key=len, reverse=True))
_CN_MULT = {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}

_TOKEN = re.compile(
    r"(?P<ar>(?<![0-9.])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9]))"
    r"(?P<mult>[ \t]?[余多]?(?:万亿|[千百]?万|亿|[千百](?![0-9])))?"   # "10 万元": machine output spaces
    rf"|(?P<cn>(?<![{_CN_NUM}数几])[一二两三四五六七八九十][{_CN_NUM}]*)"
    rf"|(?P<en>(?i:\b(?:{_EN_ALT})\b(?:[\s-]+(?:{_EN_ALT})\b)*))"
    # "a million", "half a million", "a quarter of a million": an article standing for the number
    r"|(?P<art>(?i:\b(?:half\s+an?|a\s+quarter(?:\s+of\s+an?)?|an?)(?=[\s-]+(?:million|billion|thousand)\b)))")
_ART = {"a": 1.0, "an": 1.0, "half": 0.5, "quarter": 0.25}
# "¥10m", "RMB 2m": a bare "m" means million only right after a currency sign (else it is metres); a capital "M"
# right on the digits ("5M", "1.5M") is million anywhere: metres are written lower-case.
_M_MILLION = re.compile(r"m(?![A-Za-z0-9²])")
_CAPITAL_M = re.compile(r"M(?![A-Za-z0-9²³])")
_EMULT = re.compile(r"(?i)(?:(?P<k>k)(?![A-Za-z])|\s*-?\s*(?P<w>thousand|million|billion|mn|bn)\b)")
_EMULT_VAL = {"k": 1e3, "thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9}

_Unit = Unit
_YEAR: _Unit = ("date", "year", 1, 0)
_COUNT: _Unit = ("count", "", 1, 0)
_MONEY: _Unit = ("money", "yuan", 1, 0)
_CN_YEAR = re.compile(r"\s*年(?![代级龄])")
_CURRENCY = re.compile(r"(?i)(?:rmb|cny|¥|￥|人民币)\s*$")
_MONEY_WORDS = re.compile(r"资助|补贴|补助|奖励|奖补|资金|扶持|贷款|融资|投资|担保|租金|费用|"
                          r"金额|经费|额度|最高|不超过|元")
_NOUN = re.compile(r"(?:[ \t]+|-)([A-Za-z][A-Za-z'’-]*)")
_STOP = set("""a an the and or nor of to in on at by for from with as is are was were be been
being will would shall should may might can could must has have had do does did not no than
that this these those which who whom whose what when where while per via into onto over under
about around above below up down out off after before since until also but if so then each
every any all its it their his her our your we they he she you i there here such both either
neither more less most least only just plus minus and/or yet""".split())
_RANGE = re.compile(r"\s*(?:[-–—~～]{1,2}|至|到)\s*|\s+to\s+")


@dataclass
class _Tok:
    start: int
    end: int            # end of the figure text (number, multiplier, unit)
    base: float
    scale: float = 1.0
    own_scale: bool = False   # carries its own 万/million, so a range must not rescale it
    unit: _Unit | None = None
    word: bool = False        # written in words (一, two): stricter noise rules
    yearlike: bool = False
    wan: bool = False         # scaled by 万/亿, a hint for money without 元
    span: list[int] = field(default_factory=list)  # [start, end], widened by a range


def _en_value(s: str) -> float:
    total = cur = 0
    for w in re.split(r"[\s-]+", s.lower()):
        v = _EN_NUM[w]
        if v == 100:
            cur = (cur or 1) * 100
        elif v == 1000:
            total, cur = total + (cur or 1) * 1000, 0
        else:
            cur += v
    return float(total + cur)


def _read_token(t: str, m: re.Match[str]) -> _Tok | None:
    ar, cn, en = m.group("ar"), m.group("cn"), m.group("en")
    if ar:
        mult = (m.group("mult") or "").lstrip(" \t余多")
        k = _Tok(m.start(), m.end(), float(ar.replace(",", "")))
        if mult:
            k.scale, k.own_scale, k.wan = _CN_MULT[mult], True, "万" in mult or "亿" in mult
        k.yearlike = not mult and ar.isdigit() and len(ar) == 4 and 1900 <= k.base <= 2100
        # "−1,250 yuan": a minus sign standing alone before the number (not a range "5-10") negates it
        if k.start and t[k.start - 1] in "-−" and (k.start < 2 or not t[k.start - 2].isalnum()):
            k.base, k.start = -k.base, k.start - 1
    elif cn:
        v = cn_value(cn)
        if v is None:
            return None
        k = _Tok(m.start(), m.end(), v, word=True, wan="万" in cn or "亿" in cn)
        k.yearlike = len(cn) == 4 and cn[0] in _CN_DIG and 1900 <= v <= 2100
    elif en:
        k = _Tok(m.start(), m.end(), _en_value(en), word=True)
    else:
        art = m.group("art").lower()
        k = _Tok(m.start(), m.end(), _ART["half" if "half" in art else "quarter" if "quarter" in art else "a"],
                 word=True)
    pos = k.end
    if ar and not mult and (_CAPITAL_M.match(t, pos) or _M_MILLION.match(t, pos)
                            and _CURRENCY.search(t, max(0, k.start - 8), k.start)):
        k.scale, k.own_scale, k.yearlike, pos = 1e6, True, False, pos + 1
    if not cn and (em := _EMULT.match(t, pos)) and not (em.group("k") and en):
        k.scale *= _EMULT_VAL[(em.group("k") or em.group("w")).lower()]
        k.own_scale, k.yearlike, pos = True, False, em.end()
    if k.yearlike and (ym := _CN_YEAR.match(t, pos)):
        k.unit, pos = _YEAR, ym.end()
    else:
        for rx, kind, unit, factor, add in UNITS:
            if um := rx.match(t, pos):
                k.unit, pos = (kind, unit, factor, add), um.end()
                break
    if k.unit is None and (fm := foreign_money(t, k.start)):
        k.unit = fm
    if k.unit is None and t.endswith("百分之", 0, k.start):
        k.unit, k.start = ("percent", "%", 1, 0), k.start - 3
    if k.unit in (None, _MONEY) and (cm := _CURRENCY.search(t, max(0, k.start - 8), k.start)):
        k.unit, k.start = _MONEY, cm.start()
    if k.unit is None and not cn and (nm := _NOUN.match(t, pos)):
        w = nm.group(1)
        # "By 2027 Shenzhen" is a year; "2000 startups" a count.
        if w.lower() not in _STOP | AMOUNT_NOUNS and (not k.yearlike or (w[0].islower() and w.endswith("s"))):
            k.unit = _COUNT
    k.end = pos   # the noun of a count is not part of the figure
    k.span = [k.start, k.end]
    return k


def _link_ranges(t: str, toks: list[_Tok]) -> None:
    """"5-10万元", "3 to 5 million yuan": the first end borrows unit and scale."""
    for a, b in zip(toks, toks[1:]):
        if a.unit is not None or b.unit is None:
            continue
        sep = t[a.end:b.start]
        between = sep.strip() == "and" and t[:a.start].rstrip().lower().endswith("between")
        if not (_RANGE.fullmatch(sep) or between) or (b.unit == _YEAR and not a.yearlike):
            continue
        a.unit = b.unit
        if not a.own_scale:
            a.scale = b.scale
        a.span[1] = b.span[1]
        b.span[0] = a.span[0]


def _finish(text: str, t: str, k: _Tok) -> Figure | None:
    unit = k.unit
    if unit is None:
        if k.yearlike:
            unit = _YEAR
        elif k.wan and (_MONEY_WORDS.search(t, max(0, k.start - 10), k.start)
                        or "元" in t[k.end:k.end + 3]):
            unit = _MONEY   # "补贴最高100万": 万 without 元 in a money context
        elif k.word and not k.wan:
            return None     # word numerals count only with a unit or a noun (六十万 is a quantity, as 60万 is)
        else:
            unit = ("number", "", 1, 0)
    kind, u, factor, add = unit
    if k.word and k.base * k.scale == 1 and kind in ("count", "number"):
        return None         # 一/"one" as an article or in set phrases
    s, e = k.span
    return Figure(kind, _round(k.base * k.scale * factor + add), u, text[s:e], s, e, k.own_scale or k.wan)


def extract_figures(text: str) -> list[Figure]:
    """All figures in ``text``, in order, with spans into ``text``."""
    return list(_extract(text)) if text else []


@lru_cache(maxsize=8192)
def _extract(text: str) -> tuple[Figure, ...]:
    # The cited clauses' sentences are read again for every answer (a fifth of an extractive
    # answer's time); figures are frozen, so every caller may share them.
    figs: list[Figure] = []
    t = _extract_dates(text, _prepare(text), figs)
    for rx in _NOISE_LATE:
        t = rx.sub(_blank, t)
    toks: list[_Tok] = []
    for m in _TOKEN.finditer(t):
        # a unit may hold digits ("m2"); never read them as a figure of their own
        if (not toks or m.start() >= toks[-1].end) and (k := _read_token(t, m)):
            toks.append(k)
    _link_ranges(t, toks)
    figs.extend(f for k in toks if (f := _finish(text, t, k)))
    return tuple(sorted(figs, key=lambda f: (f.start, f.end, f.value)))


def clear_caches() -> None:
    """Forget the figures of texts read (benchmarks measure answers never seen)."""
    _extract.cache_clear()


def normalise(text: str) -> set[tuple[str, float]]:
    return {f.key for f in extract_figures(text)}


# --- comparison ---------------------------------------------------------------
def _date_year(v: float) -> int | None:
    return int(v // 10000) if v >= 1e7 else int(v // 100) if v >= 1e5 else None


def _matches(fig: Figure, src: Figure) -> bool:
    unit, value = fig.key
    if unit == "":   # a bare number: any unit will do; a count: things counted (assistant/knowledge/units.py)
        return src.key[1] == value and countable(fig, src)
    if src.key == fig.key:
        return True
    if src.unit == "date" and src.value >= 1e7:   # a full date also grounds its year/month
        if unit == "year":
            return _date_year(src.value) == value
        if unit == "date" and 1e5 <= value < 1e7:
            return src.value // 100 == value
    return False


def _source_figures(sources: str | Figure | Iterable[str] | Iterable[Figure]) -> list[Figure]:
    items: Iterable[str | Figure] = [sources] if isinstance(sources, (str, Figure)) else sources
    out: list[Figure] = []
    for s in items:
        out.extend([s] if isinstance(s, Figure) else extract_figures(s))
    return out


def is_grounded(fig: Figure, sources: Iterable[str] | Iterable[Figure]) -> bool:
    return any(_matches(fig, s) for s in _source_figures(sources))


def ungrounded_figures(answer: str, sources: Iterable[str]) -> list[Figure]:
    src = _source_figures(sources)
    keys = {s.key for s in src}   # the common case, an exact match, without a scan
    return [f for f in extract_figures(answer) if f.key not in keys and not any(_matches(f, s) for s in src)]


def same_figures(a: str, b: str) -> tuple[set[tuple[str, float]], set[tuple[str, float]]]:
    ka, kb = normalise(a), normalise(b)
    return ka - kb, kb - ka
