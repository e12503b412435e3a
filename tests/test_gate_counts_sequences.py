"""Counts of a listed set, denials worded as "not arranged" / "not among", and alternatives chained into a
sequence. Real gate on real clauses (tests/gatecheck.py):

- a count before a colon must equal the items listed after it: 以及 / "as well as" joins the last item wherever it
  stands, and a list quoted right after the colon ends where its quotation closes (assistant/answering/own_figures.py);
- 没有为X安排Y, X并不在计划的服务之内: a statement of absence (corpus/support.yaml `absent.split`), false where a
  cited clause names the thing;
- a thing had "after" or "then" another the clause offers as its alternative (接着, 之后再, "after that") says both
  (corpus/support.yaml `relations.sequence`, assistant/answering/relations.py).
"""

from __future__ import annotations

import pytest

from tests.gatecheck import gate_on

TRUTHS = [
    # the count equals the list, its last item joined by 以及 / "as well as", or quoted and followed by more words
    ("m2", "顶尖创新人才可获六项支持：导师指导、投资人对接、优先保障产业空间、创新资源、资金支持以及市级应用场景对接[1]。"),
    ("m2", "頂尖創新人才可獲六項支持：導師指導、投資人對接、優先保障產業空間、創新資源、資金支持以及市級應用場景對接[1]。"),
    ("m4", "计划推行包含三个层级的住房供应体系：「一张床、一间房、一套公寓」，保障人才安居[1]。"),
    ("m4", "計劃推行包含三個層級的住房供應體系：「一張床、一間房、一套公寓」，保障人才安居[1]。"),
    ("m4", "The plan promotes a housing supply system of three levels: “one bed, one room, one apartment”, to ensure stable living "
           "conditions for talent [1]."),
    # the plan really does not give these: a statement of absence in the same words stays true
    ("m5", "计划没有为留学青年人才单独安排住房补贴[1]。"),
    ("m10", "法律援助并不在计划提供的服务之内[1]。"),
    ("m10", "法律援助並不在計劃提供的服務之內[1]。"),
    # the choice itself, and a sequence of two things the clause does not offer as alternatives
    ("m4", "可以先租住过渡性住房，最长36个月；或者选择领取住房补贴，最长24个月[1]。"),
    ("m4", "Young entrepreneurs may rent transitional housing for up to 36 months, or opt for the housing subsidy "
           "instead [1]."),
    ("m5", "The plan does not separately arrange housing subsidies for overseas-educated young talents [1]."),
]

LIES = [
    # a count one short of, or one past, the items it lists
    ("m2", "顶尖创新人才可获五项支持：导师指导、投资人对接、优先保障产业空间、创新资源、资金支持以及市级应用场景对接[1]。"),
    ("m2", "頂尖創新人才可獲五項支持：導師指導、投資人對接、優先保障產業空間、創新資源、資金支持以及市級應用場景對接[1]。"),
    ("m4", "计划推行包含四个层级的住房供应体系：「一张床、一间房、一套公寓」，保障人才安居[1]。"),
    ("m4", "計劃推行包含四個層級的住房供應體系：「一張床、一間房、一套公寓」，保障人才安居[1]。"),
    ("m4", "The plan promotes a housing supply system of four levels: “one bed, one room, one apartment”, to ensure stable living "
           "conditions for talent [1]."),
    # denying what the cited clause provides
    ("m5", "计划没有为留学青年人才单独安排创业资助[1]。"),
    ("m5", "The plan does not separately arrange startup funding for overseas-educated young talents [1]."),
    ("m10", "大模型备案指导并不在计划提供的服务之内[1]。"),
    ("m10", "大模型備案指導並不在計劃提供的服務之內[1]。"),
    ("m10", "大模型備案指導唔喺計劃提供嘅服務之內[1]。"),
    # the two alternatives chained: first one, then the other
    ("m4", "可以先租住过渡性住房最长36个月；住满之后，还可以接着领取最长24个月的住房补贴[1]。"),
    ("m4", "可以先租住過渡性住房最長36個月，之後再領取最長24個月的住房補貼[1]。"),
    ("m4", "先住過渡性住房最長36個月，跟住再攞最長24個月嘅住房補貼[1]。"),
    ("m4", "Young entrepreneurs may rent transitional housing for up to 36 months, and after that also receive the "
           "housing subsidy for up to 24 months [1]."),
]


@pytest.mark.parametrize("clause,answer", TRUTHS)
def test_counts_absences_and_sequences_in_the_sources_pass(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) == []


@pytest.mark.parametrize("clause,answer", LIES)
def test_wrong_counts_false_denials_and_chained_alternatives_are_blocked(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) != []
