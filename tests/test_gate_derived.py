"""Truths in any wording, lies still blocked: figures worked out from cited figures (one judge of shares and
multiples, with direction; differences; totals keeping their bound; counts of a cited list), paraphrase words
(synonyms as reviewed data, one English stem for "settle"/"settling"), a denied absolute, a bound that reads like
a precondition, and the one sentence splitter. Real gate on real clauses (tests/gatecheck.py)."""

from __future__ import annotations

import pytest

from assistant.answering.statements import sentences, statements
from assistant.understanding.text import sentence_spans, split_sentences
from tests.gatecheck import gate_on

TRUE = [
    # a multiple of two stated cited figures, the larger over the smaller
    ("训练算力券最高1000万元，是模型券最高200万元的五倍[1]。", "m6"),
    ("The training vouchers' cap of 10 million yuan is five times the model vouchers' 2 million yuan [1].", "m6"),
    # a share below one, said as a fraction
    ("數據語料券最高200萬元，係訓練算力券最高1000萬元嘅五分之一[1]。", "m6"),
    # a multiple across two benefits of one clause: 100万 / 5万 = 20
    ("鲲鹏项目的研发资助最高100万元，是创新创业奖励最高5万元的二十倍[1]。", "m5"),
    # a difference with a difference word
    ("小微企业创业担保贷款最高500万元，个人创业担保贷款最高60万元，两者相差440万元[1]。", "m5"),
    # a total: a monthly figure times a capped period, stated as a cap
    ("住房补贴每月税后1000元，最长24个月，合计最多24000元[1]。", "m4"),
    ("The housing subsidy is 1,250 yuan a month before tax for up to 24 months, at most 30,000 yuan before tax "
     "in total [1].", "m4"),
    # a count: the number of items of a list the cited clause enumerates
    ("智能券可以抵扣算力、模型、数据语料这些前期成本，共三项[1]。", "m6"),
    # a total derived in one part of the sentence, named again in another
    ("住房补贴每月税后1000元，最长24个月，合计最多24000元；这个合计只是上限[1]。", "m4"),
]

LIES = [
    # the direction turned round: the smaller is not five times the larger
    ("模型券最高200万元，是训练算力券最高1000万元的五倍[1]。", "m6"),
    # wrong arithmetic
    ("训练算力券最高1000万元，是模型券最高200万元的四倍[1]。", "m6"),
    ("鲲鹏项目的研发资助最高100万元，是创新创业奖励最高5万元的二十倍多[1]。", "m5"),
    ("小微企业创业担保贷款最高500万元，个人创业担保贷款最高60万元，两者相差400万元[1]。", "m5"),
    ("住房补贴每月税后1000元，最长24个月，合计最多28000元[1]。", "m4"),
    # a product of a figure the answer does not state (1,250 before tax)
    ("住房补贴每月税后1000元，最长24个月，合计最多30000元[1]。", "m4"),
    # a total keeps the tax basis of what it multiplies
    ("The housing subsidy is 1,250 yuan a month before tax for up to 24 months, at most 30,000 yuan after tax in "
     "total [1].", "m4"),
    # a cap's product said as what everyone gets
    ("住房补贴每月税后1000元，最长24个月，合计24000元[1]。", "m4"),
    # sums are never derived: caps of three vouchers are no amount anyone gets
    ("训练算力券最高1000万元、模型券最高200万元、数据语料券最高200万元，合计1400万元[1]。", "m6"),
    # a total over an either/or: housing for 36 months or the subsidy for 24, never both
    ("You can rent transitional housing for up to 36 months and take the housing subsidy for up to 24 months, "
     "60 months in total [1].", "m4"),
    # the direction turned round, in English
    ("The model vouchers' 2 million yuan is five times the training vouchers' cap of 10 million yuan [1].", "m6"),
    # a count that is no list's
    ("智能券可以抵扣算力、模型、数据语料这些前期成本，共四项[1]。", "m6"),
    # a total named again that no part of the sentence derives
    ("住房补贴每月税后1000元，最长24个月；这个合计只是上限[1]。", "m4"),
    # a difference without a word saying it is one
    ("小微企业创业担保贷款最高500万元，个人创业担保贷款最高60万元，另有440万元[1]。", "m5"),
]


@pytest.mark.parametrize("answer,clause", TRUE)
def test_figures_derived_exactly_from_cited_figures_pass(corpus, answer, clause):
    assert gate_on(corpus, answer, (clause,)) == []


@pytest.mark.parametrize("answer,clause", LIES)
def test_wrong_or_forbidden_arithmetic_is_blocked(corpus, answer, clause):
    assert gate_on(corpus, answer, (clause,)) != []


PARAPHRASE_TRUE = [
    # synonyms of the clause's verbs (corpus/support.yaml equivalents): 走向 → 迈向, 从 → 由
    ("市区联合建设产业创新空间，支持企业由孵化迈向成熟[1]。", "m3"),
    # one English stem for "settling" and "settle"
    ("AI teams that settle in other industrial spaces may get low-cost startup space of up to 50 square meters [1].",
     "m3"),
    # a denied absolute where the clause sets who gets it
    ("并不是所有企业都能领智能券，发放对象是OPC社区内的企业[1]。", "m6"),
    ("Not everyone gets smart vouchers: districts allocate them to enterprises in OPC communities [1].", "m6"),
    # "as long as" before a figure bounds the figure
    ("You can take the housing subsidy for as long as 24 months [1].", "m4"),
]

PARAPHRASE_LIES = [
    ("所有企业都能领智能券[1]。", "m6"),
    ("Everyone gets smart vouchers automatically [1].", "m6"),
    # "as long as" before a condition is still a precondition the clause must state
    ("You get the housing subsidy as long as you rent in Shenzhen [1].", "m4"),
    # a synonym carries no claim of its own: the thing acted on is still checked
    ("市区联合建设产业创新空间，支持企业由孵化迈向海外上市[1]。", "m3"),
]


@pytest.mark.parametrize("answer,clause", PARAPHRASE_TRUE)
def test_paraphrases_pass(corpus, answer, clause):
    assert gate_on(corpus, answer, (clause,)) == []


@pytest.mark.parametrize("answer,clause", PARAPHRASE_LIES)
def test_paraphrase_mechanisms_still_block_lies(corpus, answer, clause):
    assert gate_on(corpus, answer, (clause,)) != []


def test_one_sentence_splitter():
    text = "Apply by Jan. 1, 2027.  The cap is 2.5 million yuan!\n\n住房补贴最长24个月；租金约六成。下一句"
    spans = sentence_spans(text)
    assert [" ".join(text[a:b].split()) for a, b in spans] == split_sentences(text)
    assert [text[a:b] for a, b in spans][0] == "Apply by Jan. 1, 2027."
    parts = [text[a:b] for a, b in sentences(text, parts=True)]
    assert "住房补贴最长24个月；" in parts and "租金约六成。" in parts
    # statements keep their place in the answer, whitespace and all
    for st in statements(text):
        assert text[st.start:st.start + len(st.text)] == st.text


def test_all_with_both_is_still_both(corpus):
    # 都 after 所有 is the "all"; 同时 after it still says both of an either/or
    assert gate_on(corpus, "符合条件的青年创业者所有人都可以同时租住过渡性住房和领取住房补贴[1]。", ("m4",)) != []


def test_a_counted_list_may_say_in_all(corpus):
    # 一共 with the count of one cited list is that count, not a total the clause must give
    assert gate_on(corpus, "智能券一共可以抵扣三类成本：算力、模型和数据语料[1]。", ("m6",)) == []
    assert gate_on(corpus, "智能券一共可以抵扣五类成本：算力、模型和数据语料[1]。", ("m6",)) != []
