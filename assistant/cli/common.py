"""What every `opc` command shares: the consoles, errors shown in the user's language, the assistant loaded
with a progress bar, and the corpus as configured."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from assistant.errors import OPCError
from assistant.knowledge.corpus import Corpus, load_corpus
from assistant.service import Assistant
from assistant.settings import Settings

out = Console()
err = Console(stderr=True)


def fail(exc: OPCError, lang: str = "en") -> None:
    """Print the error in the user's language and exit with the error's own code."""
    label = "Error" if lang == "en" else "錯誤" if lang == "zh-Hant" else "错误"
    err.print(f"[bold red]{label}:[/] {escape(exc.in_language(lang))}", soft_wrap=True, highlight=False)
    raise typer.Exit(exc.exit_code)


@contextmanager
def progress_bars(label: Callable[[str], str], disable: bool = False) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback (stage, done, total) drawing one bar per stage on stderr."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=disable) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(label(stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report


def load_assistant(rebuild: bool = False, show_progress: bool = False) -> Assistant:
    logging.getLogger("assistant").setLevel(logging.ERROR)  # the CLI prints index notices itself
    settings = Settings()
    if not show_progress:
        with err.status("Loading the index…"):
            bot = Assistant.load(settings, rebuild=rebuild)
    else:
        with progress_bars(lambda stage: f"{stage:<10}") as report:
            bot = Assistant.load(settings, rebuild=rebuild, progress=report)
    if bot.notice:
        err.print(f"[yellow]{bot.notice}[/]")
    return bot


def configured_corpus() -> Corpus:
    """The corpus as configured (built-in documents plus added ones), without opening the index."""
    settings = Settings()
    try:
        return load_corpus(settings.corpus_dir, settings.data_dir / "documents")
    except OPCError as exc:
        fail(exc)
        raise  # not reached: fail exits
