"""How the gate reads a statement: a negation denying what a cited clause states is a lie, denying what no clause
states or a comparator (不少于, "no more than") is not (assistant/answering/polarity.py); amounts and words as
people write them; a share judged in its own part of the sentence. Real corpus, real gate."""

from __future__ import annotations

import pytest

from tests.gatecheck import gate_on


@pytest.mark.parametrize("answer, clause", [
    ("Qualified young entrepreneurs cannot rent transitional housing [1].", "m4"),
    ("過渡性住房唔可以租住，只可以領住房補貼[1]。", "m4"),
    ("各区发放的智能券不能用来抵扣算力成本[1]。", "m6"),
    ("Districts do not hold regular investment and financing roadshows [1].", "m9"),
    ("計劃沒有鼓勵企業與科研機構共建聯合實驗室[1]。", "m9"),
])
def test_a_negation_of_what_the_clause_states_is_blocked(corpus, answer, clause):
    found = gate_on(corpus, answer, (clause,))
    assert found, answer


@pytest.mark.parametrize("answer, clause", [
    # a bound, not a denial
    ("每个OPC社区面积不少于1万平方米[1]。", "goals"),
    ("每個社區面積唔少於1萬平方米[1]。", "goals"),
    # denying what no clause states: the founder told the plan says no more
    ("智能券不是人人都有，是各区根据规模向OPC社区内企业发放的[1]。", "m6"),
    ("It is not mandatory: the plan encourages districts to set up matching seed and angel funds [1].", "m9"),
])
def test_a_bound_or_a_denial_of_what_no_clause_states_passes_this_check(corpus, answer, clause):
    assert not [p for p in gate_on(corpus, answer, (clause,)) if "denies" in p or "否定" in p], answer


def test_a_combination_denied_is_left_to_the_either_or_check(corpus):
    # the plan offers housing OR the subsidy: saying they cannot be combined is relations.py's to judge, and true
    assert not [p for p in gate_on(corpus, "過渡性住房同住房補貼唔可以同時攞[1]。", ("m4",)) if "否定" in p]


@pytest.mark.parametrize("answer, clause", [
    # an amount in Chinese numerals with 万 and no 元 is that amount ("上限六十萬" for 最高60万元)
    ("畢業五年內嘅高校畢業生創業，個人創業擔保貸款上限六十萬[1]。", "m5"),
    # the plural of a word ending in -ee ("degrees" for "degree holders")
    ("Newly introduced holders of doctoral, master's and bachelor's degrees can get a tiered hukou subsidy of up to "
     "100,000 yuan [1].", "m2"),
])
def test_figures_and_words_as_people_write_them_are_the_sources(corpus, answer, clause):
    assert gate_on(corpus, answer, (clause,)) == []


def test_a_share_is_judged_in_its_own_part_of_the_sentence(corpus):
    # the part before ； names the workspace (m3): the housing share after it is the housing clause's 60 %
    answer = ("辦公方面，OPC社區內按團隊需要提供低成本創業空間[2]；居住方面，符合條件的青年創業者可租住過渡性住房最長36個月，"
              "租金約為市場參考租金的60%[1]。")
    assert gate_on(corpus, answer, ("m4", "m3")) == []
