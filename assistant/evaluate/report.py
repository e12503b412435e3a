"""Reports: JSON results, a Markdown summary and a self-contained HTML page with inline SVG charts.

With two configurations (``--compare``) every table and chart shows them side by side.
"""

from __future__ import annotations

import html
import json
import math
from datetime import UTC, datetime
from pathlib import Path

from assistant.evaluate.gate import GateResult
from assistant.evaluate.run import RunResult

# The figures shown per category / per language (tables and charts).
GROUP_METRICS = ("case_pass_rate", "answerable_accuracy", "figure_accuracy", "citation_accuracy", "recall_at_3")
COLOURS = ("#2f6fb0", "#e08a1e", "#3c9a5f", "#b03a48")


def fmt(value: float | None, metric: str = "") -> str:
    """0.9767 -> '0.977'; latency in ms with one decimal; None -> '–'; NaN -> 'NaN'."""
    if value is None:
        return "–"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if metric.endswith("_ms"):
        return f"{value:.1f}"
    if isinstance(value, int) or metric == "n":
        return str(int(value))
    return f"{value:.3f}"


def _delta(d: float | None) -> str:
    if d is None:
        return "–"
    return "0.000" if abs(d) < 0.0005 else f"{d:+.3f}"   # no "-0.000" from rounding noise


def summary_rows(runs: list[RunResult], gate: GateResult) -> list[list[str]]:
    """metric | value per run | baseline | Δ | n (of the first run) | NaN."""
    rows = []
    for metric, s in runs[0].summary.items():
        row = [metric] + [fmt(r.summary[metric].value if metric in r.summary else None, metric) for r in runs]
        c = gate.comparison.get(metric)
        if gate.baseline is not None:
            row += [fmt(c.baseline, metric) if c else "–",
                    _delta(c.delta if c else None) + ("" if not c or c.ok else " ✗")]
        row += [str(s.n), str(s.nan) if s.nan else ""]
        rows.append(row)
    return rows


def summary_header(runs: list[RunResult], gate: GateResult) -> list[str]:
    return (["metric"] + [r.name for r in runs] + (["baseline", "Δ"] if gate.baseline is not None else [])
            + ["n", "NaN"])


def group_rows(runs: list[RunResult], attr: str) -> tuple[list[str], list[list[str]]]:
    """One row per category (or language); each run's figures side by side."""
    groups = sorted({g for r in runs for g in getattr(r, attr)})
    header = [attr.removeprefix("per_"), "n"] + [f"{m} ({r.name})" if len(runs) > 1 else m
                                                  for m in GROUP_METRICS for r in runs]
    rows = []
    for g in groups:
        first = getattr(runs[0], attr).get(g, {})
        row = [g, fmt(first.get("n"), "n")]
        for m in GROUP_METRICS:
            row += [fmt(getattr(r, attr).get(g, {}).get(m), m) for r in runs]
        rows.append(row)
    return header, rows


def case_rows(run: RunResult) -> list[dict]:
    """Per-case rows, failures first (then by id)."""
    cases = sorted(run.cases, key=lambda c: (c.passed, c.id))
    return [{"id": c.id, "category": c.category, "language": c.language,
             "result": "PASS" if c.passed else "FAIL", "failures": "; ".join(c.failures),
             "answer": c.answer, "cited": ", ".join(c.cited), "latency_ms": fmt(c.latency_ms, "latency_ms")}
            for c in cases]


# --- Markdown ---------------------------------------------------------------------------------
# Questions, answers, ids and names come from datasets and documents: in summary.md they are text, never
# markup. Markdown's punctuation is backslash-escaped, HTML's written as entities, links broken.
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+!|~$"})


def md_text(value) -> str:
    """``value`` as inert Markdown text on one line (no emphasis, links, images, HTML or table breaks)."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.translate(_MD_SPECIAL).replace("://", ":&#47;&#47;")


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    esc = [[md_text(x) for x in row] for row in [header] + rows]
    lines = ["| " + " | ".join(esc[0]) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in esc[1:]]
    return "\n".join(lines)


def markdown(runs: list[RunResult], gate: GateResult, dataset: str) -> str:
    out = [f"# OPC evaluation — {md_text(dataset)}", "",
           f"{len(runs[0].cases)} cases · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · "
           f"gate: **{'PASSED' if gate.passed else 'FAILED'}**", ""]
    for r in runs:
        out.append(f"- **{md_text(r.name)}**: {md_text(json.dumps(r.config, ensure_ascii=False, sort_keys=True))}")
    if gate.failures:
        out += ["", "## Gate failures", ""] + [f"- {md_text(f.message)}" for f in gate.failures]
    out += ["", "## Summary", "", _md_table(summary_header(runs, gate), summary_rows(runs, gate))]
    for attr, title in (("per_category", "Per category"), ("per_language", "Per language")):
        out += ["", f"## {title}", "", _md_table(*group_rows(runs, attr))]
    for r in runs:
        failed = [row for row in case_rows(r) if row["result"] == "FAIL"]
        out += ["", f"## Failed cases ({md_text(r.name)}): {len(failed)} of {len(r.cases)}", ""]
        if failed:
            out.append(_md_table(["id", "category", "language", "failures", "answer"],
                                 [[x["id"], x["category"], x["language"], x["failures"], x["answer"][:160]]
                                  for x in failed]))
    return "\n".join(out) + "\n"


# --- HTML -------------------------------------------------------------------------------------
def bar_chart(title: str, groups: list[str], series: dict[str, list[float | None]], width: int = 560) -> str:
    """A horizontal grouped bar chart of shares (0..1) as inline SVG; missing values are left blank."""
    bar, gap, label_w, top = 14, 10, 130, 28
    n = max(len(series), 1)
    height = top + len(groups) * (n * bar + gap) + 24
    plot_w = width - label_w - 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
             f'<title>{html.escape(title)}</title>',
             f'<text x="0" y="14" font-size="13" font-weight="bold">{html.escape(title)}</text>']
    for x in (0, 0.5, 1.0):
        gx = label_w + x * plot_w
        parts.append(f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{height - 20}" stroke="#ccc"/>'
                     f'<text x="{gx:.1f}" y="{height - 6}" text-anchor="middle" fill="#666">{x:g}</text>')
    for gi, group in enumerate(groups):
        y0 = top + gi * (n * bar + gap)
        parts.append(f'<text x="{label_w - 6}" y="{y0 + n * bar / 2 + 4:.1f}" text-anchor="end">'
                     f'{html.escape(group)}</text>')
        for si, (name, values) in enumerate(series.items()):
            v = values[gi] if gi < len(values) else None
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            w = max(0.0, min(1.0, v)) * plot_w
            y = y0 + si * bar
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar - 2}" '
                         f'fill="{COLOURS[si % len(COLOURS)]}"><title>{html.escape(name)} · '
                         f'{html.escape(group)}: {v:.3f}</title></rect>'
                         f'<text x="{label_w + w + 3:.1f}" y="{y + bar - 4}" fill="#333">{v:.3f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _html_table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _charts(runs: list[RunResult], attr: str, label: str) -> str:
    groups = sorted({g for r in runs for g in getattr(r, attr)})
    out = []
    for metric in GROUP_METRICS:
        series = {r.name: [getattr(r, attr).get(g, {}).get(metric) for g in groups] for r in runs}
        out.append(bar_chart(f"{metric} per {label}", groups, series))
    return "".join(f'<div class="chart">{c}</div>' for c in out)


_CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0;
font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}
.FAIL td:nth-child(4){color:#b03a48;font-weight:bold}.PASS td:nth-child(4){color:#3c9a5f}.chart{display:inline-block;
margin:0 1em 1em 0}.passed{color:#3c9a5f}.failed{color:#b03a48}.legend span{display:inline-block;width:12px;
height:12px;margin:0 4px 0 12px}td.answer{max-width:40em}"""


def html_report(runs: list[RunResult], gate: GateResult, dataset: str) -> str:
    status = "passed" if gate.passed else "failed"
    legend = "".join(f'<span style="background:{COLOURS[i % len(COLOURS)]}"></span>{html.escape(r.name)}'
                     for i, r in enumerate(runs))
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>OPC evaluation</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>OPC evaluation</h1><p>{html.escape(dataset)} · {len(runs[0].cases)} cases · "
             f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · gate <b class='{status}'>{status.upper()}</b></p>",
             "<ul>" + "".join(f"<li><b>{html.escape(r.name)}</b>: <code>"
                              f"{html.escape(json.dumps(r.config, ensure_ascii=False, sort_keys=True))}</code></li>"
                              for r in runs) + "</ul>"]
    if gate.failures:
        parts.append("<h2>Gate failures</h2><ul>" + "".join(f"<li>{html.escape(f.message)}</li>"
                                                            for f in gate.failures) + "</ul>")
    parts.append("<h2>Summary</h2>" + _html_table(summary_header(runs, gate), summary_rows(runs, gate)))
    if len(runs) > 1:
        parts.append(f'<p class="legend">{legend}</p>')
    for attr, label in (("per_category", "category"), ("per_language", "language")):
        parts.append(f"<h2>Per {label}</h2>" + _charts(runs, attr, label) + _html_table(*group_rows(runs, attr)))
    for r in runs:
        rows = case_rows(r)
        body = "".join(
            f'<tr class="{x["result"]}"><td>{html.escape(x["id"])}</td><td>{html.escape(x["category"])}</td>'
            f'<td>{html.escape(x["language"])}</td><td>{x["result"]}</td><td>{html.escape(x["failures"])}</td>'
            f'<td class="answer">{html.escape(x["answer"])}</td><td>{html.escape(x["cited"])}</td>'
            f'<td>{x["latency_ms"]}</td></tr>' for x in rows)
        parts.append(f"<h2>Cases ({html.escape(r.name)}), failures first</h2><table><thead><tr><th>id</th>"
                     "<th>category</th><th>language</th><th>result</th><th>failures</th><th>answer</th>"
                     f"<th>cited</th><th>ms</th></tr></thead><tbody>{body}</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)


def write_reports(out_dir: Path | str, runs: list[RunResult], gate: GateResult, dataset: str) -> dict[str, Path]:
    """results.json, summary.md and report.html in ``out_dir`` (created if missing)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "results.json", "markdown": out / "summary.md", "html": out / "report.html"}
    data = {"dataset": dataset, "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "gate": gate.model_dump(), "runs": [r.model_dump() for r in runs]}
    # NaN is not valid JSON: it is written as the string "NaN", so it stays visible.
    paths["json"].write_text(json.dumps(_no_nan(data), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    paths["markdown"].write_text(markdown(runs, gate, dataset), encoding="utf-8")
    paths["html"].write_text(html_report(runs, gate, dataset), encoding="utf-8")
    return paths


def _no_nan(obj):
    if isinstance(obj, float) and math.isnan(obj):
        return "NaN"
    if isinstance(obj, dict):
        return {k: _no_nan(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_no_nan(v) for v in obj]
    return obj
