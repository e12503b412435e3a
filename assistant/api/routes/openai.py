"""OpenAI-compatible chat completions, so existing chat front ends and the ``openai`` client can use the
assistant as a model. The conversation comes from ``messages`` (the client holds it); citations are both
listed under the answer text (visible in any front end) and returned structured in ``citations``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import InvalidQuestion, OPCError
from assistant.answering.prompts import correction_note, sources_heading
from assistant.understanding.text import detect_language
from assistant.types import Answer, Citation, StreamEvent, Turn
from assistant.api.deps import Bot
from assistant.api.security import question_meter
from assistant.api.sse import event_stream
from assistant.api.routes.ask import SSE_EVENT

router = APIRouter(tags=["openai-compatible"])
MODEL_ID = "opc-assistant"


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


class CompletionRequest(BaseModel):
    # Unknown OpenAI parameters (temperature, top_p, ...) are accepted and ignored: answers are grounded, not sampled.
    model_config = ConfigDict(extra="allow", json_schema_extra={
        "examples": [{"model": MODEL_ID, "messages": [{"role": "user", "content": "住房补贴每月多少？"}]}]})

    model: str = Field(MODEL_ID, description="Any name; the assistant answers as itself.")
    messages: list[Message] = Field(min_length=1, description="The conversation; the last user message is answered.")
    # Strict where the type decides what is sent back; other OpenAI parameters are accepted as they come.
    stream: bool = Field(False, strict=True, description="Stream chat.completion.chunk events (true or false, not 0/1).")


class ChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: ChoiceMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class Completion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage = Field(default_factory=Usage)
    citations: list[Citation] = Field(default_factory=list, description="The sources the answer cites, by [n].")
    answer: Answer = Field(description="The assistant's full answer object (answerable, suggestions, warnings ...).")


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "opc"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


@router.get("/models", response_model=ModelList, summary="The one model this server offers")
def models() -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_ID)])


def with_sources(answer: Answer) -> str:
    """The answer text followed by its numbered sources, for front ends that show only `content`."""
    if not answer.citations:
        return answer.answer
    lines = [f"[{c.n}] {c.label} {c.title} — {c.doc_title}".replace("  ", " ") for c in answer.citations]
    return f"{answer.answer}\n\n{sources_heading(answer.language)}\n" + "\n".join(lines)


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


@router.post("/chat/completions", response_model=Completion, summary="OpenAI-compatible chat completion",
             responses={200: {"content": {"text/event-stream": {"schema": SSE_EVENT}},
                              "description": "A chat.completion, or chat.completion.chunk events ending in [DONE]."}})
def completions(body: CompletionRequest, bot: Bot, request: Request):
    question, history = conversation(body.messages)
    meter = question_meter(request, question)
    created = int(time.time())
    if not body.stream:
        try:
            answer = meter.run(bot.ask, question, history=history)
        finally:
            meter.done()
        return Completion(id=f"chatcmpl-{answer.id}", created=created, model=body.model,
                          choices=[Choice(message=ChoiceMessage(content=with_sources(answer)))],
                          citations=answer.citations, answer=answer)
    try:
        events = meter.run(bot.stream, question, history=history)  # validates before streaming
    except BaseException:
        meter.done()
        raise
    return event_stream(_chunks(meter.events(events), body.model, created), request.app.state.settings.sse_heartbeat)


def _chunk(cid: str, model: str, created: int, delta: dict, finish: str | None = None, **extra) -> bytes:
    payload = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def _chunks(events: Iterator[StreamEvent], model: str, created: int) -> Iterator[bytes]:
    cid = "chatcmpl-stream"
    first = True
    try:
        for event in events:
            if event.type == "delta":
                delta = {"content": event.text}
                if first:
                    delta["role"], first = "assistant", False
                yield _chunk(cid, model, created, delta)
                continue
            answer = event.answer
            tail = with_sources(answer)[len(answer.answer):]
            if event.replaced:
                # OpenAI streams cannot retract text: say plainly that the checked answer follows.
                tail = f"\n\n---\n{correction_note(answer.language)}\n{with_sources(answer)}"
            yield _chunk(f"chatcmpl-{answer.id}", model, created, {"content": tail}, "stop",
                         citations=[c.model_dump() for c in answer.citations],
                         answer=json.loads(answer.model_dump_json()))
    except OPCError as exc:
        yield f"data: {json.dumps({'error': {'code': exc.code, 'message': str(exc)}}, ensure_ascii=False)}\n\n".encode()
    yield b"data: [DONE]\n\n"
