"""Units of figures: what a number after it measures, and which units compare (standard library only).

A figure is its value in a canonical unit of its family (money: yuan; area: m²; time: month, day, hour; count:
a measure word or an English noun). Only exact conversions are made (1 公顷 = 10,000 m², 1 year = 12 months,
1 week = 7 days); a unit with no exact conversion keeps its own name (坪, acre, US dollar), so "50坪" never
matches "50平方米" and "50 dollars" never matches "50元". A count ("50个工位", "50 workstations") is a number of
things: it matches a source count or bare number of that value, never an area, a sum or a period.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.knowledge.figures import Figure

Unit = tuple[str, str, float, float]  # kind, unit, factor, add

# (pattern, kind, unit, factor, add), matched right after the number of a prepared (Simplified-folded) text.
# Order matters: "个月" before the measure word "个", "个百分点" before "个", "平方英尺" before "平方".
UNITS: list[tuple[re.Pattern[str], str, str, float, float]] = [(re.compile(p, re.I), k, u, f, a) for p, k, u, f, a in (
    (r"\s*-?\s*(?:元(?!宇宙|素|旦)|块钱|蚊(?![子帐帳香])|yuan\b|rmb\b|cny\b|renminbi\b)", "money", "yuan", 1, 0),
    # other currencies: no fixed rate to the yuan, so never the same figure
    (r"\s*-?\s*(?:港元|港币|港幣|(?:hong\s+kong|hk)\s*dollars?\b|hkd\b)", "money", "hkd", 1, 0),
    (r"\s*-?\s*(?:美元|美金|(?:us\s+|american\s+)?dollars?\b|bucks?\b|usd\b)", "money", "usd", 1, 0),
    (r"\s*-?\s*(?:欧元|歐元|euros?\b|eur\b)", "money", "eur", 1, 0),
    (r"\s*-?\s*(?:英镑|英鎊|pounds?\s+sterling\b|pounds?\b|gbp\b)", "money", "gbp", 1, 0),
    (r"\s*-?\s*(?:日元|yen\b|jpy\b)", "money", "jpy", 1, 0),
    (r"\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b|个百分点)", "percent", "%", 1, 0),
    (r"成(?![为立功本果员都长熟效交])", "percent", "%", 10, 0),
    # "a 50-square-metre space": a hyphen may join the number and its unit
    (r"\s*-?\s*(?:平方公里|平方千米|km²|km2\b|sq\.?[\s-]*km\b|square[\s-]+kilomet(?:er|re)s?\b)", "area", "m2", 1_000_000, 0),   # exact
    (r"\s*-?\s*(?:平方英尺|平方呎|呎|square[\s-]+f(?:ee|oo)t\b|sq\.?[\s-]*ft\b|sqft\b)", "area", "sqft", 1, 0),
    (r"\s*-?\s*(?:平方米|平米|㎡|m²|m2\b|sq\.?[\s-]*m\b|sqm\b|square[\s-]+met(?:er|re)s?\b)", "area", "m2", 1, 0),
    (r"个?平方(?!公里|千米|英|米|呎)", "area", "m2", 1, 0),   # "50平方": m² said short
    (r"\s*-?\s*(?:公顷|公頃|hectares?\b|ha\b)", "area", "m2", 10000, 0),
    (r"亩|畝", "area", "mu", 1, 0),
    (r"\s*(?:坪|pings?\b)", "area", "ping", 1, 0),
    (r"\s*-?\s*(?:英亩|英畝|acres?\b)", "area", "acre", 1, 0),
    (r"\s*(?:公里|千米|kilomet(?:er|re)s?\b|km\b)", "length", "km", 1, 0),
    (r"\s*(?:米(?![粒饭])|met(?:er|re)s?\b)", "length", "m", 1, 0),
    (r"\s*(?:公斤|千克|kilo(?:gram)?s?\b|kg\b)", "mass", "kg", 1, 0),
    (r"\s*(?:吨|噸|tonnes?\b|tons?\b)", "mass", "kg", 1000, 0),
    (r"个半月", "duration", "month", 1, 0.5),
    (r"个?年半", "duration", "month", 12, 6),
    # "two consecutive years", "three full months": one qualifier may stand before the unit.
    (r"个多?月|\s*-?\s*(?:(?:consecutive|full|straight|whole)\s+)?months?\b", "duration", "month", 1, 0),
    (r"个?年(?![代级龄])|\s*-?\s*(?:(?:consecutive|full|straight|whole)\s+)?years?\b", "duration", "month", 12, 0),
    (r"个?季度|\s*-?\s*quarters?\b", "duration", "month", 3, 0),
    (r"\s*-?\s*decades?\b", "duration", "month", 120, 0),
    (r"个?(?:工作)?日|天|\s*-?\s*(?:(?:working|business|calendar)\s+)?days?\b", "duration", "day", 1, 0),
    (r"个?(?:星期|礼拜)|周(?![年岁])|\s*-?\s*weeks?\b", "duration", "day", 7, 0),
    (r"\s*-?\s*fortnights?\b", "duration", "day", 14, 0),
    (r"个?小时|\s*-?\s*hours?\b", "duration", "hour", 1, 0),
    (r"分钟|\s*-?\s*minutes?\b", "duration", "minute", 1, 0),
    (r"秒钟?|\s*-?\s*seconds?\b", "duration", "second", 1, 0),
    # measure words: 支持 and 个人 are words, not "支" or "个" after a number
    (r"[余多]?(?:个(?!人[创才])|家|名|人次|人|项|所|座|栋|幢|台|套|间|张|批|位|支(?!持)|户|类|种|件|份|场|层"
     r"|次|倍|条|款|辆|处|期|届|门|本)", "count", "", 1, 0),
)]

# a currency sign before the number: "US$50", "HK$ 50", "€50"
FOREIGN_SIGN = re.compile(r"(?i)(?:(?P<hkd>hk\$|hkd)|(?P<usd>us\$|\$|usd)|(?P<eur>€)|(?P<gbp>£))\s*$")

# English nouns after a number that name an amount, not things counted ("a 500,000 cap", "the 10,000 subsidy"):
# the number is a bare figure of what the sentence names, not a count.
AMOUNT_NOUNS = frozenset("""cap caps ceiling limit limits maximum max minimum min subsidy subsidies grant grants
loan loans voucher vouchers award awards reward rewards bonus allowance allowances funding fund funds budget
stipend package support guarantee guarantees interest rent rental housing startup start-up research yearly
monthly annual total sum""".split())


def foreign_money(text: str, start: int) -> Unit | None:
    """The currency whose sign stands right before ``start`` ("$", "HK$"), if any."""
    m = FOREIGN_SIGN.search(text, max(0, start - 6), start)
    return ("money", next(k for k, v in m.groupdict().items() if v), 1, 0) if m else None


def countable(fig: Figure, src: Figure) -> bool:
    """May ``fig`` (a bare number or a count, the same value as ``src``) stand for ``src``? A bare number may
    stand for any figure; a count only for a count or a bare number, unless it is a scaled amount ("60万个",
    "a 10 million …": a sum said without its unit)."""
    return fig.kind != "count" or fig.scaled or src.kind in ("count", "number")
