"""Founders' 👍/👎 on answers, into the same store the chat page uses."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.deps import Bot
from assistant.store.feedback import MAX_COMMENT_CHARS
from assistant.types import Feedback

router = APIRouter(tags=["feedback"])


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"answer_id": "3f2c…", "useful": True, "comment": "clear"}]})

    answer_id: str = Field(max_length=64, description="The `id` of the answer being judged.")
    useful: bool = Field(strict=True, description="true for 👍, false for 👎.")
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS, description="Optional comment.")


@router.post("/feedback", response_model=Feedback, status_code=201, summary="Rate an answer",
             responses={404: {"description": "No answer with that id"}})
def add_feedback(body: FeedbackRequest, bot: Bot) -> Feedback:
    return bot.feedback(body.answer_id, body.useful, body.comment, source="api")
