"""Shared by the conversation tests: earlier turns as a stored session holds them, and the follow-up resolver
with the real recogniser, question rules and message framer."""

from __future__ import annotations

from assistant.answering.framed import read_frame
from assistant.types import Answer, Turn
from assistant.understanding.followup import Conversation


def turns(*questions: str) -> list[Turn]:
    return [Turn(n=i + 1, created=0, question=q, answer=Answer(question=q, answer="", language="zh",
                                                             answerable=True)) for i, q in enumerate(questions)]


def conversation_of(bot) -> Conversation:
    return Conversation(bot.retriever.recogniser, bot.corpus.questions,
                        lambda text, lang: read_frame(bot.extractive, text, lang))
