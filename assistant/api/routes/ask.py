"""Questions: one-shot ``/v1/ask`` and conversational ``/v1/chat`` (JSON or Server-Sent Events)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Request, Response
from fastapi.sse import format_sse_event
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assistant.api.deps import Bot, CallerDep
from assistant.api.errors import ErrorDetail, ErrorResponse, Responses
from assistant.api.meter import question_meter
from assistant.api.sse import event_stream
from assistant.errors import OPCError
from assistant.types import Answer, StreamEvent
from assistant.understanding.redact import redact

log = logging.getLogger("assistant.api")
router = APIRouter(tags=["questions"])


class AskRequest(BaseModel):
    # Strict: a JSON type that is wrong is refused (422), never coerced ("stream": 0 is not false).
    model_config = ConfigDict(extra="forbid", strict=True,
                              json_schema_extra={"examples": [{"question": "住房补贴每月多少钱？"}]})

    # The limits are documented here but checked by the service, whose messages are written for founders.
    question: str = Field(
        description="The question, in Chinese (Simplified or Traditional) or English: plain text, not blank, "
                    "at most OPC_MAX_QUESTION_CHARS (default 2000) characters, no control characters.",
        json_schema_extra={"minLength": 1, "maxLength": 2000, "pattern": r"\S"})
    mode: Literal["extractive", "llm"] | None = Field(
        None, description="'extractive' quotes the plan; 'llm' writes with the configured model (default: server's).")
    documents: list[Annotated[str, StringConstraints(min_length=1, max_length=120)]] | None = Field(
        None, max_length=50, description="Answer only from these documents (ids from GET /v1/documents).")
    issuers: list[Annotated[str, StringConstraints(min_length=2, max_length=120)]] | None = Field(
        None, max_length=50, description="Answer only from documents of these issuers (any part of the issuer's "
                                         "name, either language).")


class ChatRequest(AskRequest):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"question": "How long is the free workspace?", "session_id": None, "stream": False}]})

    session_id: str | None = Field(
        None, description="Conversation id the server gave in an earlier answer; omit to start one (the answer "
                          "carries the id to send next time). Ids are never chosen by clients; another caller's "
                          "id answers 404.")
    stream: bool = Field(False, description="True for text/event-stream: 'delta' events, then one 'final' event.")


# One server-sent event as OpenAPI describes them (the wire fields; `data` holds JSON text).
SSE_EVENT = {"type": "object", "properties": {"event": {"type": "string"}, "data": {"type": "string"},
                                              "id": {"type": "string"}, "retry": {"type": "integer"}}}
SSE_DOC = ("With \"stream\": true: `event: delta` with `data: {\"type\":\"delta\",\"text\":...}`, then "
           "`event: final` with the whole StreamEvent (answer and citations; `replaced` true when the text differs "
           "from the deltas), or `event: error` with `{\"error\": {...}}`. While nothing is written, a comment "
           "line `: ping` every OPC_SSE_HEARTBEAT seconds keeps proxies from closing the connection.")


def _log(answer: Answer, route: str) -> None:
    # Personal data never reaches the log: the question is redacted and cut short.
    log.info("%s lang=%s answerable=%s mode=%s %.0fms q=%r", route, answer.language, answer.answerable,
             answer.mode, answer.latency_ms, redact(answer.question)[:120])


NOT_FOUND: Responses = {404: {"model": ErrorResponse, "description": "not_found: a document or issuer named in `documents` / "
                                                         "`issuers` (or, in a conversation, the session) is unknown"}}


def _json(answer: Answer) -> Response:
    # The service built (and validated) the Answer: serialised once, not validated again by FastAPI
    # (that was 7 % of a warm request).
    return Response(answer.model_dump_json(), media_type="application/json")


@router.post("/ask", response_model=Answer, summary="Ask one question (no conversation)", responses=NOT_FOUND)
def ask(body: AskRequest, bot: Bot, request: Request) -> Response:
    meter = question_meter(request, body.question, body.mode)  # 429 once the caller's work budget is spent
    try:
        answer = meter.run(bot.ask, body.question, mode=body.mode, documents=body.documents, issuers=body.issuers)
    finally:
        meter.done()
    _log(answer, "ask")
    return _json(answer)


@router.post("/chat", response_model=Answer, summary="Ask within a conversation; optionally streamed",
             responses={200: {"content": {"text/event-stream": {"schema": SSE_EVENT}},
                              "description": "The answer (JSON), or an event stream. " + SSE_DOC}, **NOT_FOUND})
def chat(body: ChatRequest, bot: Bot, caller: CallerDep, request: Request):
    meter = question_meter(request, body.question, body.mode)
    options = dict(session_id=body.session_id, mode=body.mode, owner=caller.owner,
                   new_session=body.session_id is None, documents=body.documents, issuers=body.issuers)
    if not body.stream:
        try:
            answer = meter.run(bot.ask, body.question, **options)
        finally:
            meter.done()
        _log(answer, "chat")
        return _json(answer)
    try:
        events = meter.run(bot.stream, body.question, **options)  # validates (question, owner) before streaming
    except BaseException:
        meter.done()
        raise
    return event_stream(_sse(meter.events(events)), request.app.state.settings.sse_heartbeat)


def _sse(events: Iterator[StreamEvent]) -> Iterator[bytes]:
    try:
        for event in events:
            if event.type == "final" and event.answer is not None:
                _log(event.answer, "chat-stream")
            yield format_sse_event(event=event.type, data_str=event.model_dump_json(exclude_none=True))
    except OPCError as exc:  # headers are gone: report in-band
        detail = ErrorDetail(code=exc.code, message=str(exc))
        yield format_sse_event(event="error", data_str='{"error":%s}' % detail.model_dump_json(exclude_none=True))
    except Exception:
        log.exception("stream failed")
        detail = ErrorDetail(code="internal_error", message="Something went wrong on our side; please try again.")
        yield format_sse_event(event="error", data_str='{"error":%s}' % detail.model_dump_json(exclude_none=True))
