"""OpenAI-compatible chat completions, so existing chat front ends, the ``openai`` client and LangChain's
``ChatOpenAI`` can use the assistant as a model. The conversation comes from ``messages`` (the client holds it).

What a plain front end shows is ``content``: the answer, its numbered sources under it, and for a refusal the
nearest clauses. What a program reads is the ``opc`` extension object (answer id for feedback, citations,
suggestions ...) on the completion and on the stream's finishing chunk. ``usage`` is the assistant's own count
(see ``tokens``); ``stream_options.include_usage`` adds OpenAI's usage chunk. The models are the answer modes.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from assistant.answering.prompts import correction_note, nearest_heading, sources_heading
from assistant.api import tokens
from assistant.api.deps import Bot
from assistant.api.errors import ErrorResponse, Responses
from assistant.api.meter import question_meter
from assistant.api.routes.ask import SSE_EVENT
from assistant.api.sse import event_stream
from assistant.errors import InvalidQuestion, NotFound, OPCError
from assistant.types import Answer, Citation, ClauseRef, StreamEvent, Turn
from assistant.understanding.text import detect_language

router = APIRouter(tags=["openai-compatible"])
MODEL_ID = "opc-assistant"
# Model name -> answer mode (None: the server's OPC_MODE). The llm model is served only with a chat model set.
MODELS: dict[str, str | None] = {MODEL_ID: None, f"{MODEL_ID}-extractive": "extractive", f"{MODEL_ID}-llm": "llm"}
DESCRIPTIONS = {MODEL_ID: "The server's answer mode (OPC_MODE)", f"{MODEL_ID}-extractive": "Quotes the clauses",
                f"{MODEL_ID}-llm": "The configured chat model writes, behind the grounding gate"}


class ModelNotFound(NotFound):
    code = "model_not_found"
    openai_type = "invalid_request_error"
    param = "model"


def served(bot) -> list[str]:
    return [name for name, mode in MODELS.items() if mode != "llm" or bot.llm is not None]


def mode_for(model: str, bot) -> str | None:
    names = served(bot)
    if model not in names:
        why = " (no chat model is configured on this server: OPC_LLM_BASE_URL)" if model in MODELS else ""
        raise ModelNotFound(f"The model {model[:100]!r} does not exist here{why}. "
                            f"Models served: {', '.join(names)} (GET /v1/models).")
    return MODELS[model]


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def plain(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: bool = Field(False, strict=True, description="Send a last chunk with `usage` and no choices.")


class CompletionRequest(BaseModel):
    # Unknown OpenAI parameters (temperature, top_p, ...) are accepted and ignored: answers are grounded, not sampled.
    model_config = ConfigDict(extra="allow", json_schema_extra={
        "examples": [{"model": MODEL_ID, "messages": [{"role": "user", "content": "住房补贴每月多少？"}]}]})

    model: str = Field(MODEL_ID, max_length=200, description=f"One of GET /v1/models: {', '.join(MODELS)} "
                                                             "(the last only with a chat model configured).")
    messages: list[Message] = Field(min_length=1, description="The conversation; the last user message is answered.")
    # Strict where the type decides what is sent back; other OpenAI parameters are accepted as they come.
    stream: bool = Field(False, strict=True, description="Stream chat.completion.chunk events (true or false, not 0/1).")
    stream_options: StreamOptions | None = Field(None, description="With `stream`: {'include_usage': true}.")


class ChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: ChoiceMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int = Field(description="The messages' text, in the assistant's count (see /v1/models docs).")
    completion_tokens: int = Field(description="The returned content (answer, sources, nearest clauses).")
    total_tokens: int


class Extension(BaseModel):
    """The assistant's own fields, beside OpenAI's: what a program needs that `content` only shows."""

    answer_id: str = Field(description="The answer's id: POST /v1/feedback names it.")
    answerable: bool = Field(description="False when the documents do not cover the question (a refusal).")
    mode: str = Field(description="How the answer was written: 'extractive' or 'llm'.")
    language: str = Field(description="The answer's language: 'en', 'zh' or 'zh-Hant'.")
    citations: list[Citation] = Field(description="The sources cited, by their [n] in the content.")
    suggestions: list[ClauseRef] = Field(description="For a refusal: the nearest clauses (listed in the content too).")
    warnings: list[str] = Field(default_factory=list, description="Notes such as a fallback from the model.")
    standalone_question: str | None = Field(None, description="A follow-up as understood with the history.")


class Completion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    opc: Extension = Field(description="The assistant's extension: answer id, structured citations, suggestions.")
    citations: list[Citation] = Field(default_factory=list, description="The same as opc.citations (kept for older "
                                                                        "clients).")
    answer: Answer = Field(description="The assistant's full answer object (kept for older clients).")


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "opc"
    description: str = ""


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


NOT_FOUND: Responses = {404: {"model": ErrorResponse, "description": "model_not_found: not a model this server serves"}}


@router.get("/models", response_model=ModelList, summary="The models this server serves (its answer modes)")
def models(bot: Bot) -> ModelList:
    return ModelList(data=[ModelCard(id=name, description=DESCRIPTIONS[name]) for name in served(bot)])


@router.get("/models/{model}", response_model=ModelCard, summary="One model", responses=NOT_FOUND)
def model(model: str, bot: Bot) -> ModelCard:
    mode_for(model, bot)
    return ModelCard(id=model, description=DESCRIPTIONS[model])


def with_sources(answer: Answer) -> str:
    """The answer text followed by its numbered sources (or, for a refusal, the nearest clauses it announces),
    for front ends that show only `content`."""
    if answer.citations:
        lines = [f"[{c.n}] {c.label} {c.title} — {c.doc_title}".replace("  ", " ") for c in answer.citations]
        return f"{answer.answer}\n\n{sources_heading(answer.language)}\n" + "\n".join(lines)
    if not answer.answerable and answer.suggestions:
        lines = [f"- {r.label} {r.title} — {r.doc_title}".replace("  ", " ") for r in answer.suggestions]
        return f"{answer.answer}\n\n{nearest_heading(answer.language)}\n" + "\n".join(lines)
    return answer.answer


def extension(answer: Answer) -> Extension:
    return Extension(answer_id=answer.id, answerable=answer.answerable, mode=answer.mode, language=answer.language,
                     citations=answer.citations, suggestions=answer.suggestions, warnings=answer.warnings,
                     standalone_question=answer.standalone_question)


def conversation(messages: list[Message]) -> tuple[str, list[Turn]]:
    """The question (last user message) and earlier user/assistant pairs as history turns."""
    users = [i for i, m in enumerate(messages) if m.role == "user"]
    if not users:
        raise InvalidQuestion("The messages contain no user message to answer.")
    last = users[-1]
    history: list[Turn] = []
    pending: str | None = None
    for m in messages[:last]:
        if m.role == "user":
            pending = m.plain()
        elif m.role == "assistant" and pending and pending.strip():
            lang = detect_language(pending)
            answer = Answer(question=pending, answer=m.plain(), language=lang, answerable=True)
            history.append(Turn(n=len(history) + 1, created=0, question=pending, answer=answer))
            pending = None
    return messages[last].plain(), history


def usage(prompt: int, content: str) -> Usage:
    completion = tokens.count(content)
    return Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)


@router.post("/chat/completions", response_model=Completion, summary="OpenAI-compatible chat completion",
             responses={200: {"content": {"text/event-stream": {"schema": SSE_EVENT}},
                              "description": "A chat.completion, or chat.completion.chunk events ending in [DONE]."},
                        **NOT_FOUND})
def completions(body: CompletionRequest, bot: Bot, request: Request, response: Response):
    mode = mode_for(body.model, bot)
    question, history = conversation(body.messages)
    meter = question_meter(request, question, mode)
    created = int(time.time())
    prompt = tokens.count_messages([m.plain() for m in body.messages])
    if not body.stream:
        try:
            answer = meter.run(bot.ask, question, history=history, mode=mode)
        finally:
            meter.done()
        content = with_sources(answer)
        # For clients that keep only OpenAI's fields (LangChain's ChatOpenAI): the answer id and cited clause
        # ids ride in headers too (include_response_headers=True), percent-encoded as headers must be ASCII.
        response.headers["X-OPC-Answer-Id"] = answer.id
        response.headers["X-OPC-Citations"] = ",".join(quote(c.clause_id, safe=":-_.~") for c in answer.citations)
        return Completion(id=f"chatcmpl-{answer.id}", created=created, model=body.model,
                          choices=[Choice(message=ChoiceMessage(content=content))], usage=usage(prompt, content),
                          opc=extension(answer), citations=answer.citations, answer=answer)
    try:
        events = meter.run(bot.stream, question, history=history, mode=mode)  # validates before streaming
    except BaseException:
        meter.done()
        raise
    with_usage = bool(body.stream_options and body.stream_options.include_usage)
    chunks = Chunks(f"chatcmpl-{uuid.uuid4().hex}", body.model, created, prompt if with_usage else None)
    return event_stream(chunks.run(meter.events(events)), request.app.state.settings.sse_heartbeat)


class Chunks:
    """One completion's chunks: one id for all of them, the content counted as it goes out."""

    def __init__(self, cid: str, model: str, created: int, prompt_tokens: int | None) -> None:
        self.cid, self.model, self.created = cid, model, created
        self.prompt = prompt_tokens  # None: the client did not ask for usage
        self.sent = ""

    def chunk(self, choices: list[dict], **extra) -> bytes:
        payload = {"id": self.cid, "object": "chat.completion.chunk", "created": self.created, "model": self.model,
                   "choices": choices, **extra}
        if self.prompt is not None:  # OpenAI's rule: with include_usage, every chunk has usage (null until the last)
            payload.setdefault("usage", None)
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()

    def content(self, text: str, first: bool = False, finish: str | None = None, **extra) -> bytes:
        self.sent += text
        delta = {"role": "assistant", "content": text} if first else {"content": text}
        return self.chunk([{"index": 0, "delta": delta, "finish_reason": finish}], **extra)

    def run(self, events: Iterator[StreamEvent]) -> Iterator[bytes]:
        first = True
        try:
            for event in events:
                if event.type == "delta":
                    yield self.content(event.text, first)
                    first = False
                    continue
                answer = event.answer
                if answer is None:  # a final event always carries its answer
                    continue
                tail = with_sources(answer)[len(answer.answer):]
                if event.replaced:
                    # OpenAI streams cannot retract text: say plainly that the checked answer follows.
                    tail = f"\n\n---\n{correction_note(answer.language)}\n{with_sources(answer)}"
                yield self.content(tail, first, "stop", opc=json.loads(extension(answer).model_dump_json()),
                                   citations=[c.model_dump() for c in answer.citations],
                                   answer=json.loads(answer.model_dump_json()))
                if self.prompt is not None:
                    yield self.chunk([], usage=usage(self.prompt, self.sent).model_dump())
        except OPCError as exc:
            error = {"error": {"code": exc.code, "message": str(exc)}}
            yield f"data: {json.dumps(error, ensure_ascii=False)}\n\n".encode()
        yield b"data: [DONE]\n\n"
