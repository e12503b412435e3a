"""The ask's part (unstated parts, rankings) learned over the recogniser's features, years in asks read by one
date parser, the main ask chosen by the recogniser's score, Cantonese read in Mandarin words by the frame rules.

Wordings here are written for these tests (not taken from any evaluation set)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from assistant.knowledge.claims import fold
from assistant.knowledge.corpus import load_corpus
from assistant.settings import BUILTIN_CORPUS
from assistant.understanding.dates import DateWords, YearParser
from assistant.understanding.frame import load_frame_rules
from assistant.understanding.intent_data import LANGS, generate, load_spec
from assistant.understanding.intents import BUNDLED, plan_titles
from assistant.understanding.part_data import ANSWER, RANKING, generate_parts

TODAY = dt.date(2026, 12, 6)
PLAN = (2026, 2027)


@pytest.fixture(scope="module")
def rules():
    return load_frame_rules(Path(BUILTIN_CORPUS) / "frame.yaml")


# --- years: one parser for every date expression ------------------------------------------------------
@pytest.mark.parametrize("text, years", [
    ("公司打算2030年初再注册，到时候还能申请吗", [2030]),
    ("要是二〇三一年才落地呢", [2031]),
    ("民国一百二十年还有这个政策吗", [2031]),
    ("民國120年還有嗎", [2031]),
    ("大后年还能领吗", [2029]),
    ("三年后还有没有", [2029]),
    ("Could I still join in late 2030?", [2030]),
    ("what about the year after next", [2028]),
    ("if I wait three years, is it still there? in three years I mean", [2029]),
])
def test_every_date_expression_gives_its_year(rules, text, years):
    assert [y.year for y in rules.dates.asked(fold(text), TODAY)] == years


def test_a_premise_year_is_not_asked_about(rules):
    assert rules.dates.asked(fold("The scheme lasts until 2031, so can I apply?"), TODAY) == []
    assert rules.dates.asked(fold("截至2031年都有效吧"), TODAY) == []
    assert [y.year for y in rules.dates.years(fold("截至2031年都有效吧"), TODAY)] == [2031]


def test_relative_years_follow_the_day_asked():
    parser = YearParser(DateWords(relative={"明年": 1, "next year": 1}))
    assert [y.year for y in parser.years("明年开业", dt.date(2027, 3, 1))] == [2028]
    assert [y.year for y in parser.years("opening next year", dt.date(2025, 3, 1))] == [2026]


@pytest.mark.parametrize("ask, told", [
    ("我们准备2029年上半年才开公司，计划里的算力券那时还能用吗？", [2029]),
    ("后年才搬去深圳，到时住房补贴还在吗？", [2028]),
    ("Opening the office in mid 2031 — would the loan still be on offer?", [2031]),
    ("明年开公司能拿住房补贴吗？", []),  # 2027: within the plan
    ("这个计划截至2030年吗？", []),  # a premise
])
def test_a_year_outside_the_plan_in_an_ask_is_told(rules, ask, told):
    assert rules.years_told([ask], TODAY, PLAN, asked=True) == told


def test_a_past_relative_year_in_a_story_is_not_a_founding_before_the_plan(rules):
    assert rules.years_told(["我去年开始创业，做AI配音"], TODAY, PLAN) == []
    assert rules.years_told(["公司2024年就注册了"], TODAY, PLAN) == [2024]


# --- the part classifier's data and its held-out score ------------------------------------------------
@pytest.fixture(scope="module")
def part_samples():
    corpus = load_corpus(Path(BUILTIN_CORPUS))
    facts = [f for f in corpus.facts if f.reviewed]
    spec = load_spec(Path(BUILTIN_CORPUS) / "intents.yaml")
    samples = generate(spec, facts, corpus.claims, corpus.out_of_scope, plan_titles(corpus, facts))
    return spec, generate_parts(spec, facts, corpus.claims, samples)


def test_every_part_has_variants_in_every_language_form(part_samples):
    spec, samples = part_samples
    for part in [*spec.parts, ANSWER]:
        mine = [s for s in samples if s.part == part]
        assert len(mine) >= 30, part
        assert any(fold(s.text) != s.text for s in mine if not s.text.isascii()), part  # Traditional forms
        for lang in LANGS:
            assert any(s.group.split("|")[1] == lang for s in mine) or lang == "yue", (part, lang)
    assert RANKING in spec.parts


def test_the_shipped_model_has_a_part_classifier_that_generalises_to_unseen_templates():
    with np.load(Path(BUILTIN_CORPUS) / BUNDLED, allow_pickle=False) as z:
        accuracy, n = z["part_heldout"]
        recall = dict(zip(z["parts"], z["part_heldout_recall"]))
    assert n >= 300
    assert accuracy >= 0.8
    assert recall[ANSWER] >= 0.9  # an answerable ask is seldom taken for a part the plan leaves unstated


# --- the frame with the learned recogniser (the shipped model), through the assistant -------------------
@pytest.fixture(scope="module")
def framed(bot):
    from assistant.answering.framed import read_frame

    return lambda text, lang="zh": read_frame(bot.extractive, text, lang, TODAY)


@pytest.mark.system
@pytest.mark.parametrize("text, lang", [
    ("龙岗跟宝安比，哪边的算力券给得更大方？", "zh"),
    ("寶安同羅湖，邊個區嘅社區環境好啲？", "yue"),
    ("Give me the five strongest OPC communities for a fintech founder.", "en"),
])
def test_rankings_worded_without_the_rule_words_are_learned(framed, text, lang):
    f = framed(text, lang)
    assert f.main.kind == "ranking"


@pytest.mark.system
@pytest.mark.parametrize("text, lang, part", [
    ("人才公寓一平米月租大概几块钱？", "zh", "price"),
    ("模型券批下来一般要等几周？", "zh", "processing_time"),
    ("Is the Kunpeng award a taxable income for me?", "en", "tax"),
])
def test_unstated_parts_worded_without_the_rule_words_are_learned(framed, text, lang, part):
    f = framed(text, lang)
    ask = f.asks[-1]
    assert ask.kind == "unstated" and part in [ask.detail, *ask.also]


@pytest.mark.system
def test_an_answerable_ask_is_not_taken_for_a_part(framed):
    for text, lang in [("住房补贴每个月发多少？", "zh"), ("Which voucher has the largest cap?", "en"),
                       ("过渡性住房最长能住几年？", "zh"),
                       # a size asked is the area the plan states, whatever price the classifier hears in 平米
                       ("不进OPC社区的话，低成本创业空间最大多少平米？", "zh"), ("低成本創業空間最多幾多平方？", "yue"),
                       ("How many square metres of low-cost space can an eligible team get?", "en")]:
        assert framed(text, lang).main.kind == "topic", text


@pytest.mark.system
def test_the_main_ask_is_the_one_recognised_surest_not_the_first(framed):
    text = "我在佛山做了三年嵌入式，想搬去深圳。是不是要先注册公司？示范应用项目的研发资助最高多少？"
    f = framed(text)
    assert "示范应用" in f.main.text


@pytest.mark.system
def test_a_year_in_an_ask_past_the_plan_declines_first(bot):
    a = bot.ask("后年才注册公司的话，模型券还能申请吗？")
    assert not a.answerable and 2028 in a.frame.years_told
    b = bot.ask("这份计划二〇二九年还算数吗？")
    assert b.frame.main.kind == "plan" and b.answerable and "2027" in b.answer
    c = bot.ask("这个计划在2030年会给创业者发些什么？")  # its content in a year it does not cover: declined
    assert c.frame.main.kind != "plan" and not c.answerable


# --- Cantonese read in Mandarin words by the frame's rules ---------------------------------------------
def test_the_rules_read_a_cantonese_ask_in_mandarin_words(rules):
    from assistant.understanding.intent_data import Cantonese

    spec = load_spec(Path(BUILTIN_CORPUS) / "intents.yaml")
    table = Cantonese(spec.cantonese, spec.cantonese_keep)
    ask = "邊度嘅社區補貼最多？"  # 邊度 is "哪里": the rules' "which" word only in Mandarin
    assert rules.meaning(ask, "yue").kind != "ranking"
    assert rules.meaning(ask, "yue", normalise=lambda t: fold(table.to_mandarin(t))).kind == "ranking"


@pytest.mark.system
def test_every_part_of_a_message_is_declared(bot):
    a = bot.ask("住房补贴一个月多少钱？另外你觉得龙岗和南山哪边的社区更适合我？")
    assert a.answerable and "1250元" in a.answer
    assert "ranking" in [u.kind for u in a.unstated]  # a ranking beside the main ask is declared too
    b = bot.ask("深圳哪个OPC社区的办公室租金最便宜？")  # a ranking by a price the plan does not state
    assert not b.answerable and {"ranking", "price"} <= {u.kind for u in b.unstated}


@pytest.mark.system
def test_what_comes_after_the_plan_declines_and_its_validity_is_answered(bot):
    """The plan's end as a premise ("once it has run out") dates the ask after it: declined, whatever the learned
    reading of validity; whether it still applies is answered from its preamble."""
    a = bot.ask("等這份計畫期滿以後，2028年深圳對創業者的扶持會變成怎樣？")
    assert a.frame.main.kind != "plan" and not a.answerable
    b = bot.ask("Is this plan still in force once it expires?")
    assert b.frame.main.kind == "plan" and b.frame.main.detail == "validity"


@pytest.mark.system
def test_places_offered_with_cantonese_or_are_ranked_not_answered(bot):
    a = bot.ask("邊個區嘅社區最啱做機械人？龍崗定光明？")
    assert a.frame.main.kind == "ranking" and not a.answerable


@pytest.mark.system
def test_a_founding_before_the_plan_bears_on_getting_a_benefit_not_on_its_worth(framed):
    f = framed("I set up my first startup in 2016 and closed it in 2020. What is the most the model voucher pays?", "en")
    assert f.years_told == [] and f.main.topic == "model_voucher"
    f = framed("公司2024年就注册好了，现在还可以申请训练算力券吗？")  # whether it may still be had: the year stands
    assert f.years_told == [2024]
