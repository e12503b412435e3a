"""The one facade every front end calls: ``Assistant.load()`` then ``ask()``.

The ``Assistant`` holds the state (settings, corpus, index, stores, locks) and delegates the work to three
services (assistant/services/): questions (ask, stream, eligibility), conversations (sessions, feedback)
and the library (documents, batch jobs, following other hosts, index versions). Front ends call only this
facade."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.llm import ChatModel
from assistant.answering.llm_answer import LLMAnswerer
from assistant.ingest import store
from assistant.ingest.netguard import FetchPolicy
from assistant.ingest.sandbox import prewarm as prewarm_parser
from assistant.knowledge.corpus import Corpus
from assistant.library.embed import make_embedder
from assistant.library.index import Progress, SearchIndex
from assistant.library.jobs import JobStore
from assistant.library.retrieve import Retriever
from assistant.library.startup import start_writable
from assistant.library.sync import Followed
from assistant.services import ConversationService, LibraryService, QuestionService
from assistant.settings import Settings
from assistant.store.database import Database, open_database
from assistant.store.feedback import FeedbackStore
from assistant.store.readonly import open_read_only, read_only_reason
from assistant.store.sessions import LOCAL_OWNER, SessionStore
from assistant.types import (
    Answer,
    Citation,
    DocumentInfo,
    EligibilityResult,
    Feedback,
    FounderProfile,
    Job,
    Language,
    StreamEvent,
    Turn,
)
from assistant.understanding.intents import load_recogniser

if TYPE_CHECKING:  # the batch and document pipelines are imported when a document changes
    from assistant.ingest.bulk import BatchReport, Outcome
    from assistant.ingest.pipeline import Update
    from assistant.knowledge.provenance import ConflictReport

log = logging.getLogger(__name__)
INDEX_GRACE_SECONDS = 30.0  # far longer than any answer takes


class Assistant:
    """Answers questions about the plan from its clauses, citing them."""

    def __init__(self, settings: Settings, corpus: Corpus, index: SearchIndex, embedder: Embeddings,
                 db: Database | None = None) -> None:
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
        self.followed: Followed | None = None  # what the last follow() did (version, documents, vectors reused)
        self._db_down = False
        self.writer_busy = False  # the last follow found a writer at work (so this host is behind on purpose)
        self.read_only: str | None = None  # why this process started read-only (a full or read-only disk)
        self.sessions = SessionStore(self.db, settings.max_turns)
        self.feedback_store = FeedbackStore(self.db, settings.answer_log_flush_seconds)
        self.jobs = JobStore(self.db, settings.data_dir)
        self.jobs.recover()  # batches a crash or restart cut short: reported 'interrupted', their uploads removed
        # Which addresses document URLs may be fetched from (the resolver is replaceable in tests).
        self.fetch_policy = FetchPolicy(settings.fetch_allow)
        self.questions = QuestionService(self)
        self.conversations = ConversationService(self)
        self.library = LibraryService(self)

    def use(self, corpus: Corpus, index: SearchIndex) -> None:
        """Answer from this corpus and index from now on (after a document is added or removed)."""
        recogniser = load_recogniser(self.settings.corpus_dir, self.settings.data_dir, corpus, self.embedder)
        retriever = Retriever(index, corpus, self.embedder, self.settings.retrieval,
                              home=self.settings.home_jurisdiction, today=self.settings.today_iso,
                              recogniser=recogniser)
        extractive = ExtractiveAnswerer(retriever, self.settings.retrieval, today=self.settings.today_iso)
        llm = LLMAnswerer(ChatModel(self.settings.llm), corpus, today=self.settings.today_iso,
                          design=self.settings.llm.design) \
            if self.settings.llm.configured else None
        # Questions in flight hold the previous set (see _events); new ones get the new set.
        with self._readers_lock:
            previous: SearchIndex | None = getattr(self, "index", None)  # None on the first use
            self.corpus, self.index, self.retriever, self.extractive, self.llm = corpus, index, retriever, extractive, llm
            unread = previous is not None and previous is not index and not self._readers.get(id(previous))
            if previous is not None and previous is not index and not unread:
                self._retired[id(previous)] = previous
        # freed at once (on a timer thread, off this one): ten quick adds must not hold ten versions
        if unread and previous is not None:
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
             progress: Progress | None = None) -> Assistant:
        """Open the index (building it first if it is missing, stale or unreadable)."""
        settings = settings or Settings()
        db = open_database(settings)  # first: a wrong OPC_DATABASE_URL fails before anything is written
        if settings.parser_prewarm:  # preloads while the index opens: the first add pays no start
            prewarm_parser()
        # A full or read-only data disk: start read-only on what is there (everything acknowledged was written
        # before its 201) instead of failing; writes are refused with a 507 until a restart with room again.
        read_only = read_only_reason(settings.data_dir)
        embedder = make_embedder(settings)
        if read_only is None:
            started = start_writable(settings, db, embedder, rebuild=rebuild, progress=progress)
            if isinstance(started, str):  # the disk filled up (or turned read-only) while starting
                read_only = started
            else:
                corpus, index = started
        if read_only is not None:
            corpus, index = open_read_only(settings, db, read_only)
        bot = cls(settings, corpus, index, embedder, db)
        bot.read_only = read_only
        return bot

    @property
    def notice(self) -> str | None:
        """A message about index maintenance done while loading (e.g. a rebuild), if any."""
        return self.index.notice

    # --- asking (QuestionService) ------------------------------------------------------------
    def ask(self, question: str, session_id: str | None = None, mode: str | None = None,
            history: list[Turn] | None = None, owner: str = LOCAL_OWNER, new_session: bool = False,
            documents: list[str] | None = None, issuers: list[str] | None = None) -> Answer:
        """Answer one question. Raises ``InvalidQuestion`` (a ``ValueError``) for unusable input, and
        ``NotFound`` for a session that is not ``owner``'s."""
        return self.questions.ask(question, session_id, mode, history, owner, new_session, documents, issuers)

    def stream(self, question: str, session_id: str | None = None, mode: str | None = None,
               history: list[Turn] | None = None, owner: str = LOCAL_OWNER, new_session: bool = False,
               documents: list[str] | None = None, issuers: list[str] | None = None) -> Iterator[StreamEvent]:
        """Text deltas, then one final event with the complete, gated answer and its citations (see
        ``QuestionService.stream``); bad input raises before the first event."""
        return self.questions.stream(question, session_id, mode, history, owner, new_session, documents, issuers)

    def eligibility(self, profile: FounderProfile, lang: Language = "en", documents: list[str] | None = None,
                    issuers: list[str] | None = None, jurisdictions: list[str] | None = None,
                    limit: int | None = None) -> EligibilityResult:
        """The benefits in scope decided for a founder profile (met / not met / unknown), cited: the home
        jurisdiction's documents in force unless the request names documents, issuers or places."""
        return self.questions.eligibility(profile, lang, documents, issuers, jurisdictions, limit)

    def profile(self, values: Mapping[str, Any]) -> FounderProfile:
        """A founder profile from field values, validated."""
        return self.questions.profile(values)

    # --- conversations and feedback (ConversationService) ---------------------------------------
    def new_session(self, owner: str = LOCAL_OWNER) -> str:
        """Start a conversation for ``owner`` (the server picks the id; clients never do)."""
        return self.conversations.new_session(owner)

    def session(self, session_id: str, owner: str = LOCAL_OWNER) -> list[Turn]:
        """The turns of ``owner``'s conversation, oldest first (NotFound if it has none or is not theirs)."""
        return self.conversations.session(session_id, owner)

    def delete_session(self, session_id: str, owner: str | None = LOCAL_OWNER, must_exist: bool = False) -> bool:
        """Forget ``owner``'s conversation (``owner=None``: anyone's). False if there was none (``must_exist``:
        NotFound)."""
        return self.conversations.delete_session(session_id, owner, must_exist)

    def purge(self, days: float | None = None) -> dict[str, int]:
        """Delete conversations idle, and answers and feedback older, than ``days`` (OPC_RETENTION_DAYS)."""
        return self.conversations.purge(days)

    @staticmethod
    def purge_stored(settings: Settings, days: float | None = None) -> dict[str, int]:
        """``purge`` on the configured database without loading the index (for the CLI)."""
        return ConversationService.purge_database(settings, days)

    def feedback(self, answer_id: str, useful: bool, comment: str | None = None, source: str = "api") -> Feedback:
        """Store a 👍/👎 (and optional comment) on an answer this assistant gave (NotFound otherwise)."""
        return self.conversations.feedback(answer_id, useful, comment, source)

    # --- the library (LibraryService) -----------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return self.library.documents()

    def refresh(self) -> bool:
        """Follow a corpus changed by another process; cheap when nothing changed (the API calls it per request)."""
        return self.library.refresh()

    def add_document(self, source: str | Path | bytes, lang: str | None = None, title: str | None = None,
                     translation_of: str | None = None, filename: str | None = None) -> DocumentInfo:
        """Add a PDF, DOCX, HTML, Markdown or text document from a path, an http(s) URL, or uploaded bytes
        (give ``filename``). Raises an ``IngestError`` subclass (nothing changed) for unusable input."""
        return self.library.add_document(source, lang, title, translation_of, filename)

    def add_documents(self, sources: list[str], workers: int | None = None, progress: Progress | None = None,
                      landed: Callable[[Outcome], None] | None = None) -> BatchReport:
        """Add many files or URLs as one new index version; returns a ``BatchReport``."""
        return self.library.add_documents(sources, workers, progress, landed)

    def start_batch(self, sources: list[str], workdir: Path | None = None,
                    labels: dict[str, str] | None = None) -> Job:
        """``add_documents`` as a background job (see ``job``)."""
        return self.library.start_batch(sources, workdir, labels)

    def job(self, job_id: str) -> Job:
        return self.library.job(job_id)

    def remove_document(self, doc_id: str) -> None:
        """Remove an added document (NotFound if unknown, ProtectedDocument for built-in ones)."""
        self.library.remove_document(doc_id)

    def set_trust(self, doc_id: str, trust: str) -> DocumentInfo:
        """An admin's decision on an added document: 'reviewed' confirms it, 'quarantined' takes it out."""
        return self.library.set_trust(doc_id, trust)

    def conflicts(self) -> ConflictReport:
        """Documents claiming another's title or number, and benefits stated with different figures."""
        return self.library.conflicts()

    def _install(self, update: Update) -> None:
        self.library.install(update)

    def follow(self) -> bool:
        """Follow documents added or removed on another host (see ``LibraryService.follow``)."""
        return self.library.follow()

    def clause(self, clause_id: str, lang: str = "en") -> Citation:
        return self.library.clause(clause_id, lang)
