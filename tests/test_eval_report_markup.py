"""summary.md shows what datasets, documents and answers contain as text: no markup of theirs is rendered."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from assistant.evaluate.gate import GateResult
from assistant.evaluate.report import markdown, md_text
from assistant.evaluate.run import CaseResult, MetricSummary, RunResult

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    "**bold** and _em_ and `code`",
    "[click](https://evil.example/phish) ![pixel](https://evil.example/p.png)",
    "cell | breaker | here\n# a heading\n- a list",
    "<a href=\"javascript:alert(1)\">x</a>",
    "&lt;already escaped&gt; https://auto.link.example",
]


def _case(n: int, text: str) -> CaseResult:
    return CaseResult(id=f"case-{n}{text[:12]}", question=text, category=text, language="en",
                      expected_answerable=True, answer=text, answer_language="en", answerable=True,
                      failures=[text])


def test_markup_from_cases_is_inert_text():
    run = RunResult(name="<b>run</b>", config={"note": "`x` <i>y</i>"},
                    summary={"figure_accuracy": MetricSummary(value=0.5, n=len(HOSTILE))},
                    per_category={t: {"n": 1} for t in HOSTILE}, per_language={"en": {"n": 1}},
                    cases=[_case(n, t) for n, t in enumerate(HOSTILE)])
    md = markdown([run], GateResult(passed=False), "<script>dataset</script>")
    html = MarkdownIt("commonmark").enable("table").render(md)  # raw HTML on, as most viewers
    for tag in ("<img", "<script", "<a ", "<em>", "<code>", "<i>", "<b>", "<h2>a heading"):
        assert tag not in html, tag
    assert html.count("<strong>") == 2  # the report's own: the gate's verdict and the run's name
    assert html.count("<h1>") == 1 and "<h1>OPC evaluation" in html  # no heading from a case
    assert "<li>" in html  # the run line only
    assert html.count("<li>") == 1
    # every failed-case row keeps its five columns
    table = md.split("## Failed cases")[1]
    rows = [line for line in table.splitlines() if line.startswith("| case-")]
    assert len(rows) == len(HOSTILE)
    for row in rows:
        assert row.replace("\\|", "").count("|") == 6
    # the text itself is still there to read
    assert "alert(1)" in html and "click" in html


def test_md_text_keeps_plain_text_readable():
    assert md_text("figure accuracy 0.97 – 1,250 元") == "figure accuracy 0.97 – 1,250 元"
    assert md_text("a\nb") == "a b"
