"""`opc eval` as a real process on a small dataset: reports, the gate's exit codes, --compare, baselines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


OPC = str(Path(sys.executable).parent / "opc")
ROOT = Path(__file__).resolve().parent.parent
CASES = [
    {"id": "housing-zh", "pair": "housing", "question": "住房补贴每月多少钱？", "language": "zh", "category": "figure",
     "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m4"], "expected_figures": ["1250元", "1000元"]},
    {"id": "housing-en", "pair": "housing", "question": "How much is the monthly housing subsidy?", "language": "en",
     "category": "figure", "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m4"],
     "expected_figures": ["1,250 yuan", "1,000 yuan"]},
    {"id": "hukou-hant", "question": "博士落戶補貼最高多少？", "language": "zh-Hant", "category": "traditional",
     "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m2"], "expected_figures": ["10萬元"]},
    {"id": "followup-master", "question": "那硕士呢？", "turns": ["博士落户补贴有多少？"], "language": "zh",
     "category": "followup", "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m2"],
     "expected_figures": ["10万元"]},
    {"id": "shanghai", "question": "What does Shanghai offer one-person companies?", "language": "en",
     "category": "refusal", "answerable": False},
    # An expectation the plan contradicts: this case must fail, and be listed first.
    {"id": "wrong-figure", "question": "How big is the training power voucher?", "language": "en",
     "category": "figure", "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m6"],
     "expected_figures": ["20 million yuan"]},
]


def run(*args, data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPC_EVAL_LLM_")}
    env.update(OPC_DATA_DIR=str(data_dir), COLUMNS="220")
    return subprocess.run([OPC, "eval", *map(str, args)], capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def small(bot, data_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("eval-small")
    path = folder / "small.yaml"
    path.write_text(yaml.safe_dump(CASES, allow_unicode=True), encoding="utf-8")
    return data_dir, path, folder


@pytest.fixture(scope="module")
def first_run(small):
    """One run writing a baseline and comparing against a second configuration (top_k 1)."""
    data_dir, dataset, folder = small
    compare = folder / "top1.yaml"
    compare.write_text("retrieval.top_k: 1\nmode: extractive\n", encoding="utf-8")
    result = run("--dataset", dataset, "--out", folder / "reports", "--compare", compare,
                 "--update-baseline", "--baseline", folder / "baseline.json", data_dir=data_dir)
    return result, folder


def test_reports_are_written_with_failures_first(first_run):
    result, folder = first_run
    assert result.returncode == 0, result.stderr  # no threshold, no baseline to fall below
    reports = folder / "reports"
    data = json.loads((reports / "results.json").read_text(encoding="utf-8"))
    default, top1 = data["runs"]
    assert [r["name"] for r in data["runs"]] == ["default", "top1"]
    assert top1["config"]["retrieval"]["top_k"] == 1 and default["config"]["retrieval"]["top_k"] == 5
    cases = {c["id"]: c for c in default["cases"]}
    assert len(cases) == len(CASES)
    assert cases["wrong-figure"]["failures"] == ["expected figures missing"]
    assert cases["followup-master"]["failures"] == [] and cases["shanghai"]["answerable"] is False
    assert cases["housing-zh"]["checks"]["pair"] is True
    summary = default["summary"]
    assert summary["figure_accuracy"]["value"] == pytest.approx(4 / 5)
    assert summary["refusal_accuracy"]["value"] == 1.0 and summary["recall_at_5"]["value"] == 1.0
    assert top1["summary"]["recall_at_5"]["value"] <= summary["recall_at_5"]["value"]
    assert summary["case_pass_rate"]["value"] == pytest.approx(5 / 6)
    # Terminal: the per-case table lists the failure first; then the summary with both configurations.
    table = result.stdout
    assert table.index("wrong-figure") < min(table.index(c["id"]) for c in CASES[:-1])
    assert "FAIL" in table and "top1" in table and "figure_accuracy" in table
    md = (reports / "summary.md").read_text(encoding="utf-8")
    assert "| metric | default | top1 | n | NaN |" in md and "## Per category" in md and "## Per language" in md
    assert "## Failed cases (default): 1 of 6" in md and "wrong-figure" in md
    page = (reports / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 10  # 5 metrics x (per category, per language)
    assert "figure_accuracy per language" in page and "zh-Hant" in page
    assert "<script" not in page and "src=" not in page and "href=" not in page  # self-contained
    assert page.index("wrong-figure") < page.index("housing-en", page.index("failures first"))


def test_update_baseline_writes_the_measured_figures(first_run):
    _, folder = first_run
    baseline = json.loads((folder / "baseline.json").read_text(encoding="utf-8"))
    assert baseline["cases"] == len(CASES) and baseline["tolerance"] == {"default": 0.01}
    assert baseline["metrics"]["figure_accuracy"] == pytest.approx(0.8)
    assert not any(k.startswith("latency") for k in baseline["metrics"])


def test_threshold_miss_exits_non_zero(small, first_run):
    data_dir, dataset, folder = small
    result = run("--dataset", dataset, "--out", folder / "r2", "--baseline", folder / "baseline.json",
                 "--fail-under", "figure_accuracy=0.97", "refusal_accuracy=0.95,recall_at_3=0.98",
                 data_dir=data_dir)
    assert result.returncode == 1, result.stderr
    assert "figure_accuracy = 0.8000, below the threshold 0.97" in result.stderr
    assert "refusal_accuracy" not in result.stderr.split("Gate:", 1)[1]  # the met thresholds pass
    gate = json.loads((folder / "r2" / "results.json").read_text(encoding="utf-8"))["gate"]
    assert not gate["passed"] and [f["kind"] for f in gate["failures"]] == ["threshold"]
    assert gate["comparison"]["figure_accuracy"]["ok"] is True  # equal to the baseline


def test_update_baseline_refuses_a_run_failing_its_gate(small, first_run):
    data_dir, dataset, folder = small
    result = run("--dataset", dataset, "--out", folder / "r4", "--update-baseline", "--baseline",
                 folder / "new.json", "--fail-under", "figure_accuracy=0.9", data_dir=data_dir)
    assert result.returncode == 1 and "Baseline NOT written" in result.stderr
    assert not (folder / "new.json").exists()


def test_drop_below_baseline_exits_non_zero(small, first_run):
    data_dir, dataset, folder = small
    baseline = json.loads((folder / "baseline.json").read_text(encoding="utf-8"))
    baseline["metrics"]["figure_accuracy"] = 0.85  # a better past: today's 0.80 is a regression
    raised = folder / "raised.json"
    raised.write_text(json.dumps(baseline), encoding="utf-8")
    result = run("--dataset", dataset, "--out", folder / "r3", "--baseline", raised, data_dir=data_dir)
    assert result.returncode == 1, result.stderr
    assert "figure_accuracy = 0.8000, below the baseline 0.8500 by more than 0.01" in result.stderr


@pytest.mark.parametrize("args, code, message", [
    (["--fail-under", "fact_accuracy=0.9"], 4, "unknown metric 'fact_accuracy'"),
    (["--baseline", "missing.json"], 2, "No baseline at missing.json"),
    (["--dataset", "nowhere.yaml"], 2, "No dataset at nowhere.yaml"),
    (["--mode", "fast"], 4, "Unknown answer mode 'fast'"),
])
def test_bad_input_exits_with_a_clear_error_before_running(small, args, code, message, tmp_path):
    data_dir, dataset, _ = small
    if "--dataset" not in args:
        args = ["--dataset", dataset, *args]
    result = run(*args, "--out", tmp_path / "out", data_dir=data_dir)
    assert result.returncode == code, result.stderr
    assert message in result.stderr and not (tmp_path / "out").exists()


def test_cases_generated_from_the_facts():
    """Every money fact x question form x en/zh/zh-Hant, expecting its clause and amount."""
    from pathlib import Path

    from assistant.evaluate.from_facts import fact_cases
    from assistant.knowledge.corpus import load_corpus

    cases = fact_cases(load_corpus(Path(__file__).resolve().parent.parent / "corpus"))
    assert len(cases) >= 70 and {c.language for c in cases} == {"en", "zh", "zh-Hant"}
    hukou = {c.id: c for c in cases}["fact-hukou_subsidy-1-en"]
    assert hukou.question == "How much is the Household registration (hukou) subsidy?"
    assert hukou.expected_clauses == ["sz-ai-opc-plan:m2"] and hukou.expected_figures == ["100,000 yuan"]
    assert {c.expected_figures[0] for c in cases if c.id.startswith("fact-training_voucher")} == \
        {"10 million yuan", "1000万元"}


def test_eligibility_is_scored_per_kind_and_gated(small, tmp_path):
    """`--eligibility`: the hand-written profiles and those generated from the facts; a wrong set fails the run."""
    data_dir, dataset, folder = small
    good = run("--dataset", dataset, "--out", tmp_path / "ok", "--eligibility", ROOT / "eval" / "eligibility.yaml",
               data_dir=data_dir)
    assert good.returncode == 0, good.stderr
    report = json.loads((tmp_path / "ok" / "eligibility.json").read_text(encoding="utf-8"))
    assert report["cases"] == report["correct"] > 10 * 4  # generated profiles beside the 10 hand-written ones
    assert {"voucher", "loan", "cash_grant", "housing", "space"} <= set(report["per_kind"])
    assert f"Eligibility: {report['cases']}/{report['cases']} profiles exactly right" in good.stderr
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(yaml.safe_dump([{"id": "no-degree-expects-hukou", "profile": {"degree": "none", "newly_arrived": True},
                                      "met": ["hukou_subsidy"], "not_met": []}]), encoding="utf-8")
    bad = run("--dataset", dataset, "--out", tmp_path / "bad", "--eligibility", wrong, data_dir=data_dir)
    assert bad.returncode == 1 and "Eligibility evaluation FAILED" in bad.stderr
    assert "no-degree-expects-hukou" in bad.stderr and "'got': 'not_met'" in bad.stderr


def test_a_blind_run_without_out_reports_under_the_data_dir(seeded_data_dir, tmp_path):
    """`opc eval --blind` with no --out writes its report where every other evaluation's goes (the data dir's
    eval-reports), instead of failing once the whole set has been answered."""
    data_dir = seeded_data_dir("eval-blind-default-out")
    blind = tmp_path / "blind.yaml"
    blind.write_text(yaml.safe_dump([
        {"id": "b1", "pattern": "plain", "language": "zh", "question": "住房补贴每月多少钱？", "answerable": True,
         "expected_clauses": ["m4"], "expected_figures": ["1250元"], "unstated": []}], allow_unicode=True),
        encoding="utf-8")
    result = run("--blind", blind, "--blind-variants", "none", data_dir=data_dir)
    assert result.returncode == 0, result.stderr[-2000:]
    reports = list((data_dir / "eval-reports").glob("*/blind.json"))
    assert len(reports) == 1
    assert json.loads(reports[0].read_text(encoding="utf-8"))["summary"]["correct"] == 1.0
