"""What CI and an evaluator need around a run: a default report folder outside the checkout, JUnit XML (one
testcase per case), and a case-by-case comparison of two report JSONs (regressions first)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import InvalidDataset


def default_out_dir(data_dir: Path) -> Path:
    """Reports of a run go under the data dir, one folder per run, never inside the checkout."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(data_dir) / "eval-reports" / f"{stamp}-{os.getpid()}"


def write_junit(path: Path, runs) -> Path:
    """JUnit XML: a testsuite per run, a testcase per case (classname: the category), a <failure> with the
    reasons for each failed case."""
    root = ET.Element("testsuites", name="opc eval")
    for run in runs:
        failed = sum(1 for c in run.cases if c.failures)
        suite = ET.SubElement(root, "testsuite", name=run.name, tests=str(len(run.cases)), failures=str(failed),
                              errors="0", skipped="0")
        for case in run.cases:
            seconds = f"{(case.latency_ms or 0) / 1000:.3f}"
            tc = ET.SubElement(suite, "testcase", classname=f"{run.name}.{case.category}", name=case.id,
                               time=seconds)
            if case.failures:
                reason = "; ".join(case.failures)
                if case.expected_figures and any("figure" in f for f in case.failures):
                    reason += f" (expected figures: {', '.join(case.expected_figures)})"
                if case.expected_clauses and any("citation" in f for f in case.failures):
                    reason += f" (expected clauses: {', '.join(case.expected_clauses)}; cited: {', '.join(case.cited)})"
                failure = ET.SubElement(tc, "failure", message=reason[:1000], type="check")
                failure.text = f"question: {case.question}\nanswer: {case.answer}\n{reason}"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def _cases(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {c["id"]: c for c in data["runs"][0]["cases"]}
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise InvalidDataset(f"{path} is not an `opc eval` results.json ({type(exc).__name__}: {exc}).") from None


def compare_reports(before: Path, after: Path) -> list[dict]:
    """Every case whose outcome differs between two runs: regressions (passed, now fails) first, then fixes,
    then cases only one run has, then cases failing in both for other reasons."""
    a, b = _cases(before), _cases(after)
    rows = []
    for cid in sorted(set(a) | set(b)):
        x, y = a.get(cid), b.get(cid)
        if x is None or y is None:
            rows.append({"id": cid, "change": "added" if x is None else "removed",
                         "before": "" if x is None else _outcome(x), "after": "" if y is None else _outcome(y)})
            continue
        was, now = not x.get("failures"), not y.get("failures")
        if was and not now:
            change = "regression"
        elif now and not was:
            change = "fixed"
        elif not now and sorted(x["failures"]) != sorted(y["failures"]):
            change = "changed"
        else:
            continue
        rows.append({"id": cid, "change": change, "before": _outcome(x), "after": _outcome(y)})
    order = {"regression": 0, "fixed": 1, "changed": 2, "added": 3, "removed": 4}
    return sorted(rows, key=lambda r: (order[r["change"]], r["id"]))


def _outcome(case: dict) -> str:
    return "; ".join(case.get("failures") or []) or "pass"
