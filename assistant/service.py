"""The one service every front end calls: ``Assistant.load()`` then ``ask()``."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path

from .corpus import Corpus, load_corpus
from .embed import make_embedder
from .errors import ConfigError
from .feedback import FeedbackStore
from .followup import is_followup, resolve_followup
from .jobs import JobStore
from .llm import ChatModel
from .llm_answer import LLMAnswerer
from .index import Progress, SearchIndex
from .retrieve import Retriever
from .scope import check_filter
from .redact import redact
from .sessions import SessionStore
from .settings import Settings
from .text import detect_language, has_content, validate_question
from .types import Answer, Citation, DocumentInfo, Feedback, Job, StreamEvent, Turn

log = logging.getLogger(__name__)


class Assistant:
    """Answers questions about the plan from its clauses, citing them."""

    def __init__(self, settings: Settings, corpus: Corpus, index: SearchIndex, embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.use(corpus, index)
        self.sessions = SessionStore(Path(settings.data_dir) / "sessions.sqlite3", settings.max_turns)
        self.feedback_store = FeedbackStore(Path(settings.data_dir) / "feedback.sqlite3")
        self.jobs = JobStore()

    def use(self, corpus: Corpus, index: SearchIndex) -> None:
        """Answer from this corpus and index from now on (after a document is added or removed)."""
        from .answer import ExtractiveAnswerer

        retriever = Retriever(index, corpus, self.embedder, self.settings.retrieval,
                              home=self.settings.home_jurisdiction, today=self.settings.today_iso)
        extractive = ExtractiveAnswerer(retriever, self.settings.retrieval, today=self.settings.today_iso)
        llm = LLMAnswerer(ChatModel(self.settings.llm), corpus, today=self.settings.today_iso) \
            if self.settings.llm.configured else None
        # Questions in flight hold the previous set (see _events); new ones get the new set.
        self.corpus, self.index, self.retriever, self.extractive, self.llm = corpus, index, retriever, extractive, llm

    @classmethod
    def load(cls, settings: Settings | None = None, *, rebuild: bool = False,
             progress: Progress | None = None) -> "Assistant":
        """Open the index (building it first if it is missing, stale or unreadable)."""
        settings = settings or Settings()
        corpus = load_corpus(settings.corpus_dir, settings.data_dir / "documents")
        embedder = make_embedder(settings)
        index = SearchIndex.open_or_build(settings, corpus, embedder, rebuild=rebuild, progress=progress)
        return cls(settings, corpus, index, embedder)

    @property
    def notice(self) -> str | None:
        """A message about index maintenance done while loading (e.g. a rebuild), if any."""
        return self.index.notice

    def ask(self, question: str, session_id: str | None = None, mode: str | None = None,
            history: list[Turn] | None = None, documents: list[str] | None = None,
            issuers: list[str] | None = None) -> Answer:
        """Answer one question. Raises ``InvalidQuestion`` (a ``ValueError``) for unusable input."""
        final = None
        for event in self.stream(question, session_id=session_id, mode=mode, history=history,
                                 documents=documents, issuers=issuers):
            final = event
        return final.answer

    def stream(self, question: str, session_id: str | None = None, mode: str | None = None,
               history: list[Turn] | None = None, documents: list[str] | None = None,
               issuers: list[str] | None = None) -> Iterator[StreamEvent]:
        """Text deltas, then one final event with the complete, gated answer and its citations.

        Input is validated before the first event, so bad input raises instead of streaming.
        ``history`` supplies earlier turns held by the client (the OpenAI-compatible route) instead of
        a stored session. ``documents`` / ``issuers`` narrow the answer to those documents (ids) or issuers
        (any part of an issuer's name); unknown ones raise ``NotFound``.
        """
        started = time.perf_counter()
        cleaned = validate_question(question, self.settings.max_question_chars)
        if history is None:
            history = self.sessions.history(session_id) if session_id is not None else []
        use_llm = self._use_llm(mode)
        chosen = check_filter(self.corpus, documents, issuers)
        return self._events(cleaned, session_id, history, use_llm, started, chosen)

    def _events(self, cleaned: str, session_id: str | None, history: list[Turn], use_llm: bool,
                started: float, chosen: set[str] | None = None) -> Iterator[StreamEvent]:
        # One consistent corpus/index for the whole question, even if a document is added meanwhile.
        extractive, retriever, llm = self.extractive, self.extractive.r, self.llm
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
            # The extractive answer is cheap: it decides out-of-scope refusals and is the LLM's fallback.
            quoted = extractive.answer(cleaned, retrieval)
            if use_llm and quoted.answerable:
                events = llm.stream(cleaned, standalone or private, lang, retrieval, quoted)
            else:
                events = _extractive_events(quoted)
        for event in events:
            if event.type == "final":
                answer = event.answer
                answer.session_id = session_id
                answer.standalone_question = standalone
                answer.latency_ms = round((time.perf_counter() - started) * 1000, 2)
                if session_id is not None:
                    self.sessions.append(session_id, answer)
                self.feedback_store.record_answer(answer)
            yield event

    def _use_llm(self, mode: str | None) -> bool:
        mode = mode or self.settings.mode
        if mode not in ("auto", "llm", "extractive"):
            raise ConfigError(f"Unknown answer mode {mode!r}: use 'auto', 'llm' or 'extractive'.")
        if mode == "llm" and self.llm is None:
            raise ConfigError("Mode 'llm' needs a chat model: set OPC_LLM_BASE_URL and OPC_LLM_MODEL.")
        return mode != "extractive" and self.llm is not None

    # --- conversations -----------------------------------------------------------------------
    def session(self, session_id: str) -> list[Turn]:
        """The turns of a conversation, oldest first (NotFound if it has none)."""
        return self.sessions.get(session_id)

    def delete_session(self, session_id: str) -> bool:
        return self.sessions.delete(session_id)

    # --- feedback -------------------------------------------------------------------------------
    def feedback(self, answer_id: str, useful: bool, comment: str | None = None, source: str = "api") -> Feedback:
        """Store a 👍/👎 (and optional comment) on an answer this assistant gave (NotFound otherwise)."""
        return self.feedback_store.add(answer_id, useful, comment, source)

    # --- corpus views, for the CLI and the API ------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return self.corpus.infos(self.settings.today_iso())

    def refresh(self) -> bool:
        """Follow a corpus changed by another process (another worker added or removed a document).

        Cheap when nothing changed (one small file read), so the API calls it before each request.
        """
        from .index import current_build, load_version

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

    def add_document(self, source: str | Path | bytes, lang: str | None = None, title: str | None = None,
                     translation_of: str | None = None, filename: str | None = None) -> DocumentInfo:
        """Add a PDF, DOCX, HTML, Markdown or text document from a path, an http(s) URL, or uploaded bytes
        (give ``filename``). With ``translation_of``, it becomes that document's other language version.
        Raises an ``IngestError`` subclass (nothing changed) for unusable input."""
        from .ingest.pipeline import add_document

        update = add_document(self.settings, self.corpus, self.index, self.embedder, source, lang=lang,
                              title=title, translation_of=translation_of, filename=filename)
        self.use(update.corpus, update.index)
        return update.info

    def add_documents(self, sources: list[str], workers: int | None = None, progress: Progress | None = None):
        """Add many files or URLs (parsed in worker processes) as one new index version; returns a
        ``BatchReport`` of what was added, skipped as a duplicate, or failed and why."""
        from .ingest.bulk import add_batch

        update, report = add_batch(self.settings, self.corpus, self.index, self.embedder, sources,
                                   workers=workers, progress=progress)
        self.use(update.corpus, update.index)
        return report

    def start_batch(self, sources: list[str], workdir: Path | None = None,
                    labels: dict[str, str] | None = None) -> Job:
        """``add_documents`` as a background job (see ``job``); ``workdir`` holds uploads, removed after;
        ``labels``: how outcomes name sources (an upload's own file name instead of where it was saved)."""
        return self.jobs.start(self, sources, workdir, labels)

    def job(self, job_id: str) -> Job:
        return self.jobs.get(job_id)

    def remove_document(self, doc_id: str) -> None:
        """Remove an added document (NotFound if unknown, ProtectedDocument for built-in ones)."""
        from .ingest.pipeline import remove_document

        update = remove_document(self.settings, self.corpus, self.index, self.embedder, doc_id)
        self.use(update.corpus, update.index)

    def clause(self, clause_id: str, lang: str = "en") -> Citation:
        from .citations import citation_for

        return citation_for(self.corpus, self.corpus.clause(clause_id), lang, n=1)


def _extractive_events(answer: Answer) -> Iterator[StreamEvent]:
    """Stream a quoted answer sentence by sentence, so front ends render both modes alike."""
    for piece in re.findall(r".+?(?:\[\d+\]|$)", answer.answer, flags=re.S):
        if piece:
            yield StreamEvent(type="delta", text=piece)
    yield StreamEvent(type="final", answer=answer)
