"""The ``opc`` command line: a thin front end over ``Assistant``."""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import asdict

import typer
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.errors import OPCError
from assistant.ingest.align import figure_mismatches
from assistant.knowledge.corpus import load_corpus
from assistant.knowledge.eligibility import check_library, profile_from_pairs
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.store.database import open_database

app = typer.Typer(help="OPC Policy Assistant: cited answers about Shenzhen's AI OPC action plan (2026–2027).",
                  no_args_is_help=True, add_completion=False)
corpus_app = typer.Typer(help="List, add, remove and check the documents the assistant answers from.",
                         no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
db_app = typer.Typer(help="The database (OPC_DATABASE_URL): schema upgrades and the revision in use.",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")

out = Console()
err = Console(stderr=True)


def _fail(exc: OPCError, lang: str = "en") -> None:
    label = "Error" if lang == "en" else "錯誤" if lang == "zh-Hant" else "错误"
    from rich.markup import escape

    err.print(f"[bold red]{label}:[/] {escape(exc.in_language(lang))}", soft_wrap=True, highlight=False)
    raise typer.Exit(exc.exit_code)


def _load(rebuild: bool = False, show_progress: bool = False):
    logging.getLogger("assistant").setLevel(logging.ERROR)  # the CLI prints index notices itself
    settings = Settings()
    if not show_progress:
        with err.status("Loading the index…"):
            bot = Assistant.load(settings, rebuild=rebuild)
    else:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err) as bar:
            tasks: dict[str, int] = {}

            def report(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(f"{stage:<10}", total=total)
                bar.update(tasks[stage], completed=done, total=total)

            bot = Assistant.load(settings, rebuild=rebuild, progress=report)
    if bot.notice:
        err.print(f"[yellow]{bot.notice}[/]")
    return bot


@app.command()
def ask(
    question: str = typer.Argument(..., help="Your question, in Chinese or English."),
    as_json: bool = typer.Option(False, "--json", help="Print the full answer as JSON."),
    session: str | None = typer.Option(None, "--session", help="Conversation id for follow-up questions."),
    mode: str | None = typer.Option(
        None, "--mode", help="llm | extractive | auto (default: OPC_MODE, 'auto' = llm when configured)."),
) -> None:
    """Ask a question about the plan; the answer cites its clauses."""
    try:
        bot = _load(show_progress=False)
        answer = bot.ask(question, session_id=session, mode=mode)
    except OPCError as exc:
        _fail(exc)
        return
    if as_json:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    _show(answer)


def _show(answer) -> None:
    style = "green" if answer.answerable else "yellow"
    from assistant.cli_text import answer_text

    out.print(Panel(answer_text(answer.answer), title="Answer" if answer.language == "en" else "回答",
                    border_style=style))
    if answer.citations:
        table = Table("n", "clause", "text", title="Sources", show_lines=True, expand=True)
        for c in answer.citations:
            tag = " [dim](news background)[/]" if c.authority == "background" else ""
            trans = " [dim](our translation)[/]" if c.is_translation else ""
            page = (f" (p. {c.page})" if answer.language == "en" else f"（第{c.page}页）") if c.page else ""
            table.add_row(f"[{c.n}]", f"{c.label}{page} {c.title}{tag}", f"{c.text}{trans}\n[dim]{c.doc_title}"
                          + (f"\n{c.source_url}" if c.source_url else "") + "[/]")
        out.print(table)
    if answer.suggestions:
        out.print("[bold]Nearest clauses:[/]" if answer.language == "en" else "[bold]相关条款：[/]")
        for s in answer.suggestions:
            out.print(f"  • {s.label} {s.title}")
    for w in answer.warnings:
        err.print(f"[yellow]Warning:[/] {w}")
    err.print(f"[dim]{answer.mode} · {answer.latency_ms:.0f} ms[/]")


@app.command()
def chat() -> None:
    """Chat in the terminal: type questions in Chinese or English; an empty line or Ctrl-D quits."""
    try:
        bot = _load(show_progress=True)
    except OPCError as exc:
        _fail(exc)
        return
    session = bot.new_session()
    out.print("[bold]OPC Policy Assistant[/] — ask about Shenzhen's AI OPC action plan (2026–2027). "
              "Answers are informational; the official text prevails.\n"
              "例如：住房补贴每月多少钱？ · How big is the training power voucher?")
    while True:
        try:
            question = out.input("[bold cyan]? [/]")
        except (EOFError, KeyboardInterrupt):
            break
        if not question.strip() or question.strip().lower() in {"exit", "quit", "q"}:
            break
        try:
            _show(bot.ask(question, session_id=session))
        except OPCError as exc:
            err.print(f"[bold red]Error:[/] {exc}")


@app.command()
def purge(days: float = typer.Option(None, "--days", min=0,
                                     help="Keep this many days (default OPC_RETENTION_DAYS).")) -> None:
    """Delete conversations idle, and logged answers and feedback older, than the retention period."""
    try:
        done = Assistant.purge_stored(Settings(), days)
    except OPCError as exc:
        _fail(exc)
        return
    out.print(f"Purged {done['sessions']} conversations and {done['answers']} logged answers.")


@app.command()
def index(rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild even if the index is current.")) -> None:
    """Build the search index if it is missing or stale (or always, with --rebuild)."""
    try:
        bot = _load(rebuild=rebuild, show_progress=True)
    except OPCError as exc:
        _fail(exc)
        return
    out.print(f"Index ready: {len(bot.index.entries)} entries from {len(bot.corpus.clauses)} clauses "
              f"in {len(bot.corpus.documents)} documents ({bot.index.path}).")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for all interfaces)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes (each loads the index)."),
    ui: bool = typer.Option(True, "--ui/--no-ui", help="Serve the chat page at '/' beside the API."),
) -> None:
    """Serve the HTTP API (/v1, docs at /docs) and the chat page (/) with uvicorn."""
    # imported here: the server stack (uvicorn, FastAPI, rate limiter) loads only for `opc serve`
    import uvicorn

    from assistant.api.app import create_app
    from assistant.api.front import server_options
    from assistant.api.security import Guard

    os.environ["OPC_UI"] = "true" if ui else "false"  # workers read their settings from the environment
    os.environ["OPC_HOST"] = host  # without keys, document writes are open only on loopback
    try:
        settings = Settings()
        guard = Guard(settings)  # a bad key or rate-limit setting (e.g. the Redis URI) fails before the slow load
        # Load (and build if needed) once here: errors show before the port opens, and workers find the index ready.
        bot = _load(show_progress=True)
        app_ = create_app(settings, bot) if workers == 1 else None
    except OPCError as exc:
        _fail(exc)
        return
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    out.print(f"[bold green]OPC Policy Assistant[/] serving on [bold]http://{shown}:{port}/[/] "
              f"(chat page{'' if ui else ' off'}; API at /v1, docs at /docs). Ctrl-C stops.")
    for warning in (app_.state.guard if app_ is not None else guard).startup_warnings():
        out.print(f"[bold red]Warning:[/] {warning}")
    # Header cap and deadlines, connection caps (OPC_SERVER_*), and X-Forwarded-For only from
    # OPC_TRUSTED_PROXIES (uvicorn would otherwise trust 127.0.0.1).
    options = server_options(settings)
    if workers == 1:
        uvicorn.run(app_, host=host, port=port, log_level="info", **options)
    else:
        del bot
        from assistant import metrics

        metrics.prepare_workers()  # before the workers start: they count into files one scrape adds up
        uvicorn.run("assistant.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="info", **options)


def _corpus():
    """The corpus as configured (built-in documents plus added ones), without opening the index."""
    settings = Settings()
    try:
        return load_corpus(settings.corpus_dir, settings.data_dir / "documents")
    except OPCError as exc:
        _fail(exc)


@corpus_app.command("list")
def corpus_list(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the documents and their clauses."""
    corpus = _corpus()
    infos = corpus.infos(Settings().today_iso())
    if as_json:
        sys.stdout.write(json.dumps([d.model_dump() for d in infos], ensure_ascii=False, indent=2) + "\n")
        return
    for doc, info in zip(corpus.every_document, infos):
        # issuer · number · in force / expired, as citations show it
        official = " · ".join(x for x in (next(iter(info.issuer.values()), ""), info.doc_number,
                                          info.jurisdiction, info.status.replace("_", " ")) if x)
        trust = f"{info.origin} · [bold]{info.trust}[/]" + (
            f" · conflicts with {', '.join(info.conflicts_with)}" if info.conflicts_with else "") + (
            f" · instruction-like text in {', '.join(info.flagged_clauses)}" if info.flagged_clauses else "")
        table = Table("clause id", "label", "title (en)", "title (zh)",
                      title=f"{doc.title.get('en', '')}\n{doc.title.get('zh', '')}\n[dim]{doc.id} · {doc.authority}"
                            f" · languages: {', '.join(doc.languages)}\n{official}\n{trust}[/]")
        for c in doc.clauses:
            table.add_row(c.id, " / ".join(c.label.values()), c.title.get("en", ""), c.title.get("zh", ""))
        out.print(table)


@corpus_app.command("add")
def corpus_add(
    source: str = typer.Argument(..., help="A file (PDF, DOCX, HTML, Markdown, text) or an http(s) URL."),
    lang: str | None = typer.Option(None, "--lang", help="zh | en (default: detected from the text)."),
    title: str | None = typer.Option(None, "--title", help="Document title (default: from the document)."),
    translation_of: str | None = typer.Option(
        None, "--translation-of", help="Id of an added document this one translates; clauses pair by number."),
    as_json: bool = typer.Option(False, "--json", help="Print the added document as JSON."),
) -> None:
    """Add a policy document; its clauses are found from its own numbering and it is indexed at once."""
    try:
        bot = _load(show_progress=False)
        with err.status("Reading and indexing the document…"):
            info = bot.add_document(source, lang=lang, title=title, translation_of=translation_of)
    except OPCError as exc:
        _fail(exc)
        return
    if as_json:
        sys.stdout.write(info.model_dump_json(indent=2) + "\n")
        return
    for w in info.warnings:
        err.print(f"[yellow]Warning:[/] {w}")
    out.print(f"Added [bold]{info.id}[/] — {' / '.join(info.title.values())}: {info.clauses} clauses, "
              f"languages: {', '.join(info.languages)}.")


@corpus_app.command("remove")
def corpus_remove(doc_id: str = typer.Argument(..., help="Id of an added document (see `opc corpus list`).")) -> None:
    """Remove an added document (built-in documents cannot be removed)."""
    try:
        bot = _load(show_progress=False)
        with err.status("Removing and re-indexing…"):
            bot.remove_document(doc_id)
    except OPCError as exc:
        _fail(exc)
        return
    out.print(f"Removed {doc_id}; {len(bot.corpus.documents)} documents remain.")


@corpus_app.command("trust")
def corpus_trust(doc_id: str = typer.Argument(..., help="Id of an added document (see `opc corpus list`)."),
                 level: str = typer.Argument(..., help="reviewed (confirm) | unreviewed | quarantined.")) -> None:
    """Set how far an added document is trusted: confirm a quarantined one ('reviewed') or quarantine one."""
    try:
        bot = _load(show_progress=False)
        with err.status("Re-indexing…"):
            info = bot.set_trust(doc_id, level)
    except OPCError as exc:
        _fail(exc)
        return
    out.print(f"{info.id} is now {info.trust}.")


@corpus_app.command("conflicts")
def corpus_conflicts(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Documents claiming another's title or number, and benefits documents state with different figures."""
    from assistant.knowledge.provenance import conflicts_report

    report = conflicts_report(_corpus())
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
        return
    for c in report.claims:
        out.print(f"[bold]{c.doc_id}[/] ({c.trust}) claims {c.what} of {c.claims}")
    for f in report.figures:
        sides = "; ".join(f"{s.doc_id} {s.clause_id}: {', '.join(f'{v:g}' for v in s.values)}" for s in f.sides)
        out.print(f"[bold]{f.subject}[/] ({f.unit}{'/' + f.per if f.per else ''}): {sides}")
    if not report.claims and not report.figures:
        out.print("No conflicts.")


@corpus_app.command("check")
def corpus_check(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Report figures that differ between a clause and its translation, and fact records (facts.yaml) that do
    not match their clause text in every language (exit 1 when any do)."""
    corpus = _corpus()
    found = figure_mismatches(corpus)
    facts = corpus.fact_problems
    if as_json:
        sys.stdout.write(json.dumps({"figure_mismatches": [m.model_dump() for m in found],
                                     "facts_verified": len(corpus.facts), "fact_problems": facts},
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        if not found:
            bilingual = sum(1 for c in corpus.clauses if c.text.get("en") and c.text.get("zh"))
            out.print(f"All figures agree across languages in {bilingual} bilingual clauses.")
        else:
            table = Table("clause", "label", "only in English", "only in Chinese", title="Figures that differ")
            for m in found:
                table.add_row(m.clause_id, m.label, ", ".join(m.only_en) or "—", ", ".join(m.only_zh) or "—")
            out.print(table)
        out.print(f"{len(corpus.facts)} fact records verified against their clauses in every language.")
        for problem in facts:
            out.print(f"[red]Fact does not match its clause:[/] {problem}")
    if found or facts:
        raise typer.Exit(1)


@app.command()
def eligibility(
    fields: list[str] = typer.Argument(None, help="What you know, as FIELD=VALUE: degree=master graduation_year=2022 "
                                                  "newly_arrived=yes is_founder=yes company_size=micro ..."),
    lang: str = typer.Option("en", "--lang", help="en | zh | zh-Hant."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    documents: list[str] = typer.Option(None, "--document", help="Only this document's benefits (repeatable)."),
    issuers: list[str] = typer.Option(None, "--issuer", help="Only this issuer's benefits (any part of the name)."),
    places: list[str] = typer.Option(None, "--place", help="Only benefits of this place's documents ('深圳市')."),
    limit: int = typer.Option(None, "--limit", min=1, max=1000, help="Benefits to list (the total is always shown)."),
) -> None:
    """What can I get? The benefits of the home jurisdiction's documents in force (the plan first), or of the
    documents, issuers or places named, checked against your profile, with amounts and clauses."""
    from assistant.knowledge.eligibility import choices_between

    if lang not in ("en", "zh", "zh-Hant"):
        err.print(f"[bold red]Error:[/] Unknown language {lang!r}: use en, zh or zh-Hant.")
        raise typer.Exit(2)
    try:
        profile = profile_from_pairs(fields or [])
    except OPCError as exc:
        _fail(exc, lang)
        return
    try:
        result = check_library(_corpus(), profile, lang, Settings(), documents=documents, issuers=issuers,
                               jurisdictions=places, limit=limit)
    except OPCError as exc:
        _fail(exc, lang)
        return
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    from assistant.cli_text import Wrapped, table_words
    from assistant.knowledge.profile_fields import profile_words

    w, asks, choose = table_words(lang), profile_words(), choices_between(result)
    table = Table("", w["benefit"], w["amount"], w["issuer"], w["clause"], w["why"],
                  title=w["title"].format(n=len(result.benefits), total=result.total))
    for b in result.benefits:
        if b.status == "not_met":
            why = w["sep"].join(f"“{c.says}”" for c in b.conditions if c.status == "not_met")
        else:  # what is unknown is asked for in words, never by field id; an exclusive pair is a choice
            parts = ([w["tell"] + w["sep"].join(asks.ask(n, lang) for n in b.needed)] if b.needed else []) + \
                    ([w["confirm"] + w["sep"].join(b.to_confirm)] if b.to_confirm else []) + \
                    [w["choose"].format(a=b.name, b=other) for other in choose.get(b.fact_id, [])]
            why = "\n".join(parts)
        table.add_row(w["marks"][b.status], Wrapped(b.name), Wrapped(b.amount or "—"), Wrapped(b.issuer),
                      b.citation.label, Wrapped(why))
    out.print(table)


documents_app = typer.Typer(help="Load a whole policy library.", no_args_is_help=True)
app.add_typer(documents_app, name="documents")


@documents_app.command("add")
def documents_add(
    sources: list[str] = typer.Argument(..., help="Folders (their PDF, DOCX, HTML, Markdown and text files), "
                                                  "files, http(s) URLs, or .lst/.urls files listing one per line."),
    workers: int | None = typer.Option(None, "--workers", help="Parser processes (default OPC_BULK_WORKERS)."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome of every source as JSON."),
) -> None:
    """Add many documents: parsed in parallel, duplicates (same content, any name) skipped, failures reported,
    one new index version at the end. Run the same command again to resume an interrupted batch."""
    # imported here: the bulk loader brings rich and httpx, needed only for a batch of documents
    from assistant.ingest.bulk import expand

    try:
        listed = [s for arg in sources for s in expand(arg)]
        if not listed:
            raise OPCError("No documents found in " + ", ".join(sources) + ".")
        bot = _load(show_progress=False)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, disable=as_json) as bar:
            tasks: dict[str, int] = {}

            def step(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage.capitalize(), total=total)
                bar.update(tasks[stage], completed=done, total=total)

            report = bot.add_documents(listed, workers=workers, progress=step)
    except OPCError as exc:
        _fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps({"version": report.version, "seconds": report.seconds,
                                     "outcomes": [asdict(o) for o in report.outcomes]}, ensure_ascii=False) + "\n")
    else:
        table = Table("source", "result", "document", "reason", title=f"{len(listed)} sources in {report.seconds} s")
        for o in report.outcomes:
            if o.status != "added" or len(listed) <= 50:  # a large batch lists what needs attention
                table.add_row(o.source, o.status, o.doc_id or "—", o.reason or "")
        out.print(table)
        out.print(f"Added {report.count('added')}, skipped {report.count('skipped')} (duplicates), failed "
                  f"{report.count('failed')}; index version {report.version}.")
    if report.count("failed"):
        raise typer.Exit(1)


from assistant.evaluate.cli import eval_command  # noqa: E402  (the command lives with the evaluation code)

app.command("eval")(eval_command)


def main() -> None:  # pragma: no cover - console-script entry
    app()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema to this release (run it before starting upgraded hosts); carry over the
    data directory's conversation and answer files of earlier releases."""
    # imported here: Alembic loads only for the db commands
    from assistant.store.migrate import current

    try:
        db = open_database(Settings())
        out.print(f"Database {db.shown} is at revision {current(db)} (the newest).")
    except OPCError as exc:
        _fail(exc)


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision and the newest this release knows, without changing anything."""
    # imported here: Alembic loads only for the db commands
    from assistant.store.migrate import current, head

    try:
        db = open_database(Settings(), upgrade=False)
        now, newest = current(db), head()
    except OPCError as exc:
        _fail(exc)
        return
    state = "up to date" if now == newest else "run `opc db upgrade`"
    out.print(f"Database {db.shown}: revision {now or 'none (empty)'}; this release's newest: {newest} ({state}).")


if __name__ == "__main__":   # python -m assistant.cli, as the docs and the gates run it
    main()
