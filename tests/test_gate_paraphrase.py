"""True answers in paraphrase pass, the same shapes with a false claim are blocked: figures in k/M notation, a count
of the answer's own items read as sentences or as a list cut at its connectives, a ratio of a figure the clause binds
to a broader subject in a sentence naming the narrower one, an "or" of two words for one thing (贴息或利息优惠)
offering no choice, a pronoun in a statement of absence, Cantonese 嘅 in a list item, hyphenated words, a bound
written in English words ("no more than five years"), a ranking word inside a step word (第一步). Real gate on real
clauses (tests/gatecheck.py)."""

from __future__ import annotations

import pytest

from assistant.knowledge.figures import extract_figures
from tests.gatecheck import gate_on

TRUTHS = [
    # k/M notation: the figure itself
    ("m6", "", "The training voucher reaches 10M yuan, model vouchers 2M each [1]."),
    ("m5", "", "个人创业担保贷款最高60万元（即600k）[1]。"),
    # a count of the answer's own items: the rest of the answer as that many sentences
    ("m4", "", "Two choices [1]. Transitional housing can be rented for up to 36 months [1]. A housing subsidy "
               "can be taken for up to 24 months instead [1]."),
    # ... one sentence of "either …, or …"
    ("m4", "", "Young founders have two choices [1]. Either transitional housing for up to 36 months, or a "
               "housing subsidy for up to 24 months [1]."),
    # ... a list cut at 、 and a connective opening a clause, a clause saying more of the last item
    ("m6", "", "市级政策券分三类：训练算力券、模型券，以及数据语料券，后两者各最高200万元[1]。"),
    # ... and the count said again of the same items
    ("m4", "", "住房方面有两项：过渡性住房最长36个月[1]；住房补贴最长24个月[1]。两项的具体申请方式，计划没有写明。"),
    # a ratio: the consortium's funding is bound to "funding" in the clause's sentence naming the consortium
    ("m9,m6", "", "创新联合体入选项目最高可获3000万元资助[1]，训练算力券最高1000万元[2]，所以创新联合体资助是训练算力券的三倍。"),
    # "or" between two words for one thing in the clause: a "plus" of it joins no alternatives
    ("m5", "", "Recent graduates may take a personal startup guaranteed loan of up to 600,000 yuan, plus "
               "interest subsidies or discounts [1]."),
    # a pronoun in an absence: the thing the sentence before names
    ("m6", "", "Districts give smart vouchers to OPC-community enterprises by scale [1]. The plan sets no amount "
               "for them."),
    # Cantonese 嘅 in a list item the clause names with 的
    ("m3", "", "入駐其他產業空間、符合條件嘅人工智能團隊，可享最多50平方米低成本創業空間[1]。"),
    # a hyphenated word of the clause is its parts; "no more than five years" bounds a figure, it compares nothing
    ("m5", "", "If you graduated no more than five years ago, your micro enterprise may apply for a "
               "startup guaranteed loan of up to 5 million yuan [1]."),
    # a step word holding a ranking word; framing words
    ("m1", "", "第一步依托南山、福田等人工智能创新集聚区，再向全市拓展[1]。"),
    ("m2", "", "新引进的博士、硕士、学士都在分档落户补贴范围内，最高10万元[1]。"),
    ("m6", "", "The vouchers pay for model training and API calls [1]."),
    # a question of whether (可唔可以同时) in a statement of absence claims no choice
    ("m5", "", "個人創業擔保貸款最高60萬元、小微企業創業擔保貸款最高500萬元[1]。兩者可唔可以同時申請，計劃冇講。"),
]

LIES = [
    ("m6", "", "The training voucher reaches 20M yuan [1]."),
    ("m5", "", "个人创业担保贷款最高60万元（即800k）[1]。"),
    # a count that is not the number of items
    ("m4", "", "Three choices [1]. Transitional housing can be rented for up to 36 months [1]. A housing subsidy "
               "can be taken for up to 24 months instead [1]."),
    ("m6", "", "市级政策券分两类：训练算力券、模型券，以及数据语料券[1]。"),
    # a wrong ratio, and a ratio turned round
    ("m9,m6", "", "创新联合体入选项目最高可获3000万元资助[1]，训练算力券最高1000万元[2]，所以创新联合体资助是训练算力券的五倍。"),
    ("m9,m6", "", "创新联合体入选项目最高可获3000万元资助[1]，训练算力券最高1000万元[2]，所以训练算力券是创新联合体资助的三倍。"),
    # "both" of what the clause offers as a choice
    ("m4", "", "Young founders can get transitional housing plus a housing subsidy at the same time [1]."),
    # an absence the clause contradicts, the pronoun pointing at a benefit with a figure
    ("m6", "", "The city gives training vouchers to enterprises [1]. The plan sets no cap for them."),
    # Cantonese 嘅 in an item of another list
    ("m3", "", "入駐其他產業空間、符合條件嘅人工智能團隊同高校，可享最多50平方米低成本創業空間[1]。"),
    # the bound stays checked: more years than the clause gives
    ("m5", "", "If you graduated no more than eight years ago, your micro enterprise may apply for a startup "
               "guaranteed loan of up to 5 million yuan [1]."),
    ("m1", "", "南山是全市第一的人工智能创新集聚区[1]。"),
    ("m2", "", "学士唔喺补贴范围内，只有博士、硕士可以领分档落户补贴[1]。"),
    ("m5", "", "個人創業擔保貸款最高60萬元、小微企業創業擔保貸款最高500萬元[1]。兩者唔可以同時申請。"),
]


@pytest.mark.parametrize("clause,question,answer", TRUTHS)
def test_true_paraphrase_passes(corpus, clause, question, answer):
    assert gate_on(corpus, answer, tuple(clause.split(",")), question) == []


@pytest.mark.parametrize("clause,question,answer", LIES)
def test_false_claim_in_the_same_shape_is_blocked(corpus, clause, question, answer):
    assert gate_on(corpus, answer, tuple(clause.split(",")), question) != []


@pytest.mark.parametrize("text,value", [("a 5M cap", 5e6), ("1.5M yuan", 1.5e6), ("（600k）", 6e5)])
def test_k_and_capital_m_scale_the_number(text, value):
    assert [f.value for f in extract_figures(text)] == [value]


def test_lower_case_m_without_a_currency_stays_metres_or_a_number():
    assert [f.value for f in extract_figures("5m wide")] == [5.0]
