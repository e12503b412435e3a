"""Relations the grounding gate checks between the things a statement names (assistant/answering/relations.py):
either/or against both, comparisons, and paraphrase words that carry no claim. Real corpus, real gate."""

from __future__ import annotations

import pytest

from assistant.answering.statements import spell_out
from tests.gatecheck import gate_on

M = "sz-ai-opc-plan:"


def gate(corpus, answer: str, *clauses: str) -> list[str]:
    return gate_on(corpus, answer, clauses)


TRUE = [
    # the choice m4 offers ("或选择"), in other words
    ("住房方面只能二选一：过渡性住房最长36个月，或者住房补贴最长24个月[1]。", "m4"),
    ("過渡性住房同住房補貼唔可以一齊攞，你要揀其一[1]。", "m4"),
    ("You pick either transitional housing for up to 36 months or the housing subsidy for up to 24 months, "
     "not both [1].", "m4"),
    ("Transitional housing and the housing subsidy cannot be combined [1].", "m4"),
    # what m5 gives together ("和"), said together
    ("Selected Kunpeng projects can receive the innovation reward as well as R&D funding [1].", "m5"),
    # "both of them" points back to the two things named before it, not to the choice named after it
    ("个人贷款最高60万元，小微企业贷款最高500万元，两者都享受相应的贴息或利息优惠[1]。", "m5"),
    ("The personal loan goes up to 600,000 yuan, and the small-business loan up to 5 million yuan, both of them "
     "with interest subsidies or discounts [1].", "m5"),
    # comparisons the figures bear out
    ("训练算力券最高1000万元，是模型券上限的5倍[1]。", "m6"),
    ("The training voucher cap is five times the model voucher cap [1].", "m6"),
    ("模型券的上限是训练算力券的五分之一[1]。", "m6"),
    ("Transitional housing (up to 36 months) lasts longer than the housing subsidy [1].", "m4"),
    # paraphrase words that carry no claim
    ("市级政策券用来支持模型训练、智能体构建和API调用[1]。", "m6"),
    ("The platform gives tax and intellectual property services, plus large-model filing guidance [1].", "m10"),
]


@pytest.mark.parametrize("answer, clause", TRUE, ids=[a for a, _ in TRUE])
def test_true_relations_pass(corpus, answer, clause):
    assert gate(corpus, answer, clause) == []


LIES = [
    # both, where the clause offers a choice
    ("过渡性住房和住房补贴可以叠加，两样都能拿[1]。", "m4", "叠加"),
    ("You can rent transitional housing and, at the same time, draw the housing subsidy [1].", "m4",
     "at the same time"),
    ("過渡性住房住滿36個月，同時仲可以一齊攞住房補貼[1]。", "m4", "同時"),
    ("青年创业者可以租住过渡性住房或领取住房补贴，两者都可以享受[1]。", "m4", "两者都"),
    ("You may rent transitional housing or opt for the housing subsidy, and both of them can be had [1].", "m4",
     "both of them"),
    # only one, where the clause gives both
    ("Kunpeng projects get either the innovation reward or the R&D funding, only one of the two [1].", "m5",
     "either"),
    ("鲲鹏项目的创新创业奖励和研发资助只能择一[1]。", "m5", "择一"),
    # comparisons the figures refute, or with no figure for one side
    ("留学青年人才的创业资助多于鲲鹏项目的研发资助[1]。", "m5", "多于"),
    ("The model voucher cap is higher than the data corpus voucher cap [1].", "m6", "higher than"),
    ("模型券的上限是训练算力券的两倍[1]。", "m6", "200%"),
    ("The model voucher cap is five times the training voucher cap [1].", "m6", "five times"),
    ("The housing subsidy lasts longer than transitional housing [1].", "m4", "longer than"),
]


@pytest.mark.parametrize("answer, clause, named", LIES, ids=[a for a, _, _ in LIES])
def test_false_relations_are_blocked_and_named(corpus, answer, clause, named):
    problems = gate(corpus, answer, clause)
    assert problems and any(named.lower() in p.lower() for p in problems), problems


def test_a_figure_bound_is_no_comparison_of_two_things(corpus):
    # "超过" before a figure bounds it; "more than" between two things compares them
    assert gate(corpus, "到2027年底，全市OPC社区面积预计超过50万平方米[1]。", "m1") == []
    assert gate(corpus, "By the end of 2027 the OPC communities will cover more than 500,000 square meters [1].",
                "m1") == []


def test_a_comparison_is_judged_on_the_cited_sources_only(corpus):
    # the startup loan figures are in m5; cited m4 alone gives the housing subsidy nothing to be compared with
    answer = "The housing subsidy is higher than the personal startup guaranteed loan [1]."
    assert gate(corpus, answer, "m4")


@pytest.mark.parametrize("answer, clause, holds", [
    ("过渡性住房的期限比住房补贴长[1]。", "m4", True),
    ("住房补贴的期限比过渡性住房长[1]。", "m4", False),
    ("訓練算力券嘅上限比模型券高好多[1]。", "m6", True),
    ("模型券的上限比训练算力券高[1]。", "m6", False),
])
def test_x_bi_y_comparisons_follow_the_figures(corpus, answer, clause, holds):
    assert (gate(corpus, answer, clause) == []) is holds


def test_words_holding_bi_compare_nothing(corpus):
    # 比如 gives an example: "最高" after it bounds a figure, it ranks nothing
    assert gate(corpus, "市级政策券比如训练算力券最高1000万元，模型券最高200万元[1]。", "m6") == []


@pytest.mark.parametrize("text, spelt", [
    ("是模型券上限的5倍", "是模型券上限的500%"),
    ("five times the model voucher", "500% the model voucher"),
    ("roadshows 4 times a year", "roadshows 4 times a year"),   # how often, not a multiple
])
def test_multiples_in_digits_and_english_words_are_figures(text, spelt):
    assert spell_out(text) == spelt


@pytest.mark.parametrize("answer, clause, shown", [
    # "the former" and "the latter": the two things named before them, in their order
    ("The training compute voucher is up to 10 million yuan and the model voucher up to 2 million yuan; the former "
     "is five times the latter [1].", "m6", True),
    ("The training compute voucher is up to 10 million yuan and the model voucher up to 2 million yuan; the latter "
     "is five times the former [1].", "m6", False),
    ("訓練算力券最高1000萬元，模型券最高200萬元，前者係後者嘅五倍[1]。", "m6", True),
    ("訓練算力券最高1000萬元，模型券最高200萬元，後者係前者嘅五倍[1]。", "m6", False),
    # a share written with numerals of two characters: 二十分之一 is 5 %, not 十分之一
    ("个人创业担保贷款最高60万元，小微企业创业担保贷款最高500万元，前者不到后者的二十分之一[1]。", "m5", False),
    ("训练算力券最高1000万元，模型券最高200万元，模型券是训练算力券的五分之一[1]。", "m6", True),
    ("训练算力券最高1000万元，模型券最高200万元，模型券是训练算力券的十分之一[1]。", "m6", False),
])
def test_the_former_the_latter_and_shares_follow_the_figures(corpus, answer, clause, shown):
    assert (gate(corpus, answer, clause) == []) is shown


def test_multiples_and_fractions_written_with_numerals_of_several_characters():
    assert spell_out("二十分之一") == "5%" and spell_out("十二倍") == "1200%" and spell_out("百分之六十") == "60%"
