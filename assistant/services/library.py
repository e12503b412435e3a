"""The library: listing, adding and removing documents, batch jobs, following other hosts, and which
index version answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answering.citations import citation_for
from assistant.errors import DatabaseUnavailable
from assistant.ingest import store
from assistant.knowledge.corpus import load_corpus
from assistant.knowledge.provenance import conflicts_report
from assistant.library.index import Progress, current_build, load_version
from assistant.library.sync import follow_corpus
from assistant.store.readonly import writes_refused
from assistant.types import Citation, DocumentInfo, Job

if TYPE_CHECKING:  # the facade imports this module; the pipeline is imported when a document changes
    from assistant.ingest.bulk import BatchReport, Outcome
    from assistant.ingest.pipeline import Update
    from assistant.knowledge.provenance import ConflictReport
    from assistant.service import Assistant

log = logging.getLogger("assistant.service")  # the facade's logger, as before the split


class LibraryService:
    """Documents and index versions, over the ``Assistant``'s corpus, index and locks."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    def documents(self) -> list[DocumentInfo]:
        return self.bot.corpus.infos(self.bot.settings.today_iso())

    def refresh(self) -> bool:
        """Follow a corpus changed by another process (another worker added or removed a document).

        Cheap when nothing changed (one small file read, and the shared corpus version read at most every
        OPC_CORPUS_POLL_SECONDS), so the API calls it before each request.
        """
        if self.follow():
            return True
        if current_build(self.bot.settings) in (None, self.bot.index.version):
            return False
        # One swap at a time: concurrent requests (or this process's own writer) refreshing at once could
        # otherwise install an older version over a newer one. Whoever holds the lock installs the newest.
        if not self.bot.swap_lock.acquire(blocking=False):
            return False
        try:
            if current_build(self.bot.settings) in (None, self.bot.index.version):
                return False
            try:
                index = load_version(self.bot.settings, reuse=self.bot.index)
            except Exception as exc:  # a version pruned or half-copied under us: keep answering, follow next time
                log.warning("Could not follow index version %s (%s: %s); still answering from %s.",
                            current_build(self.bot.settings), exc.__class__.__name__, exc, self.bot.index.version)
                return False
            if index is None:
                return False
            # Exactly the documents the version holds: a batch still being written is not answered from yet.
            corpus = load_corpus(self.bot.settings.corpus_dir, self.bot.settings.data_dir / "documents", only=set(index.docs))
            self.bot.use(corpus, index)
            return True
        finally:
            self.bot.swap_lock.release()

    def add_document(self, source: str | Path | bytes, lang: str | None = None, title: str | None = None,
                     translation_of: str | None = None, filename: str | None = None) -> DocumentInfo:
        """Add a PDF, DOCX, HTML, Markdown or text document from a path, an http(s) URL, or uploaded bytes
        (give ``filename``). With ``translation_of``, it becomes that document's other language version.
        Raises an ``IngestError`` subclass (nothing changed) for unusable input."""
        writes_refused(self.bot)
        # imported here: the ingestion pipeline brings the fetcher (httpx), about 0.7 s at every start otherwise
        from assistant.ingest.pipeline import add_document

        update = add_document(self.bot.settings, self.bot.corpus, self.bot.index, self.bot.embedder, source, lang=lang,
                              title=title, translation_of=translation_of, filename=filename,
                              policy=self.bot.fetch_policy, install=self.install)
        return described(update)

    def add_documents(self, sources: list[str], workers: int | None = None, progress: Progress | None = None,
                      landed: Callable[[Outcome], None] | None = None) -> BatchReport:
        """Add many files or URLs (parsed in worker processes) as one new index version; returns a
        ``BatchReport`` of what was added, skipped as a duplicate, or failed and why."""
        writes_refused(self.bot)
        # imported here: the ingestion pipeline brings the fetcher (httpx), about 0.7 s at every start otherwise
        from assistant.ingest.bulk import add_batch

        _update, report = add_batch(self.bot.settings, self.bot.corpus, self.bot.index, self.bot.embedder, sources,
                                    workers=workers, progress=progress, install=self.install, landed=landed)
        return report

    def start_batch(self, sources: list[str], workdir: Path | None = None,
                    labels: dict[str, str] | None = None) -> Job:
        """``add_documents`` as a background job (see ``job``); ``workdir`` holds uploads, removed after;
        ``labels``: how outcomes name sources (an upload's own file name instead of where it was saved)."""
        writes_refused(self.bot)
        return self.bot.jobs.start(self.bot, sources, workdir, labels)

    def job(self, job_id: str) -> Job:
        return self.bot.jobs.get(job_id)

    def remove_document(self, doc_id: str) -> None:
        """Remove an added document (NotFound if unknown, ProtectedDocument for built-in ones)."""
        writes_refused(self.bot)
        # imported here: the ingestion pipeline brings the fetcher (httpx), about 0.7 s at every start otherwise
        from assistant.ingest.pipeline import remove_document

        remove_document(self.bot.settings, self.bot.corpus, self.bot.index, self.bot.embedder, doc_id, install=self.install)

    def set_trust(self, doc_id: str, trust: str) -> DocumentInfo:
        """An admin's decision on an added document (see ``assistant.knowledge.provenance``): 'reviewed'
        confirms it — a quarantined one is indexed and answers from then on —, 'quarantined' takes it out."""
        # imported here: the ingestion pipeline brings the fetcher (httpx), about 0.7 s at every start otherwise
        from assistant.ingest.pipeline import set_trust

        return described(set_trust(self.bot.settings, self.bot.corpus, self.bot.index, self.bot.embedder, doc_id,
                                   trust, install=self.install))

    def conflicts(self) -> ConflictReport:
        """Documents claiming another's title or number, and benefits stated with different figures."""
        return conflicts_report(self.bot.corpus)

    def install(self, update: Update) -> None:
        # Called under the documents' writer lock: never interleaved with a request's refresh()
        # installing another build, nor with another writer's install.

        with self.bot.swap_lock:
            self.bot.use(update.corpus, update.index)
            self.bot.corpus_version = store.cached_version(store.documents_root(self.bot.settings.data_dir))

    def follow(self) -> bool:
        """Follow documents added or removed on another host: when the database's corpus version is
        ahead of this host's, the changed folders are rewritten from the database and the index brought to
        them (only the changed documents are indexed), before this request is answered."""
        # imported here: the ingestion pipeline brings the fetcher (httpx), about 0.7 s at every start otherwise
        from assistant.ingest.pipeline import Update

        if self.bot.read_only:  # the cache cannot be rewritten: answer from what this process started with
            return False
        try:
            latest = self.bot.db.corpus_version(self.bot.settings.corpus_poll_seconds)
        except DatabaseUnavailable as exc:  # keep answering from what this host has; readiness reports it
            if not self.bot._db_down:  # once per outage, not once per request
                log.warning("corpus version not checked: %s", exc)
            self.bot._db_down = True
            return False
        self.bot._db_down = False
        if latest <= self.bot.corpus_version:
            return False
        root = store.documents_root(self.bot.settings.data_dir)
        # Requests meanwhile wait for the thread following (none is answered from a corpus known to be old)...
        with self.bot.follow_lock:
            if latest <= self.bot.corpus_version:
                return False
            try:
                # ...but never for a writer: a batch (here or on another process) holds the documents lock as long
                # as it works and bumps the version with every document it lands, so waiting for it would stall
                # every question for the whole batch. Until it is done (its 201 or job not yet reported), questions
                # go on from the version this process has; the writer installs its own version, or the next
                # request after it follows. The writer's order: documents lock, then swap lock (in _install).
                with store.try_locked(root) as got:
                    self.bot.writer_busy = not got
                    if not got:
                        return False
                    corpus, index, self.bot.followed = follow_corpus(self.bot.settings, root, self.bot.index, self.bot.embedder)
                    self.install(Update(corpus, index))
            except Exception as exc:  # the database or Chroma went away meanwhile: answer as before, retry next time
                log.warning("could not follow the shared corpus (%s: %s); still answering from version %d",
                            type(exc).__name__, exc, self.bot.corpus_version)
                return False
        return True

    def clause(self, clause_id: str, lang: str = "en") -> Citation:
        return citation_for(self.bot.corpus, self.bot.corpus.clause(clause_id), lang, n=1)


def described(update: Update) -> DocumentInfo:
    """The document a change added or re-trusted (the pipeline always describes it)."""
    if update.info is None:
        raise RuntimeError("the library change described no document")
    return update.info

