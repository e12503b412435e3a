"""Truths in the words answers use, lies still blocked: discourse markers that state nothing (总的来说, "in short"),
reviewed paraphrase words (corpus/support.yaml `equivalents`: pick/select, dense/density, step up/increase, 改领,
市、区两级), and a report of what the plan says in Cantonese (佢只系话…), whose 只 restricts the report, not the
benefit. Real gate on real clauses (tests/gatecheck.py)."""

from __future__ import annotations

import pytest

from tests.gatecheck import gate_on

TRUTHS = [
    ("m4", "总的来说，符合条件的青年创业者可以租住过渡性住房，最长36个月[1]。"),
    ("m4", "另一方面，也可以改领住房补贴，最长24个月[1]。"),
    ("m1", "Districts pick areas with dense talent and active entrepreneurial ecosystems [1]."),
    ("m6", "市、区两级会加大对OPC社区的支持力度[1]。"),
    ("m6", "In short, the city and districts step up support for OPC communities [1]."),
    ("m4", "计划只系话符合条件嘅青年创业者可以租住过渡性住房，最长36个月[1]。"),
    ("m1", "The bigger picture is an AI OPC ecosystem with clear functions [1]."),
    # framing that points at the text (有关规定：), "in the end" (最终, no superlative), "route"/"path" for an option,
    # relying on (draws on / 借助 for "leverage" / 发挥), "the first batch" for 首先 / "initially"
    ("m10", "有关规定：平台提供政策咨询和商事登记服务[1]。"),
    ("goals", "计划最终要形成特色鲜明、影响力强的OPC创业生态[1]。"),
    ("m4", "The other path is a housing subsidy for up to 24 months [1]."),
    ("m8", "It draws on municipal and district guiding funds and industry funds [1]."),
    ("m1", "The first batch of communities builds on the AI clusters in Nanshan and Futian [1]."),
    # a light verb before a list item (搞好, 做好): the item is what is said
    ("m6", "市区两级统筹资金和资源，保障社区高效运营、搞好企业服务[1]。"),
    # a precondition of meeting the conditions, where the clause makes them its condition (符合条件的, eligible)
    ("m4", "青年创业者只要符合条件，就可以租住过渡性住房，最长36个月[1]。"),
    ("m3", "As long as they are eligible, AI teams settling in other industrial spaces may access up to 50 square "
           "meters of low-cost space [1]."),
]

LIES = [
    ("m4", "总的来说，过渡性住房最长48个月[1]。"),
    ("m4", "另一方面，也可以改领住房补贴，最长36个月[1]。"),
    ("m6", "市、区两级会为每家企业发放100万元[1]。"),
    ("m6", "In short, the city and districts step up support for all enterprises nationwide [1]."),
    ("m4", "计划只系话硕士可以租住过渡性住房[1]。"),
    ("m4", "The plan only says doctoral graduates may rent transitional housing [1]."),
    ("m10", "有关规定：平台提供政策咨询和法律援助服务[1]。"),
    ("goals", "计划最终要形成全国最大的OPC创业生态[1]。"),
    ("m4", "The other path is a housing subsidy for up to 36 months [1]."),
    ("m8", "It draws on overseas hedge funds [1]."),
    ("m1", "The first batch of communities builds on the AI clusters in Nanshan and Bao'an [1]."),
    ("m6", "市区两级统筹资金和资源，保障社区高效运营、搞好税务服务[1]。"),
    # a precondition of anything more is a claim of its own
    ("m4", "青年创业者只要在深圳注册公司，就可以租住过渡性住房，最长36个月[1]。"),
    ("m3", "As long as they are registered in Shenzhen, AI teams may access up to 50 square meters of low-cost "
           "space [1]."),
]


@pytest.mark.parametrize("clause,answer", TRUTHS)
def test_framing_and_paraphrase_words_pass(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) == []


@pytest.mark.parametrize("clause,answer", LIES)
def test_lies_in_the_same_words_are_blocked(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) != []


# figures the answer grounds itself or the question grounds (assistant/answering/own_figures.py)
OWN_TRUTHS = [
    ("m4", "", "青年创业者有两条路：租住过渡性住房，最长36个月；或者选择住房补贴，最长24个月[1]。"),
    ("m4", "", "Young entrepreneurs have two routes: transitional housing for up to 36 months; or a housing subsidy "
               "for up to 24 months [1]."),
    ("m6", "", "智能券有两种用途。一是抵扣算力成本[1]。二是抵扣模型成本[1]。"),
    # a sentence stating only the count, then one sentence of that many parts
    ("m6", "", "市级政策券有三类[1]。训练算力券最高1000万元；模型券最高200万元；数据语料券最高200万元[1]。"),
    ("m5", "", "There are two kinds of loan [1]. A personal loan of up to 600,000 yuan; a small-business loan of up "
               "to 5 million yuan [1]."),
    ("intro", "", "计划2026年1月1日起施行，有效期两年，即涵盖2026和2027两年[1]。"),
    ("intro", "", "The plan takes effect on 1 January 2026 and is valid for two years, so it covers 2026 and 2027 [1]."),
    ("m5", "我毕业两年了，能贷多少？", "你毕业两年，在5年以内，个人创业担保贷款最高60万元[1]。"),
    ("m5", "I graduated two years ago, how much can I borrow?",
     "You graduated two years ago, within five years, so a personal loan of up to 600,000 yuan applies [1]."),
]

OWN_LIES = [
    ("m4", "", "青年创业者有三条路：租住过渡性住房，最长36个月；或者选择住房补贴，最长24个月[1]。"),
    ("m6", "", "智能券有三种用途。一是抵扣算力成本[1]。二是抵扣模型成本[1]。"),
    ("m6", "", "市级政策券有四类[1]。训练算力券最高1000万元；模型券最高200万元；数据语料券最高200万元[1]。"),
    ("m5", "", "There are three kinds of loan [1]. A personal loan of up to 600,000 yuan; a small-business loan of up "
               "to 5 million yuan [1]."),
    # the count's sentence says more than the count: it is a claim of its own, not a heading
    ("m5", "", "Recent graduates can take three kinds of loan with interest subsidies [1]. A personal loan of up to "
               "600,000 yuan; a small-business loan of up to 5 million yuan; and a startup subsidy [1]."),
    ("intro", "", "计划2026年1月1日起施行，有效期两年，即涵盖2026至2028年[1]。"),
    ("intro", "", "The plan takes effect on 1 January 2026 and is valid for two years, so it runs until 2029 [1]."),
    ("m5", "我毕业两年了，能贷多少？", "个人创业担保贷款最长两年[1]。"),   # the founder's figure as the plan's
    ("m5", "我毕业两年了，能贷多少？", "你的个人创业担保贷款最高两年[1]。"),   # said to them, of another thing
]


@pytest.mark.parametrize("clause,question,answer", OWN_TRUTHS)
def test_counts_end_years_and_the_founders_figures_pass(corpus, clause, question, answer):
    assert gate_on(corpus, answer, (clause,), question=question) == []


@pytest.mark.parametrize("clause,question,answer", OWN_LIES)
def test_wrong_counts_years_and_borrowed_figures_are_blocked(corpus, clause, question, answer):
    assert gate_on(corpus, answer, (clause,), question=question) != []


# the other alternative: a clause opening with 或者 / "the other option" switches the subject its figures bind to
SWITCH_TRUTHS = [
    ("m4", "可以租住过渡性住房，最长36个月，或者改领最长24个月、每月税后1000元的住房补贴[1]。"),
    ("m4", "You can rent transitional housing for up to 36 months. The other option is a subsidy of 1,250 yuan "
           "before tax per month, for up to 24 months [1]."),
    ("m4", "You can rent transitional housing for as long as three years [1]."),
]

SWITCH_LIES = [
    ("m4", "可以租住过渡性住房，最长36个月，或者改领最长36个月、每月税后1000元的住房补贴[1]。"),
    ("m4", "You can rent transitional housing for up to 24 months. The other option is a subsidy of 1,250 yuan "
           "before tax per month [1]."),
    ("m4", "可以租住过渡性住房，或者最长48个月[1]。"),
    ("m4", "You can rent transitional housing as long as you register online [1]."),
]


@pytest.mark.parametrize("clause,answer", SWITCH_TRUTHS)
def test_figures_after_the_other_alternative_bind_to_it(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) == []


@pytest.mark.parametrize("clause,answer", SWITCH_LIES)
def test_figures_moved_between_alternatives_are_blocked(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) != []


# 各自 over the subjects it follows; "reaching" as a cap
EACH_TRUTHS = [
    ("m6", "模型券同数据语料券各自最高两百万元[1]。"),
    ("m2", "Degree holders get tiered hukou subsidies, the top tier reaching 100,000 yuan [1]."),
]

EACH_LIES = [
    ("m6", "训练算力券同模型券各自最高两百万元[1]。"),   # the training voucher's cap is 10 million
    ("m6", "模型券各自最高两百万元[1]。"),   # one subject: each of whom?
    ("m2", "Newly introduced doctoral graduates get a hukou subsidy of 100,000 yuan [1]."),   # the cap dropped
]


@pytest.mark.parametrize("clause,answer", EACH_TRUTHS)
def test_each_of_named_subjects_and_caps_in_other_words_pass(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) == []


@pytest.mark.parametrize("clause,answer", EACH_LIES)
def test_each_of_the_wrong_subjects_and_dropped_caps_are_blocked(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) != []
