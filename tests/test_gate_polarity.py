"""A negation denying what a cited clause states is a lie; denying what no clause states, or a comparator
(不少于, "no more than"), is not (assistant/answering/polarity.py). Real corpus, real gate."""

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
