"""The evaluation's deterministic per-case checks and aggregation, as tables; the dataset loader."""

from __future__ import annotations

import math

import pytest

from assistant.errors import InvalidDataset
from assistant.evaluate import checks
from assistant.evaluate.dataset import check_clause_ids, load_dataset, parse_cases

M4_EN = ("Qualified young entrepreneurs may rent transitional housing for up to 36 months at about 60% of market "
         "reference rent, or opt for a housing subsidy for up to 24 months (1,250 yuan before tax / 1,000 yuan "
         "after tax per month).")
M4_ZH = "符合条件的青年创业者可租住过渡性住房，最长36个月，租金约为市场参考租金的60%；或选择领取住房补贴，最长24个月（税前每月1250元/税后每月1000元）。"
nan = math.nan


@pytest.mark.parametrize("expected, got, ok", [
    (True, True, True), (False, False, True), (True, False, False), (False, True, False)])
def test_refusal_correct(expected, got, ok):
    assert checks.refusal_correct(expected, got) is ok


@pytest.mark.parametrize("expected, answer, ok", [
    (["10万元"], "最高100,000 yuan [1]", True),            # normalised: 10万元 = 100,000 yuan
    (["100,000 yuan"], "最高十万元。[1]", True),
    (["10萬元"], "最高10万元", True),                       # Traditional vs Simplified unit
    (["36个月", "60%"], "最长36个月，租金约60%", True),
    (["36个月", "60%"], "最长36个月", False),               # every expected figure, not one of them
    (["1,250 yuan"], "1,000 yuan", False),
    (["10"], "more than 10 OPC communities", True),
    (["Jan. 1, 2026"], "该计划自2026年1月1日起施行", True),
    ([], "anything", None),                                  # nothing expected: does not apply
])
def test_figures_present(expected, answer, ok):
    assert checks.figures_present(expected, answer) is ok


@pytest.mark.parametrize("answer, cited, ok", [
    ("…for up to 24 months (1,250 yuan before tax) [1]", [M4_EN], True),
    ("最长24个月，每月1250元 [1]", [M4_EN], True),              # figure held by the other language
    ("最长24个月，每月1500元 [1]", [M4_EN, M4_ZH], False),       # 1500 is in no cited clause
    ("The plan does not cover that.", [], True),               # no figure stated
    ("It pays 300,000 yuan.", [], False),                      # a figure with nothing cited
    ("See [1] and [2].", [M4_EN], True),                       # markers are not figures
])
def test_figures_grounded(answer, cited, ok):
    assert checks.figures_grounded(answer, cited) is ok


@pytest.mark.parametrize("expected, cited, ok", [
    (["p:m4"], ["p:m4"], True), (["p:m4"], ["p:m1", "p:m4"], True), (["p:m4", "p:m5"], ["p:m5"], True),
    (["p:m4"], ["p:m1"], False), (["p:m4"], [], False), ([], ["p:m1"], None)])
def test_citation_expected(expected, cited, ok):
    assert checks.citation_expected(expected, cited) is ok


@pytest.mark.parametrize("expected, label, text, ok", [
    ("en", "en", "The housing subsidy is 1,250 yuan a month. [1]", True),
    ("zh", "zh", "住房补贴每月1250元。[1]", True),
    ("zh-Hant", "zh-Hant", "住房補貼每月1250元。[1]", True),
    ("zh-Hant", "zh-Hant", "住房补贴每月1250元。[1]", False),   # labelled Traditional, written Simplified
    ("zh", "zh", "The housing subsidy is 1,250 yuan.", False),  # written in the wrong language
    ("en", "zh", "The housing subsidy is 1,250 yuan.", False),  # labelled wrong
])
def test_language_correct(expected, label, text, ok):
    assert checks.language_correct(expected, label, text) is ok


@pytest.mark.parametrize("texts, expected, ok", [
    (["up to 100,000 yuan [1]", "最高10万元。[1]"], [], True),
    (["up to 100,000 yuan", "最高10万元", "最高10萬元"], ["10万元"], True),
    (["up to 100,000 yuan", "最高20万元"], [], False),
    # only the figures asked for are compared: an extra sentence in one language does not count
    (["up to 100,000 yuan; offices up to 50 square meters", "最高10万元"], ["100,000 yuan"], True),
    (["up to 100,000 yuan", "最高5万元"], ["100,000 yuan"], False),
    (["up to 100,000 yuan"], [], None),                          # a pair needs two answers
])
def test_same_figures(texts, expected, ok):
    assert checks.same_figures(texts, expected) is ok


RANKING = ["p:m1", "p:m4", "p:m2", "p:m6", "p:m5"]


@pytest.mark.parametrize("expected, k, value", [
    (["p:m1"], 1, 1.0), (["p:m4"], 1, 0.0), (["p:m4"], 3, 1.0), (["p:m5"], 3, 0.0), (["p:m5"], 5, 1.0),
    (["p:m9"], 5, 0.0), (["p:m9", "p:m2"], 3, 1.0), ([], 3, None)])
def test_recall_at(expected, k, value):
    assert checks.recall_at(RANKING, expected, k) == value


@pytest.mark.parametrize("expected, value", [
    (["p:m1"], 1.0), (["p:m4"], 0.5), (["p:m6", "p:m2"], 1 / 3), (["p:m9"], 0.0), ([], None)])
def test_reciprocal_rank(expected, value):
    assert checks.reciprocal_rank(RANKING, expected) == value


@pytest.mark.parametrize("values, mean, n, nans", [
    ([True, True, False, None], 2 / 3, 3, 0),
    ([1.0, 0.5, None], 0.75, 2, 0),
    ([1.0, nan, 1.0], 2 / 3, 3, 1),       # NaN counts as a failure, never dropped from the mean
    ([None, None], None, 0, 0),
    ([], None, 0, 0),
])
def test_share_counts_nan_as_failure(values, mean, n, nans):
    got, got_n, got_nan = checks.share(values)
    assert (got_n, got_nan) == (n, nans)
    assert got == pytest.approx(mean) if mean is not None else got is None


@pytest.mark.parametrize("values, p, value", [
    ([10.0, 20.0, 30.0, 40.0], 50, 25.0), ([10.0, 20.0, 30.0, 40.0], 95, 38.5), ([5.0], 95, 5.0), ([], 50, None)])
def test_percentile(values, p, value):
    assert checks.percentile(values, p) == value


def test_golden_set_loads_and_covers_the_issue(golden):
    cases = load_dataset()
    assert len(cases) == len(golden) >= 150
    cats = {c.category for c in cases}
    assert {"figure", "list", "eligibility", "traditional", "mixed", "followup", "refusal", "false_premise",
            "override"} <= cats
    assert {c.language for c in cases} == {"en", "zh", "zh-Hant"}
    assert all(c.turns for c in cases if c.category == "followup")


def test_golden_clause_ids_exist_in_the_corpus(bot):
    check_clause_ids(load_dataset(), {c.id for c in bot.corpus.clauses})
    with pytest.raises(InvalidDataset, match="sz-ai-opc-plan:m99"):
        check_clause_ids(parse_cases([{"id": "a", "question": "q", "language": "en", "category": "figure",
                                       "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m99"]}]),
                         {c.id for c in bot.corpus.clauses})


GOOD = {"id": "a", "question": "How much?", "language": "en", "category": "figure", "answerable": True,
        "expected_clauses": ["p:m4"], "expected_figures": [1250]}


@pytest.mark.parametrize("raw, message", [
    ([], "non-empty YAML list"),
    ({"id": "a"}, "non-empty YAML list"),
    (["just a string"], "case 1 is not a mapping"),
    ([{**GOOD, "language": "fr"}], "language"),
    ([{**GOOD, "answerable": False}], "cannot expect figures or clauses"),
    ([{**GOOD, "expected_clauses": ["m4"]}], "<document>:<clause>"),
    ([{**GOOD, "surprise": 1}], "surprise"),
    ([{k: v for k, v in GOOD.items() if k != "question"}], "question"),
    ([GOOD, GOOD], "appears more than once"),
])
def test_bad_datasets_are_rejected_with_the_reason(raw, message):
    with pytest.raises(InvalidDataset, match=message):
        parse_cases(raw)


def test_dataset_file_errors(tmp_path):
    with pytest.raises(InvalidDataset, match="No dataset"):
        load_dataset(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: [unclosed", encoding="utf-8")
    with pytest.raises(InvalidDataset, match="not valid YAML"):
        load_dataset(bad)
    good = tmp_path / "good.yaml"
    good.write_text("- {id: a, question: q, language: zh, category: figure, answerable: true, "
                    "expected_figures: [10]}\n", encoding="utf-8")
    assert load_dataset(good)[0].expected_figures == ["10"]  # YAML numbers read as figure text
