"""The one service every front end calls: ``Assistant.load()`` then ``ask()``."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from assistant import metrics
from assistant.knowledge.corpus import Corpus, load_corpus
from assistant.library.embed import make_embedder
from assistant.store.database import Database, open_database
from assistant.errors import ConfigError, DatabaseUnavailable, StorageFull
from assistant.store.feedback import FeedbackStore
from assistant.understanding.followup import is_followup, resolve_followup
from assistant.library.jobs import JobStore
from assistant.answering.llm import ChatModel
from assistant.ingest.netguard import FetchPolicy
from assistant.answering.llm_answer import LLMAnswerer
from assistant.library.index import Progress, SearchIndex
from assistant.ingest.sandbox import prewarm as prewarm_parser
from assistant.library.retrieve import Retriever
from assistant.understanding.scope import check_filter
from assistant.understanding.redact import redact
from assistant.store.sessions import LOCAL_OWNER, SessionStore, purge_expired
from assistant.settings import Settings
from assistant.store.storage import NOT_SAVED, STORAGE_FULL, is_storage_error
from assistant.understanding.text import (detect_language, has_content, to_region, traditional_region,
                                          validate_question)
from assistant.types import (Answer, Citation, DocumentInfo, EligibilityResult, Feedback, FounderProfile, Job, StreamEvent,
                    Turn)

log = logging.getLogger(__name__)
INDEX_GRACE_SECONDS = 30.0  # far longer than any answer takes


class Assistant:
    """Answers questions about the plan from its clauses, citing them."""

    def __init__(self, settings: Settings, corpus: Corpus, index: SearchIndex, embedder,
                 db: Database | None = None) -> None:
        from assistant.ingest import store

        self.settings = settings
        self.embedder = embedder
        self.swap_lock = threading.Lock()  # serialises replacing the corpus/index in this process
        self.follow_lock = threading.Lock()  # one thread at a time follows the shared corpus
        self._readers: dict[int, int] = {}  # questions in flight per index version (by id)
        self._retired: dict[int, SearchIndex] = {}  # replaced versions that questions still read
        self._readers_lock = threading.Lock()
        self.use(corpus, index)
        self.db = db or open_database(settings)
        self.corpus_version = store.cached_version(store.documents_root(settings.data_dir))
        self.followed: dict | None = None  # what the last follow() did (version, documents, vectors reused)
        self._db_down = False
        self.writer_busy = False  # the last follow found a writer at work (so this host is behind on purpose)
        self.read_only: str | None = None  # why this process started read-only (a full or read-only disk)
        self.sessions = SessionStore(self.db, settings.max_turns)
        self.feedback_store = FeedbackStore(self.db, settings.answer_log_flush_seconds)
        self.jobs = JobStore(self.db, settings.data_dir)
        self.jobs.recover()  # batches a crash or restart cut short: reported 'interrupted', their uploads removed
        # Which addresses document URLs may be fetched from (the resolver is replaceable in tests).
        self.fetch_policy = FetchPolicy(settings.fetch_allow)

    def use(self, corpus: Corpus, index: SearchIndex) -> None:
        """Answer from this corpus and index from now on (after a document is added or removed)."""
        from assistant.answering.extractive import ExtractiveAnswerer

        retriever = Retriever(index, corpus, self.embedder, self.settings.retrieval,
                              home=self.settings.home_jurisdiction, today=self.settings.today_iso)
        extractive = ExtractiveAnswerer(retriever, self.settings.retrieval, today=self.settings.today_iso)
        llm = LLMAnswerer(ChatModel(self.settings.llm), corpus, today=self.settings.today_iso) \
            if self.settings.llm.configured else None
        # Questions in flight hold the previous set (see _events); new ones get the new set.
        with self._readers_lock:
            previous = getattr(self, "index", None)
            self.corpus, self.index, self.retriever, self.extractive, self.llm = corpus, index, retriever, extractive, llm
            unread = previous is not None and previous is not index and not self._readers.get(id(previous))
            if previous is not None and previous is not index and not unread:
                self._retired[id(previous)] = previous
        if unread:  # freed at once (on a timer thread, off this one): ten quick adds must not hold ten versions
            timer = threading.Timer(0.5, previous.close)
            timer.daemon = True
            timer.start()
        elif previous is not None and previous is not index:
            # Freed when its last question ends (see _events), or after a grace period whatever happens.
            timer = threading.Timer(INDEX_GRACE_SECONDS, previous.close)
            timer.daemon = True
            timer.start()

    @classmethod
    def load(cls, settings: Settings | None = None, *, rebuild: bool = False,
             progress: Progress | None = None) -> "Assistant":
        """Open the index (building it first if it is missing, stale or unreadable)."""
        from assistant.store.readonly import open_read_only, read_only_reason
        from assistant.library.startup import match_database, recover_documents

        settings = settings or Settings()
        db = open_database(settings)  # first: a wrong OPC_DATABASE_URL fails before anything is written
        if settings.parser_prewarm:  # preloads while the index opens: the first add pays no start
            prewarm_parser()
        # A full or read-only data disk: start read-only on what is there (everything acknowledged was written
        # before its 201) instead of failing; writes are refused with a 507 until a restart with room again.
        read_only = read_only_reason(settings.data_dir)
        embedder = make_embedder(settings)
        if read_only is None:
            try:
                recover_documents(settings, db)
                corpus = load_corpus(settings.corpus_dir, settings.data_dir / "documents")
                index = SearchIndex.open_or_build(settings, corpus, embedder, rebuild=rebuild, progress=progress)
                corpus, index = match_database(settings, db, corpus, index, embedder)
            except Exception as exc:
                if not is_storage_error(exc):
                    raise
                read_only = "the data directory filled up while starting"
                log.warning("%s (%s)", read_only, exc)
        if read_only is not None:
            corpus, index = open_read_only(settings, db, read_only)
        bot = cls(settings, corpus, index, embedder, db)
        bot.read_only = read_only
        return bot

    @property
    def notice(self) -> str | None:
        """A message about index maintenance done while loading (e.g. a rebuild), if any."""
        return self.index.notice

    def ask(self, question: str, session_id: str | None = None, mode: str | None = None,
            history: list[Turn] | None = None, owner: str = LOCAL_OWNER, new_session: bool = False,
            documents: list[str] | None = None, issuers: list[str] | None = None) -> Answer:
        """Answer one question. Raises ``InvalidQuestion`` (a ``ValueError``) for unusable input, and
        ``NotFound`` for a session that is not ``owner``'s."""
        final = None
        for event in self.stream(question, session_id=session_id, mode=mode, history=history, owner=owner,
                                 new_session=new_session, documents=documents, issuers=issuers):
            final = event
        return final.answer

    def stream(self, question: str, session_id: str | None = None, mode: str | None = None,
               history: list[Turn] | None = None, owner: str = LOCAL_OWNER, new_session: bool = False,
               documents: list[str] | None = None, issuers: list[str] | None = None) -> Iterator[StreamEvent]:
        """Text deltas, then one final event with the complete, gated answer and its citations.

        Input is validated before the first event, so bad input raises instead of streaming.
        ``history`` supplies earlier turns held by the client (the OpenAI-compatible route) instead of
        a stored session. ``new_session`` starts a conversation for ``owner`` once the input is valid (the
        answer carries its id); a given ``session_id`` must be ``owner``'s (NotFound otherwise).
        ``documents`` / ``issuers`` narrow the answer to those documents (ids) or issuers (any part of an
        issuer's name); unknown ones raise ``NotFound``.
        """
        started = time.perf_counter()
        cleaned = validate_question(question, self.settings.max_question_chars)
        use_llm = self._use_llm(mode)
        if session_id is not None:
            self.sessions.check(session_id, owner)  # someone else's (or an invented) id: NotFound
        if history is None:
            history = self.sessions.history(session_id) if session_id is not None else []
        chosen = check_filter(self.corpus, documents, issuers)
        unsaved = False
        if new_session and session_id is None:
            try:
                session_id = self.sessions.create(owner)
            except Exception as exc:  # a full disk: answer anyway, without a conversation
                if not is_storage_error(exc):
                    raise
                log.warning("conversation not started (storage): %s", exc)
                unsaved = True
        return self._events(cleaned, session_id, history, use_llm, started, unsaved, chosen)

    def _events(self, *args) -> Iterator[StreamEvent]:
        # One consistent corpus/index for the whole question, even if a document is added meanwhile: held
        # (counted) while the question runs, so a replaced version is freed as soon as no question reads it.
        with self._readers_lock:
            extractive, llm = self.extractive, self.llm
            index = extractive.r.index
            self._readers[id(index)] = self._readers.get(id(index), 0) + 1
        try:
            yield from self._answer_events(extractive, llm, *args)
        finally:
            with self._readers_lock:
                left = self._readers[id(index)] = self._readers[id(index)] - 1
                if not left:
                    del self._readers[id(index)]
                retired = self._retired.pop(id(index), None) if not left else None
            if retired is not None:
                retired.close()

    def _answer_events(self, extractive, llm, cleaned: str, session_id: str | None, history: list[Turn],
                       use_llm: bool, started: float, unsaved: bool = False,
                       chosen: set[str] | None = None) -> Iterator[StreamEvent]:
        retriever = extractive.r
        use_llm = use_llm and llm is not None
        lang = detect_language(cleaned)
        standalone = None
        if not has_content(cleaned):  # only emoji or punctuation: nothing to search for
            events = iter([StreamEvent(type="final", answer=extractive.refusal(cleaned, lang, no_content=True))])
        else:
            # Contact details are never search terms: search (and the model) see them redacted.
            private = redact(cleaned)
            if history and is_followup(private):
                standalone = (llm.rewrite(private, history, lang) if use_llm else None) \
                    or resolve_followup(private, history)
            retrieval = retriever.search(standalone or private, lang, chosen)
            # Lists, comparisons, stories and "the plan does not say" come from the verified fact records in
            # both modes: no model rewrites them; within a narrowed scope only its documents' facts.
            from_facts = extractive.from_facts(standalone or cleaned, retrieval, within=chosen)
            # The extractive answer is cheap: it decides out-of-scope refusals and is the LLM's fallback.
            quoted = from_facts or extractive.answer(cleaned, retrieval)
            if from_facts is None and use_llm and quoted.answerable:
                events = llm.stream(cleaned, standalone or private, lang, retrieval, quoted)
            else:
                events = _extractive_events(quoted)
        # Traditional answers are written in Taiwan's standard forms; a question asked the Hong Kong way
        # (Cantonese, HK-only forms) is answered in Hong Kong's.
        region = traditional_region(cleaned) if lang == "zh-Hant" else "tw"
        for event in events:
            if region != "tw" and event.type == "delta":
                event.text = to_region(event.text, region)
            if event.type == "final":
                answer = event.answer
                if region != "tw" and answer.language == "zh-Hant":
                    answer.answer = to_region(answer.answer, region)
                answer.session_id = session_id
                answer.standalone_question = standalone
                answer.latency_ms = round((time.perf_counter() - started) * 1000, 2)
                if unsaved:
                    answer.warnings.append(NOT_SAVED.get(answer.language, NOT_SAVED["en"]))
                self._keep(answer, session_id)
            yield event

    def _keep(self, answer: Answer, session_id: str | None) -> None:
        """Store the turn and log the answer, best-effort: a full disk must not cost the founder the answer."""
        try:
            if session_id is not None:
                self.sessions.append(session_id, answer)
        except Exception as exc:
            if not is_storage_error(exc) and not isinstance(exc, DatabaseUnavailable):
                raise
            log.warning("conversation turn not saved (storage): %s", exc)
            answer.warnings.append(NOT_SAVED.get(answer.language, NOT_SAVED["en"]))
        metrics.answered(answer)
        try:
            self.feedback_store.record_answer(answer)
        except Exception as exc:
            if not is_storage_error(exc) and not isinstance(exc, DatabaseUnavailable):
                raise
            log.warning("answer log not written (storage): %s", exc)

    def _use_llm(self, mode: str | None) -> bool:
        mode = mode or self.settings.mode
        if mode not in ("auto", "llm", "extractive"):
            raise ConfigError(f"Unknown answer mode {mode!r}: use 'auto', 'llm' or 'extractive'.")
        if mode == "llm" and self.llm is None:
            raise ConfigError("Mode 'llm' needs a chat model: set OPC_LLM_BASE_URL and OPC_LLM_MODEL.")
        return mode != "extractive" and self.llm is not None

    # --- what a founder can get ------------------------------------------------------
    def eligibility(self, profile: FounderProfile, lang: str = "en", documents: list[str] | None = None,
                    issuers: list[str] | None = None, jurisdictions: list[str] | None = None,
                    limit: int | None = None) -> EligibilityResult:
        """The benefits in scope decided for a founder profile (met / not met / unknown), cited: the home
        jurisdiction's documents in force unless the request names documents, issuers or places."""
        from assistant.knowledge.eligibility import check_library

        scoper = self.retriever.scoper  # its own corpus: one consistent library even if a document is added now
        return check_library(scoper.corpus, profile, lang, self.settings, scoper=scoper, documents=documents,
                             issuers=issuers, jurisdictions=jurisdictions, limit=limit)

    # --- conversations -----------------------------------------------------------------------
    def new_session(self, owner: str = LOCAL_OWNER) -> str:
        """Start a conversation for ``owner`` (the server picks the id; clients never do)."""
        return self.sessions.create(owner)

    def session(self, session_id: str, owner: str = LOCAL_OWNER) -> list[Turn]:
        """The turns of ``owner``'s conversation, oldest first (NotFound if it has none or is not theirs)."""
        return self.sessions.get(session_id, owner)

    def delete_session(self, session_id: str, owner: str | None = LOCAL_OWNER) -> bool:
        """Forget ``owner``'s conversation (``owner=None``: anyone's, for admins). False if there was none."""
        return self.sessions.delete(session_id, owner)

    def purge(self, days: float | None = None) -> dict[str, int]:
        """Delete conversations idle, and answers and feedback older, than ``days`` (OPC_RETENTION_DAYS)."""
        return purge_expired(self.sessions, self.feedback_store,
                             self.settings.retention_days if days is None else days)

    # --- feedback -------------------------------------------------------------------------------
    def feedback(self, answer_id: str, useful: bool, comment: str | None = None, source: str = "api") -> Feedback:
        """Store a 👍/👎 (and optional comment) on an answer this assistant gave (NotFound otherwise)."""
        try:
            return self.feedback_store.add(answer_id, useful, comment, source)
        except Exception as exc:
            if is_storage_error(exc):
                raise StorageFull(STORAGE_FULL) from None
            raise

    # --- corpus views, for the CLI and the API ------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return self.corpus.infos(self.settings.today_iso())

    def refresh(self) -> bool:
        """Follow a corpus changed by another process (another worker added or removed a document).

        Cheap when nothing changed (one small file read, and the shared corpus version read at most every
        OPC_CORPUS_POLL_SECONDS), so the API calls it before each request.
        """
        from assistant.library.index import current_build, load_version

        if self.follow():
            return True
        if current_build(self.settings) in (None, self.index.version):
            return False
        # One swap at a time: concurrent requests (or this process's own writer) refreshing at once could
        # otherwise install an older version over a newer one. Whoever holds the lock installs the newest.
        if not self.swap_lock.acquire(blocking=False):
            return False
        try:
            if current_build(self.settings) in (None, self.index.version):
                return False
            try:
                index = load_version(self.settings, reuse=self.index)
            except Exception as exc:  # a version pruned or half-copied under us: keep answering, follow next time
                log.warning("Could not follow index version %s (%s: %s); still answering from %s.",
                            current_build(self.settings), exc.__class__.__name__, exc, self.index.version)
                return False
            if index is None:
                return False
            # Exactly the documents the version holds: a batch still being written is not answered from yet.
            corpus = load_corpus(self.settings.corpus_dir, self.settings.data_dir / "documents", only=set(index.docs))
            self.use(corpus, index)
            return True
        finally:
            self.swap_lock.release()

    def add_document(self, source: str | Path | bytes, lang: str | None = None, title: str | None = None,
                     translation_of: str | None = None, filename: str | None = None) -> DocumentInfo:
        """Add a PDF, DOCX, HTML, Markdown or text document from a path, an http(s) URL, or uploaded bytes
        (give ``filename``). With ``translation_of``, it becomes that document's other language version.
        Raises an ``IngestError`` subclass (nothing changed) for unusable input."""
        from assistant.store.readonly import writes_refused

        writes_refused(self)
        from assistant.ingest.pipeline import add_document

        update = add_document(self.settings, self.corpus, self.index, self.embedder, source, lang=lang,
                              title=title, translation_of=translation_of, filename=filename,
                              policy=self.fetch_policy, install=self._install)
        return update.info

    def add_documents(self, sources: list[str], workers: int | None = None, progress: Progress | None = None,
                      landed=None):
        """Add many files or URLs (parsed in worker processes) as one new index version; returns a
        ``BatchReport`` of what was added, skipped as a duplicate, or failed and why."""
        from assistant.store.readonly import writes_refused

        writes_refused(self)
        from assistant.ingest.bulk import add_batch

        _update, report = add_batch(self.settings, self.corpus, self.index, self.embedder, sources,
                                    workers=workers, progress=progress, install=self._install, landed=landed)
        return report

    def start_batch(self, sources: list[str], workdir: Path | None = None,
                    labels: dict[str, str] | None = None) -> Job:
        """``add_documents`` as a background job (see ``job``); ``workdir`` holds uploads, removed after;
        ``labels``: how outcomes name sources (an upload's own file name instead of where it was saved)."""
        from assistant.store.readonly import writes_refused

        writes_refused(self)
        return self.jobs.start(self, sources, workdir, labels)

    def job(self, job_id: str) -> Job:
        return self.jobs.get(job_id)

    def remove_document(self, doc_id: str) -> None:
        """Remove an added document (NotFound if unknown, ProtectedDocument for built-in ones)."""
        from assistant.store.readonly import writes_refused

        writes_refused(self)
        from assistant.ingest.pipeline import remove_document

        remove_document(self.settings, self.corpus, self.index, self.embedder, doc_id, install=self._install)

    def _install(self, update) -> None:
        # Called under the documents' writer lock: never interleaved with a request's refresh()
        # installing another build, nor with another writer's install.
        from assistant.ingest import store

        with self.swap_lock:
            self.use(update.corpus, update.index)
            self.corpus_version = store.cached_version(store.documents_root(self.settings.data_dir))

    def follow(self) -> bool:
        """Follow documents added or removed on another host: when the database's corpus version is
        ahead of this host's, the changed folders are rewritten from the database and the index brought to
        them (only the changed documents are indexed), before this request is answered."""
        from assistant.library.sync import follow_corpus
        from assistant.ingest import store
        from assistant.ingest.pipeline import Update

        if self.read_only:  # the cache cannot be rewritten: answer from what this process started with
            return False
        try:
            latest = self.db.corpus_version(self.settings.corpus_poll_seconds)
        except DatabaseUnavailable as exc:  # keep answering from what this host has; readiness reports it
            if not self._db_down:  # once per outage, not once per request
                log.warning("corpus version not checked: %s", exc)
            self._db_down = True
            return False
        self._db_down = False
        if latest <= self.corpus_version:
            return False
        root = store.documents_root(self.settings.data_dir)
        # Requests meanwhile wait for the thread following (none is answered from a corpus known to be old)...
        with self.follow_lock:
            if latest <= self.corpus_version:
                return False
            try:
                # ...but never for a writer: a batch (here or on another process) holds the documents lock as long
                # as it works and bumps the version with every document it lands, so waiting for it would stall
                # every question for the whole batch. Until it is done (its 201 or job not yet reported), questions
                # go on from the version this process has; the writer installs its own version, or the next
                # request after it follows. The writer's order: documents lock, then swap lock (in _install).
                with store.try_locked(root) as got:
                    self.writer_busy = not got
                    if not got:
                        return False
                    corpus, index, self.followed = follow_corpus(self.settings, root, self.index, self.embedder)
                    self._install(Update(corpus, index))
            except Exception as exc:  # the database or Chroma went away meanwhile: answer as before, retry next time
                log.warning("could not follow the shared corpus (%s: %s); still answering from version %d",
                            type(exc).__name__, exc, self.corpus_version)
                return False
        return True

    def clause(self, clause_id: str, lang: str = "en") -> Citation:
        from assistant.answering.citations import citation_for

        return citation_for(self.corpus, self.corpus.clause(clause_id), lang, n=1)


def _extractive_events(answer: Answer) -> Iterator[StreamEvent]:
    """Stream a quoted answer sentence by sentence, so front ends render both modes alike."""
    for piece in re.findall(r".+?(?:\[\d+\]|$)", answer.answer, flags=re.S):
        if piece:
            yield StreamEvent(type="delta", text=piece)
    yield StreamEvent(type="final", answer=answer)
