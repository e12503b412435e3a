"""`opc corpus …` and `opc documents …`: the documents the assistant answers from."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import typer
from rich.table import Table

from assistant.cli.common import configured_corpus, err, fail, load_assistant, out, progress_bars
from assistant.errors import OPCError
from assistant.ingest.align import figure_mismatches
from assistant.knowledge.provenance import conflicts_report
from assistant.settings import Settings

corpus_app = typer.Typer(help="List, add, remove and check the documents the assistant answers from.",
                         no_args_is_help=True)
documents_app = typer.Typer(help="Load a whole policy library.", no_args_is_help=True)


@corpus_app.command("list")
def corpus_list(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the documents and their clauses."""
    corpus = configured_corpus()
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
        bot = load_assistant(show_progress=False)
        with err.status("Reading and indexing the document…"):
            info = bot.add_document(source, lang=lang, title=title, translation_of=translation_of)
    except OPCError as exc:
        fail(exc)
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
        bot = load_assistant(show_progress=False)
        with err.status("Removing and re-indexing…"):
            bot.remove_document(doc_id)
    except OPCError as exc:
        fail(exc)
        return
    out.print(f"Removed {doc_id}; {len(bot.corpus.documents)} documents remain.")


@corpus_app.command("trust")
def corpus_trust(doc_id: str = typer.Argument(..., help="Id of an added document (see `opc corpus list`)."),
                 level: str = typer.Argument(..., help="reviewed (confirm) | unreviewed | quarantined.")) -> None:
    """Set how far an added document is trusted: confirm a quarantined one ('reviewed') or quarantine one."""
    try:
        bot = load_assistant(show_progress=False)
        with err.status("Re-indexing…"):
            info = bot.set_trust(doc_id, level)
    except OPCError as exc:
        fail(exc)
        return
    out.print(f"{info.id} is now {info.trust}.")


@corpus_app.command("conflicts")
def corpus_conflicts(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Documents claiming another's title or number, and benefits documents state with different figures."""
    report = conflicts_report(configured_corpus())
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
    corpus = configured_corpus()
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
        bot = load_assistant(show_progress=False)
        with progress_bars(str.capitalize, disable=as_json) as step:
            report = bot.add_documents(listed, workers=workers, progress=step)
    except OPCError as exc:
        fail(exc)
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
