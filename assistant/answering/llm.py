"""The chat-model seam: any OpenAI-compatible endpoint through langchain-openai's ChatOpenAI.

Replies are asked for as JSON ({"answered", "answer", "citations"}) and parsed tolerantly, so
models without JSON mode still work. Every failure of the endpoint becomes ModelUnavailable,
which the service turns into the extractive answer plus a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import BaseMessage
from langchain_core.utils.json import parse_partial_json

from assistant.errors import OPCError
from assistant.settings import LLMSettings


class ModelUnavailable(OPCError):
    """The model endpoint failed: refused, timed out, rate-limited, errored or replied with nonsense."""

    code = "model_unavailable"


@dataclass
class Reply:
    answered: bool
    answer: str
    citations: list[int] = field(default_factory=list)


FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


def partial_answer(raw: str) -> str:
    """The "answer" field of a JSON reply that is still arriving ('' until it starts)."""
    try:
        data = parse_partial_json(FENCE.sub("", raw.strip()))
    except Exception:  # incomplete in a way the partial parser can't mend yet
        return ""
    value = data.get("answer") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def parse_reply(raw: str) -> Reply:
    """Read a model reply: JSON (possibly fenced or wrapped in prose), else plain text."""
    text = FENCE.sub("", (raw or "").strip()).strip()
    if not text:
        raise ModelUnavailable("the model returned an empty reply")
    candidates = [text]
    if "{" in text and "}" in text:
        candidates.append(text[text.index("{"): text.rindex("}") + 1])
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and isinstance(data.get("answer"), str):
            cites = [int(n) for n in data.get("citations") or [] if isinstance(n, (int, str)) and str(n).isdigit()]
            answered = data.get("answered", True)
            return Reply(answered=answered if isinstance(answered, bool) else str(answered).lower() != "false",
                         answer=data["answer"].strip(), citations=cites)
    if text.lstrip().startswith("{"):
        raise ModelUnavailable("the model's reply was not valid JSON")
    # A model without JSON mode that answered in prose: take the prose; the gate judges it.
    return Reply(answered=bool(re.search(r"\[\d+\]", text)), answer=text)


class ChatModel:
    def __init__(self, settings: LLMSettings) -> None:
        # imported here: langchain_openai takes seconds to import and only a configured API model needs it
        from langchain_openai import ChatOpenAI

        self.settings = settings
        # Retries are ours (one corrective retry after the gate); client retries would hide failures.
        self._model = ChatOpenAI(  # type: ignore[call-arg]  # its field aliases are invisible to pydantic's plugin
            model=settings.model, base_url=settings.base_url, api_key=settings.api_key or "not-needed",
            timeout=settings.timeout, temperature=settings.temperature, max_retries=0,
        )

    def _kwargs(self, as_json: bool) -> dict[str, Any]:  # langchain's **kwargs, passed to the client
        # JSON mode goes in the request body, not as `response_format`: with that keyword langchain streams through
        # the client's beta helper, whose final message needs a `role` that some OpenAI-compatible servers never
        # send (every reply then failed as a ValidationError). The plain stream path reads any delta.
        if as_json and self.settings.json_mode:
            return {"extra_body": {"response_format": {"type": "json_object"}}}
        return {}

    def stream(self, messages: list[BaseMessage], *, as_json: bool = True) -> Iterator[str]:
        """Text pieces of the reply as they arrive."""
        try:
            for chunk in self._model.stream(messages, **self._kwargs(as_json)):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except Exception as exc:  # every transport/protocol failure means the same to us
            raise ModelUnavailable(describe(exc)) from exc

    def complete(self, messages: list[BaseMessage], *, as_json: bool = True) -> str:
        return "".join(self.stream(messages, as_json=as_json))


def describe(exc: Exception) -> str:
    """A short, log-safe reason for a failed model call."""
    status = getattr(exc, "status_code", None)
    name = type(exc).__name__
    if status:
        return f"{name}, HTTP {status}"
    if any("timeout" in cls.__name__.lower() for cls in type(exc).__mro__):
        return f"{name}: no reply in time"
    return name
