"""Adding a whole library: many files or URLs parsed in worker processes, one index version at the end.

Each document is read and structured in a parser worker (a process of its own: a hostile or huge file
costs that worker, not the loader), then checked for duplicates by content hash (any name) against the
library and the batch, and written to its own folder at once. The index is brought up to date once, at
the end, as one new version. Killed mid-batch, the previous version still answers; the folders already
written are indexed by the next load, and running the same batch again skips them as duplicates.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import DuplicateDocument, IngestError, OPCError
from assistant.ingest import facts as ingest_facts
from assistant.ingest import store
from assistant.ingest.fetch import is_url
from assistant.ingest.limits import ParseLimits
from assistant.ingest.netguard import FetchPolicy
from assistant.ingest.pipeline import Update, current_corpus, prepare, writing
from assistant.ingest.sources import Follow, read_document, read_source
from assistant.knowledge.corpus import load_corpus
from assistant.library.index import SearchIndex
from assistant.settings import Settings

SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"}
Progress = Callable[[str, int, int], None]


@dataclass
class Outcome:
    """What became of one source of a batch."""

    source: str
    status: str  # "added" | "skipped" | "failed"
    doc_id: str | None = None
    reason: str = ""


@dataclass
class BatchReport:
    outcomes: list[Outcome] = field(default_factory=list)
    version: str | None = None
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)


def expand(arg: str) -> list[str]:
    """The sources an argument names: a folder's supported files (recursively, sorted), a text file listing
    one path or URL per line ('#' comments), or one file or URL."""
    if is_url(arg):
        return [arg]
    path = Path(arg).expanduser()
    if path.is_dir():
        return [str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)]
    if path.is_file() and path.suffix.lower() in (".lst", ".list", ".urls"):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        return [ln for ln in lines if ln and not ln.startswith("#")]
    if not path.exists():
        raise IngestError(f"No such file or folder: {path}.")
    return [str(path)]


def _die_with_parent(parent: int) -> None:
    """Worker initializer: a loader killed mid-batch takes its parser workers with it (Linux), instead of
    leaving them waiting on a pipe nobody writes to."""

    try:
        os.nice(10)  # parsing a batch yields the CPU to answers, as the single-upload sandbox does
    except OSError:
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _parse(source: str, limit: int, timeout: float, follow: bool, limits: ParseLimits, allow: list[str]):
    """In a parser worker: read and extract one source. Errors come back as text, never as a crash. The
    bytes are still parsed in the sandbox (with its limits) and URLs fetched through the SSRF guard, as for
    a single upload: the worker only spreads the work over processes."""
    try:
        policy = FetchPolicy(allow)
        src = read_source(source, max_bytes=limit, timeout=timeout, policy=policy)
        return "ok", src, read_document(src, limits, follow=Follow(limit, timeout, policy) if follow else None)
    except OPCError as exc:
        return "failed", source, str(exc)
    except Exception as exc:  # a parser bug on one file must not stop the batch
        return "failed", source, f"could not be read ({exc.__class__.__name__}: {exc})"


def add_batch(settings: Settings, corpus, index: SearchIndex, embedder, sources: list[str], *,
              workers: int | None = None, progress: Progress | None = None,
              install: Callable[[Update], None] | None = None,
              landed: Callable[[Outcome], None] | None = None) -> tuple[Update, BatchReport]:
    """Add ``sources``; returns the new corpus and index (one version) and what became of each source.
    ``install`` (the caller's) gets them while the writer lock is still held, as for a single document.
    ``landed`` hears each source's outcome as soon as it is decided (an added one is committed by then)."""
    report = progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    out = BatchReport()
    limit = int(settings.max_document_mb * 1_000_000)
    workers = max(1, workers or settings.bulk_workers)
    ctx = multiprocessing.get_context("spawn")  # the loader's model threads are never forked into workers
    limits = ParseLimits.from_settings(settings)
    with writing(settings.data_dir) as root:
        corpus = current_corpus(settings, corpus, index)
        known = store.known_hashes(corpus)
        taken = {d.id for d in corpus.every_document}
        model = ingest_facts.chat_model(settings)
        report("parsing", 0, len(sources))
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(_parse, s, limit, settings.fetch_timeout, settings.follow_attachments, limits,
                                   list(settings.fetch_allow or [])) for s in sources]
            for n, (source, future) in enumerate(zip(sources, futures), 1):
                out.outcomes.append(_land(future.result(), source, root, corpus, known, taken,
                                           settings, model))
                if landed is not None:
                    landed(out.outcomes[-1])
                report("parsing", n, len(sources))
        update = _index(settings, index, embedder, report)
        if install is not None:
            install(update)
    out.version = update.index.version
    out.seconds = round(time.perf_counter() - started, 2)
    return update, out


def _land(result, source: str, root: Path, corpus, known: dict, taken: set[str], settings: Settings,
          model=None) -> Outcome:
    """Check one parsed document, extract its facts and write its folder (committed at once: the batch
    resumes from here)."""
    status, src, payload = result
    if status != "ok":
        return Outcome(source, "failed", reason=payload)
    extracted, docmeta = payload
    try:
        prepared = prepare(src, extracted, docmeta, root, corpus, lang=None, title=None, translation_of=None,
                           known=known, taken=taken)
    except DuplicateDocument as exc:
        return Outcome(source, "skipped", reason=str(exc).split(". Nothing")[0])
    except OPCError as exc:
        return Outcome(source, "failed", reason=str(exc))
    files, reading = ingest_facts.extract(prepared, root, corpus.claims, settings, model)
    store.write_version(root, prepared.doc_id, prepared.meta, prepared.lang, prepared.rows, prepared.original,
                        prepared.filename, files=files).commit()
    taken.add(prepared.doc_id)
    for kind in ("sha256", "text_sha256"):
        value = prepared.meta["versions"][prepared.lang].get(kind)
        if value:
            known[value] = (prepared.doc_id, prepared.lang, "in this batch")
    return Outcome(source, "added", prepared.doc_id, "; ".join(prepared.warnings + reading.warnings))


def _index(settings: Settings, index: SearchIndex, embedder, report: Progress) -> Update:
    corpus = load_corpus(settings.corpus_dir, store.documents_root(settings.data_dir))
    new_index = SearchIndex.open_or_build(settings, corpus, embedder, reuse=index, progress=report)
    new_index.notice = None
    return Update(corpus, new_index)
