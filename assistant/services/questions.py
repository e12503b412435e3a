"""Asking: one question answered (streamed or whole) from one consistent index version, and the
eligibility check of a founder profile."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from assistant import metrics
from assistant.answering.added_documents import answer_from_documents
from assistant.answering.asked_beyond import declare_beyond
from assistant.answering.framed import answer_frame, answer_text, declare_unstated, read_frame
from assistant.answering.llm import Reply
from assistant.errors import ConfigError, DatabaseUnavailable
from assistant.knowledge.eligibility import check_library, validate_profile
from assistant.store.sessions import LOCAL_OWNER
from assistant.store.storage import NOT_SAVED, is_storage_error
from assistant.types import Answer, EligibilityResult, FounderProfile, Language, StreamEvent, Turn
from assistant.understanding.followup import Conversation, is_followup
from assistant.understanding.redact import redact
from assistant.understanding.scope import check_filter
from assistant.understanding.text import (
    conversation_language,
    has_content,
    to_region,
    traditional_region,
    validate_question,
)

if TYPE_CHECKING:  # the facade imports this module
    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.answering.llm_answer import LLMAnswerer
    from assistant.library.retrieve import Retrieval, Retriever
    from assistant.service import Assistant
    from assistant.types import Frame

log = logging.getLogger("assistant.service")  # the facade's logger, as before the split


class QuestionService:
    """Answers and eligibility, over the state the ``Assistant`` holds (its corpus, index and stores)."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    def ask(self, question: str, session_id: str | None = None, mode: str | None = None,
            history: list[Turn] | None = None, owner: str = LOCAL_OWNER, new_session: bool = False,
            documents: list[str] | None = None, issuers: list[str] | None = None) -> Answer:
        """Answer one question. Raises ``InvalidQuestion`` (a ``ValueError``) for unusable input, and
        ``NotFound`` for a session that is not ``owner``'s."""
        final: StreamEvent | None = None
        for event in self.stream(question, session_id=session_id, mode=mode, history=history, owner=owner,
                                 new_session=new_session, documents=documents, issuers=issuers):
            final = event
        assert final is not None and final.answer is not None  # every stream ends with its final answer
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
        cleaned = validate_question(question, self.bot.settings.max_question_chars)
        use_llm = self._use_llm(mode)
        if session_id is not None:
            self.bot.sessions.check(session_id, owner)  # someone else's (or an invented) id: NotFound
        if history is None:
            history = self.bot.sessions.history(session_id) if session_id is not None else []
        chosen = check_filter(self.bot.corpus, documents, issuers)
        unsaved = False
        if new_session and session_id is None:
            try:
                session_id = self.bot.sessions.create(owner)
            except Exception as exc:  # a full disk: answer anyway, without a conversation
                if not is_storage_error(exc):
                    raise
                log.warning("conversation not started (storage): %s", exc)
                unsaved = True
        return self._events(cleaned, session_id, history, use_llm, started, unsaved, chosen)

    def _events(self, cleaned: str, session_id: str | None, history: list[Turn], use_llm: bool, started: float,
                unsaved: bool, chosen: set[str] | None) -> Iterator[StreamEvent]:
        # One consistent corpus/index for the whole question, even if a document is added meanwhile: held
        # (counted) while the question runs, so a replaced version is freed as soon as no question reads it.
        with self.bot._readers_lock:
            extractive, llm = self.bot.extractive, self.bot.llm
            index = extractive.r.index
            self.bot._readers[id(index)] = self.bot._readers.get(id(index), 0) + 1
        try:
            yield from self._answer_events(extractive, llm, cleaned, session_id, history, use_llm, started, unsaved,
                                           chosen)
        finally:
            with self.bot._readers_lock:
                left = self.bot._readers[id(index)] = self.bot._readers[id(index)] - 1
                if not left:
                    del self.bot._readers[id(index)]
                retired = self.bot._retired.pop(id(index), None) if not left else None
            if retired is not None:
                retired.close()

    def sources_for(self, question: str) -> list[str]:
        """The clause ids a first turn of ``question`` gives the model as its sources [1], [2], … in order (an
        evaluation scripts a model's citations by them)."""
        cleaned = validate_question(question, self.bot.settings.max_question_chars)
        extractive, private = self.bot.extractive, redact(cleaned)
        lang = conversation_language(cleaned, [])
        frame = read_frame(extractive, private, lang, self.bot.settings.today)
        return [h.clause_id for h in self._search(extractive.r, frame, private, lang, None, True).candidates]

    def gate_findings(self, question: str, answer: str, answered: bool = True) -> list[str]:
        """The grounding gate's findings on ``answer`` as a model's reply to a first turn of ``question``, against
        the sources that turn gives the model (``sources_for``): an evaluation can judge a scripted answer even
        where the product answers that question without the model. Empty: it would be shown."""
        llm = self.bot.llm
        if llm is None:
            raise ConfigError("No model is configured, so there is no gate to judge an answer with.")
        cleaned = validate_question(question, self.bot.settings.max_question_chars)
        extractive, private = self.bot.extractive, redact(cleaned)
        lang = conversation_language(cleaned, [])
        frame = read_frame(extractive, private, lang, self.bot.settings.today)
        retrieval = self._search(extractive.r, frame, private, lang, None, True)
        return [str(p) for p in llm.check(Reply(answered=answered, answer=answer), llm.sources(lang, retrieval),
                                          lang, private, retrieval)]

    @staticmethod
    def _search(retriever: Retriever, frame: Frame | None, message: str, lang: Language, chosen: set[str] | None,
                alone: bool) -> Retrieval:
        # the frame's asks (and background naming a benefit) are searched, unless a follow-up was resolved
        return retriever.search(frame.search_text if frame is not None and alone else message, lang,
                                chosen, focus=frame.focus_text if frame is not None else None)

    def _answer_events(self, extractive: ExtractiveAnswerer, llm: LLMAnswerer | None, cleaned: str,
                       session_id: str | None, history: list[Turn],
                       use_llm: bool, started: float, unsaved: bool = False,
                       chosen: set[str] | None = None) -> Iterator[StreamEvent]:
        retriever = extractive.r
        model = llm if use_llm else None  # the chat model answering, when one is configured and asked for
        lang = conversation_language(cleaned, history)
        standalone = frame = None
        today = self.bot.settings.today
        if not has_content(cleaned):  # only emoji or punctuation: nothing to search for
            events = iter([StreamEvent(type="final", answer=extractive.refusal(cleaned, lang, no_content=True))])
        else:
            # Contact details are never search terms: search (and the model) see them redacted.
            private = redact(cleaned)
            asked_as = private  # what the answer is framed on
            if history:  # the conversation's state decides: a new topic, a switch, or an ellipsis
                standalone = model.rewrite(private, history, lang) \
                    if model is not None and is_followup(private) else None
                if standalone is None:
                    framer = lambda text, lng: read_frame(extractive, text, lng, today)  # noqa: E731
                    standalone, state = Conversation(retriever.recogniser, retriever.corpus.questions,
                                                     framer).resolve(private, history)
                    asked_as = state.asked or private
                else:
                    asked_as = standalone
            # The message framed first: what it asks, what it tells (background), what it only instructs.
            # Search reads the asks and the background naming a benefit; every guard judges the asks alone.
            # A follow-up is framed as resolved, so it is answered as that question would be as a first turn; a
            # follow-up on a topic that is no benefit is framed on its own ask and searched with the topic's.
            message = standalone or private
            frame = read_frame(extractive, asked_as, lang, today)
            asked = answer_text(frame, lang.startswith("zh")) if frame is not None else message
            alone = standalone is None or asked_as == standalone
            retrieval = self._search(retriever, frame, message, lang, chosen, alone)
            # The plan about itself and rankings it never makes are answered from the frame.
            from_facts = answer_frame(extractive, frame, retrieval, lang, self.bot.settings.today_iso()) \
                if frame is not None else None
            # Lists, comparisons, stories and "the plan does not say" come from the verified fact records in
            # both modes: no model rewrites them; within a narrowed scope only its documents' facts.
            from_facts = from_facts or extractive.from_facts(
                asked, retrieval, within=chosen, told=message,
                years_told=frame.years_told if frame is not None else None)
            # What the plan does not state may be stated by an added document in scope: quoted from it.
            if from_facts is None and frame is not None:
                from_facts = answer_from_documents(extractive, frame, retrieval)
            # The extractive answer is cheap: it decides out-of-scope refusals and is the LLM's fallback.
            quoted = from_facts or extractive.answer(asked, retrieval)
            quoted.question = cleaned
            if frame is not None:
                quoted = declare_unstated(extractive, frame, quoted, lang, retrieval)
                quoted = declare_beyond(extractive, frame, quoted, lang)
                quoted.frame = frame
            if from_facts is None and model is not None and quoted.answerable:
                # instructions about the reply ("不要引用") are not passed on: the model answers the asks, cited
                shown = asked if frame is not None and frame.instructions else cleaned
                events = model.stream(shown, standalone or private, lang, retrieval, quoted)
            else:
                events = extractive_events(quoted)
        # Traditional answers are written in Taiwan's standard forms; a question asked the Hong Kong way
        # (Cantonese, HK-only forms) is answered in Hong Kong's.
        region = traditional_region(cleaned) if lang == "zh-Hant" else "tw"
        for event in events:
            if region != "tw" and event.type == "delta":
                event.text = to_region(event.text, region)
            if event.type == "final" and (answer := event.answer) is not None:
                if region != "tw" and answer.language == "zh-Hant":
                    answer.answer = to_region(answer.answer, region)
                if frame is not None and answer.frame is None:  # a model's answer: its unstated parts declared too
                    before = answer.answer
                    answer = declare_unstated(extractive, frame, answer, answer.language, retrieval)
                    answer = event.answer = declare_beyond(extractive, frame, answer, answer.language)
                    answer.frame = frame
                    event.replaced = event.replaced or answer.answer != before
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
                self.bot.sessions.append(session_id, answer)
        except Exception as exc:
            if not is_storage_error(exc) and not isinstance(exc, DatabaseUnavailable):
                raise
            log.warning("conversation turn not saved (storage): %s", exc)
            answer.warnings.append(NOT_SAVED.get(answer.language, NOT_SAVED["en"]))
        metrics.answered(answer)
        try:
            self.bot.feedback_store.record_answer(answer)
        except Exception as exc:
            if not is_storage_error(exc) and not isinstance(exc, DatabaseUnavailable):
                raise
            log.warning("answer log not written (storage): %s", exc)

    def _use_llm(self, mode: str | None) -> bool:
        mode = mode or self.bot.settings.mode
        if mode not in ("auto", "llm", "extractive"):
            raise ConfigError(f"Unknown answer mode {mode!r}: use 'auto', 'llm' or 'extractive'.")
        if mode == "llm" and self.bot.llm is None:
            raise ConfigError("Mode 'llm' needs a chat model: set OPC_LLM_BASE_URL and OPC_LLM_MODEL.")
        return mode != "extractive" and self.bot.llm is not None

    def eligibility(self, profile: FounderProfile, lang: Language = "en", documents: list[str] | None = None,
                    issuers: list[str] | None = None, jurisdictions: list[str] | None = None,
                    limit: int | None = None) -> EligibilityResult:
        """The benefits in scope decided for a founder profile (met / not met / unknown), cited: the home
        jurisdiction's documents in force unless the request names documents, issuers or places."""
        scoper = self.bot.retriever.scoper  # its own corpus: one consistent library even if a document is added now
        return check_library(scoper.corpus, profile, lang, self.bot.settings, scoper=scoper, documents=documents,
                             issuers=issuers, jurisdictions=jurisdictions, limit=limit)

    def profile(self, values: Mapping[str, Any]) -> FounderProfile:
        """A founder profile from field values, validated (``InvalidProfile`` names the bad field)."""
        return validate_profile(values)


def extractive_events(answer: Answer) -> Iterator[StreamEvent]:
    """Stream a quoted answer sentence by sentence, so front ends render both modes alike."""
    for piece in re.findall(r".+?(?:\[\d+\]|$)", answer.answer, flags=re.S):
        if piece:
            yield StreamEvent(type="delta", text=piece)
    yield StreamEvent(type="final", answer=answer)
