"""The `opc` command: ask, chat, index, serve, eligibility and purge here; the document, database and evaluation
commands live in their own modules and are registered below."""

from __future__ import annotations

import os
import sys
from typing import cast

import typer
from rich.panel import Panel
from rich.table import Table

from assistant import metrics
from assistant.cli.common import configured_corpus, err, fail, load_assistant, out
from assistant.cli.corpus import corpus_app, documents_app
from assistant.cli.db import db_app
from assistant.cli.text import Wrapped, answer_text, table_words
from assistant.errors import OPCError
from assistant.evaluate.cli import eval_command
from assistant.knowledge.eligibility import check_library, choices_between, profile_from_pairs
from assistant.knowledge.profile_fields import profile_words
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.types import Language

app = typer.Typer(help="OPC Policy Assistant: cited answers about Shenzhen's AI OPC action plan (2026–2027).",
                  no_args_is_help=True, add_completion=False)


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
        bot = load_assistant(show_progress=False)
        answer = bot.ask(question, session_id=session, mode=mode)
    except OPCError as exc:
        fail(exc)
        return
    if as_json:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    show(answer)


def show(answer) -> None:
    style = "green" if answer.answerable else "yellow"

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
        bot = load_assistant(show_progress=True)
    except OPCError as exc:
        fail(exc)
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
            show(bot.ask(question, session_id=session))
        except OPCError as exc:
            err.print(f"[bold red]Error:[/] {exc}")


@app.command()
def purge(days: float = typer.Option(None, "--days", min=0,
                                     help="Keep this many days (default OPC_RETENTION_DAYS).")) -> None:
    """Delete conversations idle, and logged answers and feedback older, than the retention period."""
    try:
        done = Assistant.purge_stored(Settings(), days)
    except OPCError as exc:
        fail(exc)
        return
    out.print(f"Purged {done['sessions']} conversations and {done['answers']} logged answers.")


@app.command()
def index(rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild even if the index is current.")) -> None:
    """Build the search index if it is missing or stale (or always, with --rebuild)."""
    try:
        bot = load_assistant(rebuild=rebuild, show_progress=True)
    except OPCError as exc:
        fail(exc)
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
        bot = load_assistant(show_progress=True)
        app_ = create_app(settings, bot) if workers == 1 else None
    except OPCError as exc:
        fail(exc)
        return
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    out.print(f"[bold green]OPC Policy Assistant[/] serving on [bold]http://{shown}:{port}/[/] "
              f"(chat page{'' if ui else ' off'}; API at /v1, docs at /docs). Ctrl-C stops.")
    for warning in (app_.state.guard if app_ is not None else guard).startup_warnings():
        out.print(f"[bold red]Warning:[/] {warning}")
    # Header cap and deadlines, connection caps (OPC_SERVER_*), and X-Forwarded-For only from
    # OPC_TRUSTED_PROXIES (uvicorn would otherwise trust 127.0.0.1).
    options = server_options(settings)
    if app_ is not None:  # one worker: this process serves the app built above
        uvicorn.run(app_, host=host, port=port, log_level="info", **options)
    else:
        del bot
        metrics.prepare_workers()  # before the workers start: they count into files one scrape adds up
        uvicorn.run("assistant.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="info", **options)


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
    if lang not in ("en", "zh", "zh-Hant"):
        err.print(f"[bold red]Error:[/] Unknown language {lang!r}: use en, zh or zh-Hant.")
        raise typer.Exit(2)
    try:
        profile = profile_from_pairs(fields or [])
    except OPCError as exc:
        fail(exc, lang)
        return
    try:
        result = check_library(configured_corpus(), profile, cast(Language, lang), Settings(), documents=documents, issuers=issuers,
                               jurisdictions=places, limit=limit)
    except OPCError as exc:
        fail(exc, lang)
        return
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
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


app.command("eval")(eval_command)
app.add_typer(corpus_app, name="corpus")
app.add_typer(documents_app, name="documents")
app.add_typer(db_app, name="db")


def main() -> None:  # pragma: no cover - console-script entry
    app()
