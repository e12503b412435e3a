"""Table-driven tests for assistant.knowledge.figures (figure extraction and grounding)."""
from __future__ import annotations

import pytest

from assistant.knowledge.figure_text import format_figure
from assistant.knowledge.figures import (
    Figure,
    extract_figures,
    is_grounded,
    normalise,
    same_figures,
    ungrounded_figures,
)

Y = "yuan"

# --- each text must normalise to exactly these keys ----------------------------
KEYS = [
    # money: every spelling of 100,000 yuan
    ("100,000 yuan", {(Y, 100000.0)}),
    ("10万元", {(Y, 100000.0)}),
    ("十万元", {(Y, 100000.0)}),
    ("0.1 million yuan", {(Y, 100000.0)}),
    ("RMB 100,000", {(Y, 100000.0)}),
    ("¥100,000", {(Y, 100000.0)}),
    ("１０万元", {(Y, 100000.0)}),
    ("100000元", {(Y, 100000.0)}),
    ("100k yuan", {(Y, 100000.0)}),
    ("100,000 RMB", {(Y, 100000.0)}),
    ("CNY 100,000", {(Y, 100000.0)}),
    ("a 100,000-yuan grant", {(Y, 100000.0)}),
    ("人民币10万元", {(Y, 100000.0)}),
    ("1，250元", {(Y, 1250.0)}),
    ("5千元", {(Y, 5000.0)}),
    ("1.5万元", {(Y, 15000.0)}),
    ("3千万元", {(Y, 30000000.0)}),
    ("RMB 1 million", {(Y, 1000000.0)}),
    ("ten million yuan", {(Y, 10000000.0)}),
    ("1万亿元", {(Y, 1e12)}),
    # words and shorthand a model writes
    ("half a million yuan", {(Y, 500000.0)}),
    ("a million yuan", {(Y, 1000000.0)}),
    ("a quarter of a million yuan", {(Y, 250000.0)}),
    ("¥10m", {(Y, 10000000.0)}),
    ("RMB 2m", {(Y, 2000000.0)}),
    ("over a million square meters", {("m2", 1000000.0)}),
    ("一千二百五十元", {(Y, 1250.0)}),
    ("1.25千元", {(Y, 1250.0)}),
    ("10m away", {("", 10.0)}),
    ("10 万元", {(Y, 100000.0)}),
    ("50 thousand yuan", {(Y, 50000.0)}),
    ("five thousand yuan", {(Y, 5000.0)}),
    ("1.5 billion yuan", {(Y, 1500000000.0)}),
    ("两亿元", {(Y, 200000000.0)}),
    # full-width digits and units
    ("１２５０元", {(Y, 1250.0)}),
    ("３６个月", {("month", 36.0)}),
    ("５０平方米", {("m2", 50.0)}),
    ("３６％", {("%", 36.0)}),
    ("二十四个月", {("month", 24.0)}),
    ("五十万平方米", {("m2", 500000.0)}),
    # 万 without 元: money only in a money context, otherwise a scaled number
    ("最高100万", {(Y, 1000000.0)}),
    ("给予创业补贴最高50万", {(Y, 500000.0)}),
    ("1万名人才", {("", 10000.0)}),
    ("覆盖10万人", {("", 100000.0)}),
    # Traditional script carries the same figures (answers to zh-Hant questions are in Traditional)
    ("10萬元", {(Y, 100000.0)}),
    ("最長36個月", {("month", 36.0)}),
    ("1萬平方米", {("m2", 10000.0)}),
    ("有效期兩年", {("month", 24.0)}),
    ("1億元", {(Y, 100000000.0)}),
    # a qualifier between a word numeral and its unit
    ("growth for two consecutive years", {("month", 24.0)}),
    # percent
    ("60%", {("%", 60.0)}),
    ("60％", {("%", 60.0)}),
    ("60 percent", {("%", 60.0)}),
    ("60 per cent", {("%", 60.0)}),
    ("百分之六十", {("%", 60.0)}),
    ("六成", {("%", 60.0)}),
    ("4.5%", {("%", 4.5)}),
    ("0.5个百分点", {("%", 0.5)}),
    # durations: months, except days
    ("36 months", {("month", 36.0)}),
    ("36个月", {("month", 36.0)}),
    ("三十六个月", {("month", 36.0)}),
    ("a 24-month lease", {("month", 24.0)}),
    ("二十四个月", {("month", 24.0)}),
    ("two years", {("month", 24.0)}),
    ("2 years", {("month", 24.0)}),
    ("两年", {("month", 24.0)}),
    ("2年", {("month", 24.0)}),
    ("five years", {("month", 60.0)}),
    ("五年", {("month", 60.0)}),
    ("5年内", {("month", 60.0)}),
    ("a three-year plan", {("month", 36.0)}),
    ("一年半", {("month", 18.0)}),
    ("one year", {("month", 12.0)}),
    ("90 days", {("day", 90.0)}),
    ("90天", {("day", 90.0)}),
    ("90日内", {("day", 90.0)}),
    ("10个工作日", {("day", 10.0)}),
    ("2 weeks", {("day", 14.0)}),
    # area
    ("10,000 square meters", {("m2", 10000.0)}),
    ("10,000 sq m", {("m2", 10000.0)}),
    ("10000 m²", {("m2", 10000.0)}),
    ("10000 m2", {("m2", 10000.0)}),
    ("1万平方米", {("m2", 10000.0)}),
    ("一万平方米", {("m2", 10000.0)}),
    ("500,000 square metres", {("m2", 500000.0)}),
    ("50万平方米", {("m2", 500000.0)}),
    ("50 square meters", {("m2", 50.0)}),
    ("50平方米", {("m2", 50.0)}),
    ("3.5 square kilometers", {("m2", 3_500_000.0)}),
    ("0.5平方公里", {("m2", 500_000.0)}),
    # counts
    ("10个", {("", 10.0)}),
    ("1000家", {("", 1000.0)}),
    ("1,000 startups", {("", 1000.0)}),
    ("10,000 professionals", {("", 10000.0)}),
    ("1万名", {("", 10000.0)}),
    ("超过10个OPC社区", {("", 10.0)}),
    ("more than 10 OPC communities", {("", 10.0)}),
    ("ten communities", {("", 10.0)}),
    ("十个社区", {("", 10.0)}),
    ("两项措施", {("", 2.0)}),
    ("100余家企业", {("", 100.0)}),
    ("2000 startups", {("", 2000.0)}),
    # dates and calendar years
    ("Jan. 1, 2026", {("date", 20260101.0)}),
    ("January 1, 2026", {("date", 20260101.0)}),
    ("January 1st, 2026", {("date", 20260101.0)}),
    ("1 Jan 2026", {("date", 20260101.0)}),
    ("2026年1月1日", {("date", 20260101.0)}),
    ("2026-01-01", {("date", 20260101.0)}),
    ("2026/1/1", {("date", 20260101.0)}),
    ("2027年12月31日", {("date", 20271231.0)}),
    ("January 2026", {("date", 202601.0)}),
    ("2026年1月", {("date", 202601.0)}),
    ("2027", {("year", 2027.0)}),
    ("2027年", {("year", 2027.0)}),
    ("end of 2027", {("year", 2027.0)}),
    ("2027年底", {("year", 2027.0)}),
    ("By 2027 Shenzhen will lead", {("year", 2027.0)}),
    ("mid-2026", {("year", 2026.0)}),
    ("二〇二六年", {("year", 2026.0)}),
    # plain numbers
    ("about 202601", {("", 202601.0)}),
    ("1,2345", {("", 1.0), ("", 2345.0)}),
]


@pytest.mark.parametrize("text,keys", KEYS, ids=[t for t, _ in KEYS])
def test_normalise_keys(text, keys):
    assert normalise(text) == keys


# --- the same figure in two spellings (often two languages) --------------------
EQUIVALENT = [
    ("1,250 yuan", "1250元"),
    ("1250元", "一千二百五十元"),
    ("1 million yuan", "100万元"),
    ("100万元", "一百万元"),
    ("10 million yuan", "1000万元"),
    ("1000万元", "一千万元"),
    ("5 million yuan", "500万元"),
    ("30 million yuan", "3000万元"),
    ("3000万元", "三千万元"),
    ("1亿元", "100 million yuan"),
    ("600,000 yuan", "60万元"),
    ("0.1 million yuan", "十万元"),
    ("2 years", "二十四个月"),
    ("两年", "24 months"),
    ("five years", "60个月"),
    ("90 days", "九十天"),
    ("500,000 square meters", "五十万平方米"),
    ("百分之六十", "60 percent"),
    ("10 OPC communities", "10个OPC社区"),
    ("January 1, 2026", "2026年1月1日"),
    ("end of 2027", "2027年底"),
]


@pytest.mark.parametrize("a,b", EQUIVALENT)
def test_equivalent_spellings(a, b):
    ka = normalise(a)
    assert ka and len(ka) == 1
    assert ka == normalise(b)


# --- kinds ----------------------------------------------------------------------
KINDS = [
    ("10万元", "money"), ("60%", "percent"), ("36个月", "duration"), ("90天", "duration"),
    ("1万平方米", "area"), ("1000家", "count"), ("2026年1月1日", "date"), ("2027年", "date"),
    ("about 42", "number"),
]


@pytest.mark.parametrize("text,kind", KINDS)
def test_kind(text, kind):
    (fig,) = extract_figures(text)
    assert fig.kind == kind


# --- noise: none of these is a figure -------------------------------------------
NOISE = [
    "See [1] and [12].",
    "as cited [1, 2]",
    "(4) Housing support",
    "（四）住房保障",
    "(10) Talent",
    "第五条 住房保障",
    "第十二条",
    "1. Scope\n2. Definitions",
    "1、总体要求\n2、主要任务",
    "一、总体要求",
    "https://www.sz.gov.cn/zfgb/2026/content/mpost_12602688.html",
    "source: mpost_12602688.html",
    "Article 5 of the plan",
    "one-person company",
    "one-person companies (OPCs)",
    "一人公司",
    "one desk, one office, one floor",
    "一桌一室一层",
    "一床一屋一公寓",
    "OPC",
    "GPT-4",
    "e5-small",
    "0.4.3",
    "ragas v0.4.3 with GPT-4o",
    "one of the key tasks",
    "a one-stop service",
    "一个人也能开公司",
    "一次性发放",
    "数十家企业",
    "the 2nd batch",
    "5G and 3D",
    "at 10:30",
    "第1,000家",
]


@pytest.mark.parametrize("text", NOISE)
def test_noise_yields_no_figures(text):
    assert extract_figures(text) == []


# --- ranges: both ends, in order ------------------------------------------------
RANGES = [
    ("5-10万元", [(Y, 50000.0), (Y, 100000.0)]),
    ("5～10万元", [(Y, 50000.0), (Y, 100000.0)]),
    ("１０－２０％", [("%", 10.0), ("%", 20.0)]),
    ("5万-10万元", [(Y, 50000.0), (Y, 100000.0)]),
    ("50万至100万元", [(Y, 500000.0), (Y, 1000000.0)]),
    ("3 to 5 million yuan", [(Y, 3000000.0), (Y, 5000000.0)]),
    ("between 3 and 5 years", [("month", 36.0), ("month", 60.0)]),
    ("三至五年", [("month", 36.0), ("month", 60.0)]),
    ("24-36个月", [("month", 24.0), ("month", 36.0)]),
    ("10-20%", [("%", 10.0), ("%", 20.0)]),
    ("2026-2027", [("year", 2026.0), ("year", 2027.0)]),
    ("2026–2027", [("year", 2026.0), ("year", 2027.0)]),
    ("2026—2027年", [("year", 2026.0), ("year", 2027.0)]),
    ("2000-3000元", [(Y, 2000.0), (Y, 3000.0)]),
]


@pytest.mark.parametrize("text,keys", RANGES)
def test_ranges(text, keys):
    assert [f.key for f in extract_figures(text)] == keys


# --- spans and surface text point back into the original string ------------------
SPANS = [
    ("每月补贴１０万元。", "１０万元"),
    ("up to 36 months.", "36 months"),
    ("金额为百分之六十", "百分之六十"),
    ("grant of RMB 100,000 now", "RMB 100,000"),
    ("自2026年1月1日起", "2026年1月1日"),
]


@pytest.mark.parametrize("text,surface", SPANS)
def test_spans(text, surface):
    (fig,) = extract_figures(text)
    assert fig.text == surface
    assert text[fig.start:fig.end] == surface


def test_figure_is_frozen_and_key_rounds_float_noise():
    fig = Figure("money", 100000.00000000001, "yuan", "x", 0, 1)
    assert fig.key == ("yuan", 100000.0)
    with pytest.raises(AttributeError):
        fig.value = 1.0  # type: ignore[misc]


# --- grounding ------------------------------------------------------------------
HOUSING_ZH = ("符合条件的青年创业者可租住过渡性住房，租期最长36个月，租金约为市场参考租金的60%；"
              "也可选择领取住房补贴，期限最长24个月（每月税前1250元/税后1000元）。")
HOUSING_EN = ("Qualified young entrepreneurs may rent transitional housing for up to 36 months at "
              "about 60% of market reference rent, or opt for a housing subsidy for up to 24 months "
              "(1,250 yuan before tax / 1,000 yuan after tax per month).")
GOALS_ZH = "到2027年底，全市打造不少于10个OPC社区，培育1000家以上一人公司。自2026年1月1日起施行。"

UNGROUNDED = [
    # restating the source in the other language or units: nothing reported
    ("You may rent for up to three years at 60% of market rent [1].", [HOUSING_ZH], []),
    ("The subsidy is 1,250 yuan a month for two years [1].", [HOUSING_ZH], []),
    ("住房补贴每月税前1,250元，最长两年。", [HOUSING_EN], []),
    ("By the end of 2027 there will be more than 10 OPC communities [2].", [GOALS_ZH], []),
    ("The plan applies from January 2026 [2].", [GOALS_ZH], []),
    ("It takes effect in 2026 [2].", [GOALS_ZH], []),
    ("About 1,000 one-person companies will be nurtured.", [GOALS_ZH], []),
    # a bare number is lenient about units: 36 appears in the source as 36 months
    ("See the 36 in the plan.", [HOUSING_ZH], []),
    # invented figures are reported
    ("The subsidy is 1,500 yuan per month [1].", [HOUSING_ZH], [(Y, 1500.0)]),
    ("Rent is about 70% of market rent [1].", [HOUSING_ZH], [("%", 70.0)]),
    ("You may rent for up to five years [1].", [HOUSING_ZH], [("month", 60.0)]),
    ("The plan ends in 2028.", [GOALS_ZH], [("year", 2028.0)]),
    ("At least 20 OPC communities.", [GOALS_ZH], [("", 20.0)]),
    # a unit must match exactly: 36 months is not 36 yuan
    ("A grant of 36 yuan.", [HOUSING_ZH], [(Y, 36.0)]),
    # multiple sources pooled
    ("1,000 yuan after tax, by 2027 [1][2].", [HOUSING_ZH, GOALS_ZH], []),
    ("1,000 yuan after tax, by 2029 [1][2].", [HOUSING_ZH, GOALS_ZH], [("year", 2029.0)]),
]


@pytest.mark.parametrize("answer,sources,expected", UNGROUNDED)
def test_ungrounded_figures(answer, sources, expected):
    assert [f.key for f in ungrounded_figures(answer, sources)] == expected


def test_is_grounded_accepts_strings_or_figures():
    (fig,) = extract_figures("a subsidy of 1,250 yuan")
    assert is_grounded(fig, [HOUSING_ZH])
    assert is_grounded(fig, extract_figures(HOUSING_ZH))
    assert not is_grounded(fig, extract_figures(GOALS_ZH))
    assert not is_grounded(fig, [])


def test_unit_figure_not_grounded_by_bare_number():
    (fig,) = extract_figures("36 months")
    assert not is_grounded(fig, ["编号36"])
    (bare,) = extract_figures("编号36")
    assert is_grounded(bare, ["36 months"])


# --- a clause and its translation must carry the same figures -------------------
SAME = [
    (HOUSING_EN, HOUSING_ZH, set(), set()),
    ("By the end of 2027, build at least 10 OPC communities and nurture more than 1,000 "
     "one-person companies [1].", GOALS_ZH.split("自")[0], set(), set()),
    ("A one-off start-up subsidy of 10,000 yuan.", "（四）给予一次性创业补贴1万元。", set(), set()),
    ("Office space of up to 50 square meters, free for two years.",
     "提供最多50平方米办公空间，两年免租。", set(), set()),
    # mismatches are reported on the right side
    (HOUSING_EN, HOUSING_ZH.replace("24个月", "12个月"), {("month", 24.0)}, {("month", 12.0)}),
    ("A subsidy of 1,250 yuan per month.", "每月补贴1500元。", {(Y, 1250.0)}, {(Y, 1500.0)}),
    ("Rent at 60% of market rent.", "租金为市场租金的50%。", {("%", 60.0)}, {("%", 50.0)}),
    ("Applies from 2026.", "2026年至2027年施行。", set(), {("year", 2027.0)}),
]


@pytest.mark.parametrize("a,b,only_a,only_b", SAME)
def test_same_figures(a, b, only_a, only_b):
    assert same_figures(a, b) == (only_a, only_b)


# --- error-message formatting ----------------------------------------------------
FORMATS = [
    ((Y, 100000.0), "100,000 yuan"),
    (("month", 36.0), "36 months"),
    (("month", 1.0), "1 month"),
    (("%", 60.0), "60%"),
    (("%", 4.5), "4.5%"),
    (("day", 90.0), "90 days"),
    (("m2", 10000.0), "10,000 m²"),
    (("year", 2027.0), "2027"),
    (("date", 20260101.0), "2026-01-01"),
    (("date", 202601.0), "2026-01"),
    (("", 1000.0), "1,000"),
]


@pytest.mark.parametrize("key,expected", FORMATS)
def test_format_figure(key, expected):
    assert format_figure(key) == expected


def test_format_figure_accepts_a_figure():
    (fig,) = extract_figures("10万元")
    assert format_figure(fig) == "100,000 yuan"
