"""Truths in the words answers use, lies still blocked: discourse markers that state nothing (总的来说, "in short"),
reviewed paraphrase words (corpus/support.yaml `equivalents`: pick/select, dense/density, step up/increase, 改领,
市、区两级), and a report of what the plan says in Cantonese (佢只系话…), whose 只 restricts the report, not the
benefit. Real gate on real clauses (tests/gatecheck.py)."""

from __future__ import annotations

import pytest

from assistant.knowledge.corpus import load_corpus
from assistant.settings import BUILTIN_CORPUS
from tests.gatecheck import gate_on


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(BUILTIN_CORPUS)


TRUTHS = [
    ("m4", "总的来说，符合条件的青年创业者可以租住过渡性住房，最长36个月[1]。"),
    ("m4", "另一方面，也可以改领住房补贴，最长24个月[1]。"),
    ("m1", "Districts pick areas with dense talent and active entrepreneurial ecosystems [1]."),
    ("m6", "市、区两级会加大对OPC社区的支持力度[1]。"),
    ("m6", "In short, the city and districts step up support for OPC communities [1]."),
    ("m4", "计划只系话符合条件嘅青年创业者可以租住过渡性住房，最长36个月[1]。"),
    ("m1", "The bigger picture is an AI OPC ecosystem with clear functions [1]."),
]

LIES = [
    ("m4", "总的来说，过渡性住房最长48个月[1]。"),
    ("m4", "另一方面，也可以改领住房补贴，最长36个月[1]。"),
    ("m6", "市、区两级会为每家企业发放100万元[1]。"),
    ("m6", "In short, the city and districts step up support for all enterprises nationwide [1]."),
    ("m4", "计划只系话硕士可以租住过渡性住房[1]。"),
    ("m4", "The plan only says doctoral graduates may rent transitional housing [1]."),
]


@pytest.mark.parametrize("clause,answer", TRUTHS)
def test_framing_and_paraphrase_words_pass(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) == []


@pytest.mark.parametrize("clause,answer", LIES)
def test_lies_in_the_same_words_are_blocked(corpus, clause, answer):
    assert gate_on(corpus, answer, (clause,)) != []
