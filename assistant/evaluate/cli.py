"""``opc eval``: run the golden set, write reports, gate on thresholds and the baseline."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.errors import ConfigError, OPCError
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent.parent
EXIT_GATE_FAILED = 1

out = Console()
err = Console(stderr=True)


def _evaluate(settings: Settings, suite, name: str, mode: str | None, bar: Progress, url: str | None = None,
              key: str | None = None):
    from assistant.service import Assistant
    from assistant.evaluate.metrics import Scorer
    from assistant.evaluate.run import evaluate

    tasks: dict[str, int] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(f"{name}: {stage:<9}", total=total)
        bar.update(tasks[stage], completed=done, total=total)

    if url:
        from assistant.evaluate.remote import RemoteAssistant

        bot = RemoteAssistant(url, key, settings)
    else:
        bot = Assistant.load(settings, progress=report)
    suite.add_documents(bot)  # a suite's own documents join the corpus of its (scratch) data dir
    scorer = Scorer(settings.eval, bot.embedder)
    return evaluate(bot, suite.cases, scorer, name=name, mode=mode, progress=report)


def _summary_table(runs, gate) -> Table:
    from assistant.evaluate.report import summary_header, summary_rows

    table = Table(*summary_header(runs, gate), title="Summary")
    for row in summary_rows(runs, gate):
        table.add_row(*row)
    return table


def _case_table(run) -> Table:
    from assistant.evaluate.report import case_rows

    table = Table("id", "category", "lang", "result", "failures", title=f"Cases ({run.name}), failures first")
    for x in case_rows(run):
        style = "red" if x["result"] == "FAIL" else "green"
        table.add_row(x["id"], x["category"], x["language"], f"[{style}]{x['result']}[/]", x["failures"])
    return table


def _compare_reports(before: Path, rest: list[str] | None) -> None:
    from assistant.evaluate.ci import compare_reports

    if not rest or len(rest) != 1 or not rest[0].endswith(".json"):
        err.print("[bold red]Error:[/] --compare with reports takes two results.json files: "
                  "opc eval --compare A/results.json B/results.json")
        raise typer.Exit(2)
    try:
        rows = compare_reports(before, Path(rest[0]))
    except OPCError as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(exc.exit_code)
    table = Table("case", "change", "before", "after", title=f"{before} → {rest[0]}: cases that changed")
    colour = {"regression": "red", "fixed": "green"}
    for r in rows:
        style = colour.get(r["change"], "yellow")
        table.add_row(r["id"], f"[{style}]{r['change']}[/]", r["before"], r["after"])
    out.print(table)
    regressions = sum(r["change"] == "regression" for r in rows)
    fixed = sum(r["change"] == "fixed" for r in rows)
    err.print(f"{regressions} regression(s), {fixed} fixed, {len(rows) - regressions - fixed} other change(s).")
    if regressions:
        raise typer.Exit(EXIT_GATE_FAILED)


def eval_command(
    dataset: Optional[Path] = typer.Option(None, "--dataset", help="Golden YAML (default: eval/golden.yaml)."),
    mode: Optional[str] = typer.Option(None, "--mode", help="extractive | llm | auto (default: OPC_MODE)."),
    compare: Optional[Path] = typer.Option(
        None, "--compare", help="YAML of Settings overrides (e.g. 'retrieval.top_k: 3'): a second configuration "
                                "evaluated on the same cases and reported side by side. Or two report JSONs, "
                                "'--compare A/results.json B/results.json': the cases whose outcome changed, "
                                "regressions first; exit 1 on any regression (nothing is run)."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Baseline JSON to compare against."),
    fail_under: Optional[list[str]] = typer.Option(
        None, "--fail-under", help="metric=minimum (repeat, or separate with commas), e.g. figure_accuracy=0.97."),
    out_dir: Optional[Path] = typer.Option(
        None, "--out", help="Folder for the reports (default: a new folder under OPC_DATA_DIR/eval-reports/, "
                            "outside the checkout; the path is printed)."),
    junit: Optional[Path] = typer.Option(None, "--junit", help="Also write JUnit XML here: one testcase per case, "
                                                               "failures with their reasons (for CI)."),
    url: Optional[str] = typer.Option(None, "--url", help="Evaluate a deployed server over HTTP (its /v1/chat) "
                                                          "instead of the local assistant."),
    key: Optional[str] = typer.Option(None, "--key", envvar="OPC_EVAL_KEY", help="API key for --url; give one "
                                      "with the 'eval' scope so a full run is not rate limited (env OPC_EVAL_KEY)."),
    more_thresholds: Optional[list[str]] = typer.Argument(
        None, metavar="[METRIC=MIN]...", show_default=False,
        help="More thresholds, so that '--fail-under a=0.97 b=0.95' reads as written."),
    adversarial: Optional[Path] = typer.Option(
        None, "--adversarial", help="Gate dataset (eval/gate.yaml): model answers served by a scripted "
                                    "OpenAI-compatible server through the LLM path; every lie must be blocked "
                                    "and >= 98% of truths accepted per language."),
    facts: bool = typer.Option(
        False, "--facts", help="Add cases generated from the fact records (every money fact x question forms x "
                               "en/zh/zh-Hant, category 'fact'; issue 15)."),
    eligibility: Optional[Path] = typer.Option(
        None, "--eligibility", help="Founder profiles with their exact benefit sets (eval/eligibility.yaml), plus "
                                    "profiles generated from the fact records; every decision must be right "
                                    "(reported per benefit kind; issue 15)."),
    update_baseline: bool = typer.Option(
        False, "--update-baseline", help="Write this run's figures as the baseline (--baseline, default "
                                         "eval/baseline.json) instead of comparing against it."),
) -> None:
    """Evaluate answers on the golden set: checks, retrieval recall, ragas metrics, reports and a CI gate."""
    from assistant.evaluate import gate as gating
    from assistant.evaluate.dataset import load_suite
    from assistant.evaluate.overrides import apply_overrides, load_overrides
    from assistant.evaluate.metrics import JUDGE_METRICS, OFFLINE_METRICS
    from assistant.evaluate.report import write_reports
    from assistant.evaluate.run import summary_names

    logging.getLogger("assistant").setLevel(logging.ERROR)
    if compare is not None and compare.suffix == ".json":  # two reports: compare them, run nothing
        _compare_reports(compare, more_thresholds)
        return
    try:
        if mode not in (None, "auto", "llm", "extractive"):
            raise ConfigError(f"Unknown answer mode {mode!r}: use 'auto', 'llm' or 'extractive'.")
        suite = load_suite(dataset)
        settings = Settings()
        if suite.today is not None:  # the suite's answers are checked as of its own day
            settings = settings.model_copy(update={"today": suite.today})
        if facts:
            from assistant.knowledge.corpus import load_corpus
            from assistant.evaluate.from_facts import fact_cases

            suite.cases = suite.cases + fact_cases(load_corpus(settings.corpus_dir))
        if suite.home_jurisdiction:  # ... and as the deployment of its own city (home scope)
            settings = settings.model_copy(update={"home_jurisdiction": suite.home_jurisdiction})
        # Thresholds are checked before anything runs: a typo should not cost a whole evaluation.
        scored = OFFLINE_METRICS + (JUDGE_METRICS if settings.eval.configured else ())
        thresholds = gating.parse_thresholds([*(fail_under or []), *(more_thresholds or [])],
                                             gating.gated_metrics(summary_names(scored)))
        overrides = load_overrides(compare) if compare else None
        compare_settings = apply_overrides(settings, overrides) if compare else None
        baseline_path = baseline or (ROOT / "eval" / "baseline.json" if update_baseline else None)
        reference = gating.load_baseline(baseline_path) if baseline_path and not update_baseline else None
        previous = (gating.load_baseline(baseline_path)
                    if update_baseline and baseline_path and baseline_path.exists() else None)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err) as bar:
            runs = [_evaluate(settings, suite, url or "default", mode, bar, url, key)]
            if compare_settings is not None:
                runs.append(_evaluate(compare_settings, suite, compare.stem,
                                      None if "mode" in overrides else mode, bar))
    except OPCError as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(exc.exit_code)

    gate_eval = None
    if adversarial is not None:
        from assistant.evaluate import adversarial as adv

        try:
            gate_eval = adv.run(settings, adv.load_items(adversarial))
        except OPCError as exc:
            err.print(f"[bold red]Error:[/] {exc}")
            raise typer.Exit(exc.exit_code)
    eligible = None
    if eligibility is not None:
        from assistant.knowledge.corpus import load_corpus
        from assistant.evaluate import eligibility_eval as el

        try:
            corpus = load_corpus(settings.corpus_dir)
            cases = el.load_profiles(eligibility, {f.id for f in corpus.facts if f.is_benefit}) + el.generated(corpus)
            eligible = el.run(corpus, cases, settings.today)
        except OPCError as exc:
            err.print(f"[bold red]Error:[/] {exc}")
            raise typer.Exit(exc.exit_code)
    label = str(dataset or "eval/golden.yaml")
    result = gating.check(runs[0].summary, thresholds, reference, str(baseline_path) if reference else None)
    if update_baseline and result.passed:
        gating.write_baseline(gating.make_baseline(runs[0], label, previous), baseline_path)
        err.print(f"Baseline written: {baseline_path}")
    elif update_baseline:
        err.print(f"[yellow]Baseline NOT written[/] ({baseline_path}): this run fails its own gate.")
    if out_dir is None:
        from assistant.evaluate.ci import default_out_dir

        out_dir = default_out_dir(settings.data_dir)
    paths = write_reports(out_dir, runs, result, label)
    if junit is not None:
        from assistant.evaluate.ci import write_junit

        paths["junit"] = write_junit(junit, runs)

    out.print(_case_table(runs[0]))
    out.print(_summary_table(runs, result))
    for f in result.failures:
        err.print(f"[bold red]Gate:[/] {f.message}")
    if gate_eval is not None:
        paths.update(adv.write_reports(out_dir, gate_eval))
        err.print(f"Grounding gate: lies blocked {gate_eval.lies_blocked}, truths accepted {gate_eval.truths_accepted}")
        for f in gate_eval.failures:
            err.print(f"[bold red]Gate eval:[/] {f['id']} {'shown' if f['shown'] else 'blocked'}: {f['answer']}")
        if not gate_eval.passed:
            err.print("[bold red]Adversarial gate evaluation FAILED[/] (lies must all be blocked, >= 98% of "
                      "truths accepted per language).")
            raise typer.Exit(EXIT_GATE_FAILED)
    if eligible is not None:
        paths["eligibility"] = el.write_report(out_dir, eligible)
        kinds = ", ".join(f"{k} {v['correct']}/{v['checked']}" for k, v in sorted(eligible.per_kind.items()))
        err.print(f"Eligibility: {eligible.correct}/{eligible.cases} profiles exactly right ({kinds})")
        for f in eligible.failures:
            err.print(f"[bold red]Eligibility:[/] {f['id']}: {f['wrong']}")
        if not eligible.passed:
            err.print("[bold red]Eligibility evaluation FAILED[/] (every profile's benefit set must be exact).")
            raise typer.Exit(EXIT_GATE_FAILED)
    err.print("Reports: " + ", ".join(str(p) for p in paths.values()))
    if not result.passed:
        err.print(f"[bold red]Evaluation gate FAILED[/] ({len(result.failures)} problem(s)).")
        raise typer.Exit(EXIT_GATE_FAILED)
    err.print("[green]Evaluation gate passed.[/]")
