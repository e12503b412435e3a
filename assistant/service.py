"""The one service every front end calls: ``Assistant.load()`` then ``ask()``."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from .corpus import Corpus, load_corpus
from .embed import make_embedder
from .followup import resolve_followup
from .index import Progress, SearchIndex
from .retrieve import Retriever
from .sessions import SessionStore
from .settings import Settings
from .text import detect_language, has_content, validate_question
from .types import Answer, Citation, DocumentInfo, Turn

log = logging.getLogger(__name__)


class Assistant:
    """Answers questions about the plan from its clauses, citing them."""

    def __init__(self, settings: Settings, corpus: Corpus, index: SearchIndex, embedder) -> None:
        from .answer import ExtractiveAnswerer

        self.settings = settings
        self.corpus = corpus
        self.index = index
        self.embedder = embedder
        self.retriever = Retriever(index, corpus, embedder, settings.retrieval)
        self.extractive = ExtractiveAnswerer(self.retriever, settings.retrieval)
        self.sessions = SessionStore(Path(settings.data_dir) / "sessions.sqlite3", settings.max_turns)

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

    def ask(self, question: str, session_id: str | None = None) -> Answer:
        """Answer one question. Raises ``InvalidQuestion`` (a ``ValueError``) for unusable input."""
        started = time.perf_counter()
        cleaned = validate_question(question, self.settings.max_question_chars)
        history = self.sessions.history(session_id) if session_id is not None else []
        lang = detect_language(cleaned)
        if has_content(cleaned):
            standalone = resolve_followup(cleaned, history)
            answer = self.extractive.answer(cleaned, self.retriever.search(standalone or cleaned, lang))
            answer.standalone_question = standalone
        else:  # only emoji or punctuation: nothing to search for
            answer = self.extractive.refusal(cleaned, lang, no_content=True)
        answer.session_id = session_id
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 2)
        if session_id is not None:
            self.sessions.append(session_id, answer)
        return answer

    # --- conversations -----------------------------------------------------------------------
    def session(self, session_id: str) -> list[Turn]:
        """The turns of a conversation, oldest first (NotFound if it has none)."""
        return self.sessions.get(session_id)

    def delete_session(self, session_id: str) -> bool:
        return self.sessions.delete(session_id)

    # --- corpus views, for the CLI and the API ------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return self.corpus.infos()

    def clause(self, clause_id: str, lang: str = "en") -> Citation:
        from .citations import citation_for

        return citation_for(self.corpus, self.corpus.clause(clause_id), lang, n=1)
