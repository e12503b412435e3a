"""``opc eval``: run the golden set, write reports, gate on thresholds and the baseline."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.errors import ConfigError, OPCError
from assistant.evaluate import eligibility_eval as el
from assistant.evaluate.dataset import load_suite
from assistant.evaluate.from_facts import fact_cases
from assistant.evaluate.overrides import apply_overrides, load_overrides
from assistant.knowledge.corpus import load_corpus
from assistant.service import Assistant
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.evaluate.remote import RemoteAssistant

ROOT = Path(__file__).resolve().parent.parent.parent
EXIT_GATE_FAILED = 1

out = Console()
err = Console(stderr=True)


def _evaluate(settings: Settings, suite, name: str, mode: str | None, bar: Progress, url: str | None = None,
              key: str | None = None):
    # imported here: these load ragas (over 10 s to import), needed only when an evaluation runs
    from assistant.evaluate.metrics import Scorer
    from assistant.evaluate.run import evaluate

    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(f"{name}: {stage:<9}", total=total)
        bar.update(tasks[stage], completed=done, total=total)

    if url:
        # imported here: the evaluation modules load ragas (over 10 s to import); `opc` stays quick without them
        from assistant.evaluate.remote import RemoteAssistant

        bot: Assistant | RemoteAssistant = RemoteAssistant(url, key, settings)
    else:
        bot = Assistant.load(settings, progress=report)
    suite.add_documents(bot)  # a suite's own documents join the corpus of its (scratch) data dir
    scorer = Scorer(settings.eval, bot.embedder)
    return evaluate(bot, suite.cases, scorer, name=name, mode=mode, progress=report)


def _summary_table(runs, gate) -> Table:
    # imported here: these load ragas (over 10 s to import), needed only when an evaluation runs
    from assistant.evaluate.report import summary_header, summary_rows

    table = Table(*summary_header(runs, gate), title="Summary")
    for row in summary_rows(runs, gate):
        table.add_row(*row)
    return table


def _case_table(run) -> Table:
    # imported here: these load ragas (over 10 s to import), needed only when an evaluation runs
    from assistant.evaluate.report import case_rows

    table = Table("id", "category", "lang", "result", "failures", title=f"Cases ({run.name}), failures first")
    for x in case_rows(run):
        style = "red" if x["result"] == "FAIL" else "green"
        table.add_row(x["id"], x["category"], x["language"], f"[{style}]{x['result']}[/]", x["failures"])
    return table


def _compare_reports(before: Path, rest: list[str] | None) -> None:
    # imported here: the evaluation modules load ragas (over 10 s to import); `opc` stays quick without them
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
    dataset: Path | None = typer.Option(None, "--dataset", help="Golden YAML (default: eval/golden.yaml)."),
    mode: str | None = typer.Option(None, "--mode", help="extractive | llm | auto (default: OPC_MODE)."),
    compare: Path | None = typer.Option(
        None, "--compare", help="YAML of Settings overrides (e.g. 'retrieval.top_k: 3'): a second configuration "
                                "evaluated on the same cases and reported side by side. Or two report JSONs, "
                                "'--compare A/results.json B/results.json': the cases whose outcome changed, "
                                "regressions first; exit 1 on any regression (nothing is run)."),
    baseline: Path | None = typer.Option(None, "--baseline", help="Baseline JSON to compare against."),
    fail_under: list[str] | None = typer.Option(
        None, "--fail-under", help="metric=minimum (repeat, or separate with commas), e.g. figure_accuracy=0.97."),
    out_dir: Path | None = typer.Option(
        None, "--out", help="Folder for the reports (default: a new folder under OPC_DATA_DIR/eval-reports/, "
                            "outside the checkout; the path is printed)."),
    junit: Path | None = typer.Option(None, "--junit", help="Also write JUnit XML here: one testcase per case, "
                                                               "failures with their reasons (for CI)."),
    url: str | None = typer.Option(None, "--url", help="Evaluate a deployed server over HTTP (its /v1/chat) "
                                                          "instead of the local assistant."),
    key: str | None = typer.Option(None, "--key", envvar="OPC_EVAL_KEY", help="API key for --url; give one "
                                      "with the 'eval' scope so a full run is not rate limited (env OPC_EVAL_KEY)."),
    more_thresholds: list[str] | None = typer.Argument(
        None, metavar="[METRIC=MIN]...", show_default=False,
        help="More thresholds, so that '--fail-under a=0.97 b=0.95' reads as written."),
    adversarial: list[Path] | None = typer.Option(
        None, "--adversarial", help="Gate dataset (eval/gate.yaml; repeat for more, e.g. the blind set): model "
                                    "answers served by a scripted OpenAI-compatible server through the LLM path; "
                                    "every lie must be blocked and >= 97% of truths accepted. Items whose question "
                                    "never reaches the model are reported as not tested."),
    design: str | None = typer.Option(
        None, "--design", help="With --adversarial: the model design served, 'free' or 'constrained' (each case in "
                               "its constrained form: docs/gate.md, Constrained rendering); default OPC_LLM_DESIGN."),
    framing: str = typer.Option(
        "all", "--framing", help="With --design constrained: the answer's sentences that become the framing "
                                 "('all', the worst case, or 'first')."),
    facts: bool = typer.Option(
        False, "--facts", help="Add cases generated from the fact records (every money fact x question forms x "
                               "en/zh/zh-Hant, category 'fact')."),
    eligibility: Path | None = typer.Option(
        None, "--eligibility", help="Founder profiles with their exact benefit sets (eval/eligibility.yaml), plus "
                                    "profiles generated from the fact records; every decision must be right "
                                    "(reported per benefit kind)."),
    blind: Path | None = typer.Option(
        None, "--blind", help="A blind founder-message set (eval/blind/founder_messages.yaml): scored per pattern, "
                              "language and programmatic variant instead of the golden set; --fail-under takes "
                              "its metrics (correct, variants_correct, ...)."),
    blind_variants: str = typer.Option(
        "all", "--blind-variants", help="With --blind: 'all', 'none', or variant kinds separated by commas "
                                        "(punct, s2tw, s2hk, background, wrapper)."),
    update_baseline: bool = typer.Option(
        False, "--update-baseline", help="Write this run's figures as the baseline (--baseline, default "
                                         "eval/baseline.json) instead of comparing against it."),
) -> None:
    """Evaluate answers on the golden set: checks, retrieval recall, ragas metrics, reports and a CI gate."""
    # imported here: these load ragas (over 10 s to import), needed only when an evaluation runs
    from assistant.evaluate import gate as gating
    from assistant.evaluate.metrics import JUDGE_METRICS, OFFLINE_METRICS
    from assistant.evaluate.report import write_reports
    from assistant.evaluate.run import summary_names

    logging.getLogger("assistant").setLevel(logging.ERROR)
    if compare is not None and compare.suffix == ".json":  # two reports: compare them, run nothing
        _compare_reports(compare, more_thresholds)
        return
    if blind is not None:
        _blind(blind, blind_variants, mode, [*(fail_under or []), *(more_thresholds or [])], out_dir)
        return
    try:
        if mode not in (None, "auto", "llm", "extractive"):
            raise ConfigError(f"Unknown answer mode {mode!r}: use 'auto', 'llm' or 'extractive'.")
        if design not in (None, "free", "constrained") or framing not in ("all", "first"):
            raise ConfigError(f"Unknown model design {design!r} or framing {framing!r}: --design takes 'free' or "
                              "'constrained', --framing 'all' or 'first'.")
        suite = load_suite(dataset)
        settings = Settings()
        if suite.today is not None:  # the suite's answers are checked as of its own day
            settings = settings.model_copy(update={"today": suite.today})
        if facts:
            suite.cases = suite.cases + fact_cases(load_corpus(settings.corpus_dir))
        if suite.home_jurisdiction:  # ... and as the deployment of its own city (home scope)
            settings = settings.model_copy(update={"home_jurisdiction": suite.home_jurisdiction})
        # Thresholds are checked before anything runs: a typo should not cost a whole evaluation.
        scored = OFFLINE_METRICS + (JUDGE_METRICS if settings.eval.configured else ())
        thresholds = gating.parse_thresholds([*(fail_under or []), *(more_thresholds or [])],
                                             gating.gated_metrics(summary_names(scored)))
        overrides = load_overrides(compare) if compare is not None else None
        compare_settings = apply_overrides(settings, overrides) if overrides is not None else None
        baseline_path = baseline or (ROOT / "eval" / "baseline.json" if update_baseline else None)
        reference = gating.load_baseline(baseline_path) if baseline_path and not update_baseline else None
        previous = (gating.load_baseline(baseline_path)
                    if update_baseline and baseline_path and baseline_path.exists() else None)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err) as bar:
            runs = [_evaluate(settings, suite, url or "default", mode, bar, url, key)]
            if compare is not None and compare_settings is not None and overrides is not None:
                runs.append(_evaluate(compare_settings, suite, compare.stem,
                                      None if "mode" in overrides else mode, bar))
    except OPCError as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(exc.exit_code)

    gate_evals = []
    if adversarial:
        # imported here: the evaluation modules load ragas (over 10 s to import); `opc` stays quick without them
        from assistant.evaluate import adversarial as adv

        try:
            for path in adversarial:
                gate_evals.append(adv.run(settings, adv.load_items(path),
                                          name="gate" if path.stem == "gate" else path.stem,
                                          design="constrained" if (design or settings.llm.design) == "constrained"
                                          else "free", sentences=framing))
        except OPCError as exc:
            err.print(f"[bold red]Error:[/] {exc}")
            raise typer.Exit(exc.exit_code)
    eligible = None
    if eligibility is not None:
        try:
            corpus = load_corpus(settings.corpus_dir)
            cases = el.load_profiles(eligibility, {f.id for f in corpus.facts if f.is_benefit}) + el.generated(corpus)
            eligible = el.run(corpus, cases, settings.today)
        except OPCError as exc:
            err.print(f"[bold red]Error:[/] {exc}")
            raise typer.Exit(exc.exit_code)
    label = str(dataset or "eval/golden.yaml")
    result = gating.check(runs[0].summary, thresholds, reference, str(baseline_path) if reference else None)
    if update_baseline and result.passed and baseline_path is not None:
        gating.write_baseline(gating.make_baseline(runs[0], label, previous), baseline_path)
        err.print(f"Baseline written: {baseline_path}")
    elif update_baseline:
        err.print(f"[yellow]Baseline NOT written[/] ({baseline_path}): this run fails its own gate.")
    if out_dir is None:
        # imported here: the evaluation modules load ragas (over 10 s to import); `opc` stays quick without them
        from assistant.evaluate.ci import default_out_dir

        out_dir = default_out_dir(settings.data_dir)
    paths = write_reports(out_dir, runs, result, label)
    if junit is not None:
        # imported here: the evaluation modules load ragas (over 10 s to import); `opc` stays quick without them
        from assistant.evaluate.ci import write_junit

        paths["junit"] = write_junit(junit, runs)

    out.print(_case_table(runs[0]))
    out.print(_summary_table(runs, result))
    for f in result.failures:
        err.print(f"[bold red]Gate:[/] {f.message}")
    for gate_eval in gate_evals:
        paths.update(adv.write_reports(out_dir, gate_eval))
        err.print(f"Grounding gate ({gate_eval.name}, {gate_eval.design} design): lies blocked "
                  f"{gate_eval.lies_blocked}, truths accepted {gate_eval.truths_accepted}"
                  + (f", lies not expressible {gate_eval.not_expressible}, truths complete "
                     f"{gate_eval.truths_complete}" if gate_eval.design == "constrained" else ""))
        for miss in gate_eval.failures:
            err.print(f"[bold red]Gate eval:[/] {miss['id']} {'shown' if miss['shown'] else 'blocked'}: {miss['answer']}")
        for s in gate_eval.not_tested:
            err.print(f"[yellow]Not tested[/] ({gate_eval.name}): {s['id']}: {s['why']}")
    if any(not g.passed for g in gate_evals):
        err.print("[bold red]Adversarial gate evaluation FAILED[/] (lies must all be blocked, >= 97% of "
                  "truths accepted, something tested).")
        raise typer.Exit(EXIT_GATE_FAILED)
    if eligible is not None:
        paths["eligibility"] = el.write_report(out_dir, eligible)
        kinds = ", ".join(f"{k} {v['correct']}/{v['checked']}" for k, v in sorted(eligible.per_kind.items()))
        err.print(f"Eligibility: {eligible.correct}/{eligible.cases} profiles exactly right ({kinds})")
        for wrong in eligible.failures:
            err.print(f"[bold red]Eligibility:[/] {wrong['id']}: {wrong['wrong']}")
        if not eligible.passed:
            err.print("[bold red]Eligibility evaluation FAILED[/] (every profile's benefit set must be exact).")
            raise typer.Exit(EXIT_GATE_FAILED)
    err.print("Reports: " + ", ".join(str(p) for p in paths.values()))
    if not result.passed:
        err.print(f"[bold red]Evaluation gate FAILED[/] ({len(result.failures)} problem(s)).")
        raise typer.Exit(EXIT_GATE_FAILED)
    err.print("[green]Evaluation gate passed.[/]")


def _blind(path: Path, variants: str, mode: str | None, thresholds: list[str], out_dir: Path | None) -> None:
    """``opc eval --blind``: the blind set as written and in its variants, reported and gated."""
    # imported here: the evaluation modules load ragas (over 10 s to import); `opc` stays quick without them
    from assistant.evaluate import blind as bl
    from assistant.evaluate import gate as gating
    from assistant.service import Assistant

    try:
        if mode not in (None, "auto", "llm", "extractive"):
            raise ConfigError(f"Unknown answer mode {mode!r}: use 'auto', 'llm' or 'extractive'.")
        kinds = (bl.VARIANTS if variants == "all" else ("as_written",) if variants == "none" else
                 ("as_written", *[k.strip() for k in variants.split(",") if k.strip()]))
        for k in kinds:
            if k not in bl.VARIANTS:
                raise ConfigError(f"Unknown blind variant {k!r}: use one of {', '.join(bl.VARIANTS[1:])}.")
        floors = gating.parse_thresholds(thresholds, list(bl.GATED))
        cases = bl.load_cases(path)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err) as bar:
            tasks: dict[str, TaskID] = {}

            def report(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(f"{stage:<9}", total=total)
                bar.update(tasks[stage], completed=done, total=total)

            bot = Assistant.load(Settings(), progress=report)
            summary, results = bl.run(bot, cases, kinds, mode or "extractive", report)
    except OPCError as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(exc.exit_code)
    if out_dir is None:  # under the data dir, as every other evaluation's reports
        from assistant.evaluate.ci import default_out_dir

        out_dir = default_out_dir(Settings().data_dir)
    paths = bl.write_reports(out_dir, summary, results, str(path))
    table = Table("pattern", "n", "correct", title=f"Blind: {path}")
    for name, v in summary["per_pattern"].items():
        table.add_row(name, str(v["n"]), bl._pct(v["rate"]))
    for name, v in summary["per_variant"].items():
        table.add_row(f"variant {name}", str(v["n"]), bl._pct(v["rate"]))
    table.add_row("ALL (as written)", str(summary["cases"]), bl._pct(summary["correct"]))
    out.print(table)
    err.print("Reports: " + ", ".join(str(p) for p in paths.values()))
    failures = bl.check(summary, floors)
    for f in failures:
        err.print(f"[bold red]Gate:[/] {f}")
    if failures:
        err.print("[bold red]Blind evaluation gate FAILED[/].")
        raise typer.Exit(EXIT_GATE_FAILED)
    err.print("[green]Blind evaluation passed.[/]")
