"""The regression gate: thresholds (``--fail-under``), the committed baseline and NaN scores.

Every metric gated here is "higher is better" (shares and means in 0..1). Latency is reported
but never gated: timings on a shared CI machine are noise, not regressions.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from assistant.errors import ConfigError, InvalidDataset
from assistant.evaluate.run import MetricSummary, RunResult

DEFAULT_TOLERANCE = 0.01
UNGATED = re.compile(r"^latency_")


class Baseline(BaseModel):
    """The committed reference figures; changed only deliberately with ``opc eval --update-baseline``."""

    created: str = Field(description="When it was written (UTC, ISO 8601).")
    dataset: str = Field(description="The dataset it was measured on.")
    cases: int = Field(description="Number of cases.")
    config: dict = Field(default_factory=dict, description="The configuration measured.")
    metrics: dict[str, float] = Field(description="Metric -> value.")
    tolerance: dict[str, float] = Field(
        default_factory=lambda: {"default": DEFAULT_TOLERANCE},
        description="How far a metric may fall below its baseline value before the gate fails "
                    "('default' applies to metrics not named).")

    def tolerance_for(self, metric: str) -> float:
        return self.tolerance.get(metric, self.tolerance.get("default", DEFAULT_TOLERANCE))


class GateFailure(BaseModel):
    metric: str
    kind: str = Field(description="'threshold', 'baseline' or 'nan'.")
    value: float | None
    limit: float | None = Field(None, description="The threshold, or baseline minus tolerance.")
    message: str


class Comparison(BaseModel):
    baseline: float
    value: float | None
    delta: float | None
    tolerance: float
    ok: bool


class GateResult(BaseModel):
    passed: bool
    failures: list[GateFailure] = Field(default_factory=list)
    thresholds: dict[str, float] = Field(default_factory=dict)
    baseline: str | None = Field(None, description="Path of the baseline compared against.")
    comparison: dict[str, Comparison] = Field(default_factory=dict)


def gated_metrics(names) -> list[str]:
    """The metrics a threshold or the baseline may gate (all but latency)."""
    return [m for m in names if not UNGATED.match(m)]


def parse_thresholds(items: list[str] | None, known: list[str]) -> dict[str, float]:
    """``["figure_accuracy=0.97", "refusal_accuracy=0.95,recall_at_3=0.98"]`` -> {name: minimum}."""
    out: dict[str, float] = {}
    for item in items or []:
        for part in re.split(r"[,\s]+", item.strip()):
            if not part:
                continue
            name, sep, value = part.partition("=")
            if not sep:
                raise ConfigError(f"--fail-under takes metric=value, got {part!r}.")
            if name not in known:
                raise ConfigError(f"--fail-under: unknown metric {name!r}. Gated metrics: {', '.join(known)}.")
            try:
                out[name] = float(value)
            except ValueError:
                raise ConfigError(f"--fail-under {name}: {value!r} is not a number.") from None
            if not 0.0 <= out[name] <= 1.0:
                raise ConfigError(f"--fail-under {name}: thresholds are shares between 0 and 1, got {value}.")
    return out


def load_baseline(path: Path | str) -> Baseline:
    path = Path(path)
    try:
        return Baseline.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidDataset(f"No baseline at {path}: create it with `opc eval --update-baseline`.") from None
    except (ValidationError, ValueError, OSError) as exc:
        raise InvalidDataset(f"The baseline {path} is unreadable or malformed: {str(exc).splitlines()[0]}") from None


def make_baseline(run: RunResult, dataset: str, previous: Baseline | None = None) -> Baseline:
    """The run's gated metrics as a new baseline (tolerances carried over from the previous one)."""
    metrics = {m: round(s.value, 4) for m, s in run.summary.items()
               if m in gated_metrics(run.summary) and s.value is not None and not math.isnan(s.value)}
    return Baseline(created=datetime.now(UTC).isoformat(timespec="seconds"), dataset=dataset,
                    cases=len(run.cases), config=run.config, metrics=metrics,
                    tolerance=previous.tolerance if previous else {"default": DEFAULT_TOLERANCE})


def write_baseline(baseline: Baseline, path: Path | str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(baseline.model_dump(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def check(summary: dict[str, MetricSummary], thresholds: dict[str, float] | None = None,
          baseline: Baseline | None = None, baseline_path: str | None = None) -> GateResult:
    """Every failure: a NaN score anywhere, a threshold missed, a baseline metric dropped beyond tolerance."""
    thresholds = thresholds or {}
    failures: list[GateFailure] = []
    for name, s in summary.items():
        if s.nan:
            failures.append(GateFailure(metric=name, kind="nan", value=s.value,
                                        message=f"{name}: {s.nan} NaN score(s), each counted as a failure"))
    for name, minimum in thresholds.items():
        value = summary[name].value if name in summary else None
        if value is None or math.isnan(value) or value < minimum:
            shown = "not measured" if value is None else f"{value:.4f}"
            failures.append(GateFailure(metric=name, kind="threshold", value=value, limit=minimum,
                                        message=f"{name} = {shown}, below the threshold {minimum}"))
    comparison: dict[str, Comparison] = {}
    if baseline is not None:
        for name, ref in baseline.metrics.items():
            if UNGATED.match(name):
                continue
            tol = baseline.tolerance_for(name)
            measured = summary.get(name)
            if measured is None:
                continue  # not measured in this run (e.g. judge metrics without a judge): nothing to compare
            value = measured.value
            ok = value is not None and not math.isnan(value) and value >= ref - tol - 1e-9
            delta = None if value is None or math.isnan(value) else round(value - ref, 6)
            comparison[name] = Comparison(baseline=ref, value=value, delta=delta, tolerance=tol, ok=ok)
            if not ok:
                shown = "not measured" if value is None else f"{value:.4f}"
                failures.append(GateFailure(
                    metric=name, kind="baseline", value=value, limit=round(ref - tol, 6),
                    message=f"{name} = {shown}, below the baseline {ref:.4f} by more than {tol}"))
    return GateResult(passed=not failures, failures=failures, thresholds=thresholds,
                      baseline=baseline_path, comparison=comparison)
