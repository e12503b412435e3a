"""The blind evaluation runner's scoring: figures compared across scripts and spellings, the variants, the floors,
and a malformed blind file refused with its name. (The runner itself is exercised by `opc eval --blind` in the
CI gate.)"""

from __future__ import annotations

import pytest

from assistant.errors import ConfigError
from assistant.evaluate import blind as bl

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


@pytest.mark.parametrize("figure,answer,ok", [
    ("10万元", "最高10萬元", True),
    ("24个月", "最長24個月", True),
    ("1,250 yuan", "1250 yuan before tax", True),
    ("1,000 yuan", "1,000yuan after tax", True),
    ("100万元", "up to 1 million yuan", True),
    ("1,000", "11,000 people", False),
    ("2027年", "有效期2年", False),
    ("50平方米", "最高50平方米", True),
])
def test_figures_are_compared_across_scripts_and_spellings(figure, answer, ok):
    assert bl.figure_stated(figure, answer) is ok


def _case(**kw):
    base = dict(id="x-1", pattern="plain", language="zh", question="住房补贴每月多少？", answerable=True,
                expected_clauses=["m4"], expected_figures=["1250元"])
    return bl.BlindCase(**{**base, **kw})


def test_variants_keep_the_question():
    case = _case()
    assert bl.variant(case, "punct") == "住房补贴每月多少"
    assert bl.variant(case, "s2tw") == "住房補貼每月多少？"
    assert bl.variant(case, "background").endswith(case.question) and len(bl.variant(case, "background")) > 20
    assert case.question in bl.variant(case, "wrapper") and bl.variant(case, "wrapper") != case.question
    en = _case(language="en", question="How much is the housing subsidy?")
    assert bl.variant(en, "s2hk") == en.question and bl.variant(en, "background").endswith(" " + en.question)
    with pytest.raises(ConfigError):
        bl.variant(case, "shout")


def test_summary_and_floors():
    results = [
        bl.BlindResult(id="a", pattern="plain", language="zh", variant="as_written", question="q",
                       expected_answerable=True, answerable=True, answer="", correct=True,
                       unstated_expected=["where_to_apply"], unstated_got=["where_to_apply"]),
        bl.BlindResult(id="b", pattern="ranking", language="en", variant="as_written", question="q",
                       expected_answerable=False, answerable=True, answer="", correct=False,
                       unstated_expected=["ranking", "other"], unstated_got=[]),
        bl.BlindResult(id="a", pattern="plain", language="zh", variant="punct", question="q",
                       expected_answerable=True, answerable=True, answer="", correct=True),
    ]
    s = bl.summarise(results)
    assert s["correct"] == 0.5 and s["per_pattern"]["ranking"]["rate"] == 0.0
    assert s["unstated_recall"] == 0.5  # "other" is judged by the refusal, not counted
    assert s["variants_correct"] == 1.0 and s["per_variant"]["punct"]["n"] == 1
    assert bl.check(s, {"correct": 0.4}) == [] and bl.check(s, {"correct": 0.6})
    with pytest.raises(ConfigError):
        bl.check(s, {"recall": 0.5})


def test_a_malformed_blind_file_is_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  question: 住房补贴？\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml"):
        bl.load_cases(bad)
    dup = tmp_path / "dup.yaml"
    dup.write_text("- {id: x, pattern: plain, language: zh, question: q, answerable: true}\n" * 2, encoding="utf-8")
    with pytest.raises(ConfigError, match="repeats"):
        bl.load_cases(dup)


def test_unstated_recall_counts_parts_under_any_writers_name_and_not_whole_topics():
    """A writer's 'required_documents' is the answers' 'documents_needed'; 'visa' names a topic the plan never
    covers (judged by the refusal), so it is not a part an answer could have listed."""
    def case(want, got):
        return bl.BlindResult(id="x", pattern="half_answerable", language="en", variant="as_written", question="q",
                              expected_answerable=True, answerable=True, answer="", correct=True,
                              unstated_expected=want, unstated_got=got)
    assert bl.unstated_parts()["required_documents"] == "documents_needed"
    assert bl._unstated_recall([case(["required_documents", "visa"], ["documents_needed"])]) == 1.0
    assert bl._unstated_recall([case(["tax_rate", "when_paid"], ["tax"])]) == 0.5
    assert bl._unstated_recall([case(["visa", "policy_after_2027"], [])]) is None
