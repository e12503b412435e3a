"""The regression gate (thresholds, baseline tolerance, NaN), --compare overrides and report helpers."""

from __future__ import annotations

import json
import math

import pytest

from assistant import Settings
from assistant.errors import ConfigError, InvalidDataset
from assistant.evaluate import gate
from assistant.evaluate.overrides import apply_overrides, load_overrides
from assistant.evaluate.report import bar_chart, fmt
from assistant.evaluate.run import MetricSummary

KNOWN = ["figure_accuracy", "refusal_accuracy", "recall_at_3", "chrf"]


def summary(**values) -> dict[str, MetricSummary]:
    out = {}
    for name, v in values.items():
        nan = 1 if isinstance(v, float) and math.isnan(v) else 0
        out[name] = MetricSummary(value=0.0 if nan else v, n=10, nan=nan)
    return out


def baseline(metrics: dict, tolerance: dict | None = None) -> gate.Baseline:
    return gate.Baseline(created="2026-11-22T00:00:00+00:00", dataset="d", cases=10, metrics=metrics,
                         tolerance=tolerance or {"default": 0.01})


@pytest.mark.parametrize("items, parsed", [
    (["figure_accuracy=0.97"], {"figure_accuracy": 0.97}),
    (["figure_accuracy=0.97", "refusal_accuracy=0.95"], {"figure_accuracy": 0.97, "refusal_accuracy": 0.95}),
    (["figure_accuracy=0.97,recall_at_3=0.98"], {"figure_accuracy": 0.97, "recall_at_3": 0.98}),
    (["figure_accuracy=0.97 refusal_accuracy=1"], {"figure_accuracy": 0.97, "refusal_accuracy": 1.0}),
    (None, {}),
])
def test_parse_thresholds(items, parsed):
    assert gate.parse_thresholds(items, KNOWN) == parsed


@pytest.mark.parametrize("items, message", [
    (["figure_accuracy"], "metric=value"),
    (["fact_accuracy=0.9"], "unknown metric 'fact_accuracy'"),
    (["figure_accuracy=high"], "not a number"),
    (["figure_accuracy=97"], "between 0 and 1"),
])
def test_bad_thresholds_are_rejected(items, message):
    with pytest.raises(ConfigError, match=message):
        gate.parse_thresholds(items, KNOWN)


def test_latency_is_never_gated():
    assert gate.gated_metrics(["figure_accuracy", "latency_p95_ms", "mrr"]) == ["figure_accuracy", "mrr"]


def test_thresholds_met_pass():
    result = gate.check(summary(figure_accuracy=0.98, refusal_accuracy=1.0), {"figure_accuracy": 0.97,
                                                                             "refusal_accuracy": 0.95})
    assert result.passed and result.failures == []


def test_threshold_miss_fails():
    result = gate.check(summary(figure_accuracy=0.96, refusal_accuracy=1.0), {"figure_accuracy": 0.97})
    assert not result.passed
    [f] = result.failures
    assert (f.metric, f.kind, f.limit) == ("figure_accuracy", "threshold", 0.97)
    assert "below the threshold" in f.message


def test_threshold_on_a_metric_not_measured_fails():
    result = gate.check({"chrf": MetricSummary(value=None, n=0)}, {"chrf": 0.5})
    assert not result.passed and "not measured" in result.failures[0].message


def test_baseline_drop_within_tolerance_passes_beyond_fails():
    ref = baseline({"figure_accuracy": 0.98, "recall_at_3": 0.99}, {"default": 0.01, "recall_at_3": 0.0})
    within = gate.check(summary(figure_accuracy=0.971, recall_at_3=0.99), baseline=ref, baseline_path="b.json")
    assert within.passed and within.comparison["figure_accuracy"].delta == pytest.approx(-0.009)
    beyond = gate.check(summary(figure_accuracy=0.969, recall_at_3=0.99), baseline=ref)
    assert [(f.metric, f.kind) for f in beyond.failures] == [("figure_accuracy", "baseline")]
    strict = gate.check(summary(figure_accuracy=0.98, recall_at_3=0.985), baseline=ref)
    assert [(f.metric, f.kind) for f in strict.failures] == [("recall_at_3", "baseline")]


def test_improvement_over_baseline_passes_and_unmeasured_metrics_are_skipped():
    ref = baseline({"figure_accuracy": 0.9, "faithfulness": 0.8, "latency_p95_ms": 1.0})
    result = gate.check(summary(figure_accuracy=0.95), baseline=ref)
    assert result.passed and set(result.comparison) == {"figure_accuracy"}


def test_nan_fails_the_gate_even_without_thresholds():
    result = gate.check(summary(figure_accuracy=1.0, chrf=math.nan))
    assert not result.passed
    assert [(f.metric, f.kind) for f in result.failures] == [("chrf", "nan")]


def test_baseline_round_trip_and_bad_files(tmp_path):
    path = tmp_path / "baseline.json"
    ref = baseline({"figure_accuracy": 0.98}, {"default": 0.02})
    gate.write_baseline(ref, path)
    assert gate.load_baseline(path) == ref and gate.load_baseline(path).tolerance_for("mrr") == 0.02
    with pytest.raises(InvalidDataset, match="--update-baseline"):
        gate.load_baseline(tmp_path / "none.json")
    path.write_text(json.dumps({"metrics": {}}), encoding="utf-8")
    with pytest.raises(InvalidDataset, match="malformed"):
        gate.load_baseline(path)


# --- --compare settings overrides -----------------------------------------------------------
@pytest.mark.parametrize("yaml_text, top_k, min_dense, mode", [
    ("retrieval.top_k: 3\n", 3, 0.80, "auto"),
    ("retrieval:\n  top_k: 4\n  min_dense: 0.78\nmode: extractive\n", 4, 0.78, "extractive"),
    ("retrieval.top_k: 2\nretrieval:\n  min_dense: 0.7\n", 2, 0.7, "auto"),
])
def test_overrides_apply(tmp_path, yaml_text, top_k, min_dense, mode):
    path = tmp_path / "o.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    base = Settings(data_dir=tmp_path / "d", mode="auto")
    s = apply_overrides(base, load_overrides(path))
    assert (s.retrieval.top_k, s.retrieval.min_dense, s.mode) == (top_k, min_dense, mode)
    assert s.data_dir == base.data_dir  # same index: retrieval settings don't change what it holds


def test_overrides_changing_the_index_get_their_own_folder(tmp_path):
    path = tmp_path / "o.yaml"
    path.write_text("embedder_prefixes: false\n", encoding="utf-8")
    base = Settings(data_dir=tmp_path / "d")
    s = apply_overrides(base, load_overrides(path))
    assert s.data_dir.parent == base.data_dir and s.data_dir.name.startswith("compare-")


@pytest.mark.parametrize("yaml_text, message", [
    ("retrieval.topk: 3\n", "Unknown setting 'retrieval.topk'"),
    ("colour: blue\n", "Unknown setting 'colour'"),
    ("- a\n", "YAML mapping"),
    ("", "YAML mapping"),
    ("retrieval.top_k: 99\n", "top_k"),
    ("mode: fast\n", "mode"),
])
def test_bad_overrides_are_rejected(tmp_path, yaml_text, message):
    path = tmp_path / "o.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(InvalidDataset, match=message):
        apply_overrides(Settings(data_dir=tmp_path / "d"), load_overrides(path))


# --- report helpers --------------------------------------------------------------------------
@pytest.mark.parametrize("value, metric, shown", [
    (0.97674, "figure_accuracy", "0.977"), (None, "chrf", "–"), (math.nan, "chrf", "NaN"),
    (155.94, "latency_p50_ms", "155.9"), (12, "n", "12"), (1.0, "recall_at_3", "1.000")])
def test_fmt(value, metric, shown):
    assert fmt(value, metric) == shown


def test_bar_chart_is_inline_svg_with_one_bar_per_value():
    svg = bar_chart("figure_accuracy per language", ["en", "zh", "zh-Hant"],
                    {"default": [1.0, 0.5, None], "top3": [0.9, 0.25, 0.75]})
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "http" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert svg.count("<rect") == 5  # the missing value draws no bar
    assert "default · zh: 0.500" in svg and "top3 · zh-Hant: 0.750" in svg
    assert "&lt;b&gt;" in bar_chart("<b>", ["x"], {"a": [0.1]})  # labels are escaped
