"""Conversations: read back or delete a session's turns."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from ...errors import NotFound
from ...types import Turn
from ..deps import Bot

router = APIRouter(prefix="/sessions", tags=["conversations"])


class SessionOut(BaseModel):
    session_id: str = Field(description="The conversation id.")
    turns: list[Turn] = Field(description="Questions and answers, oldest first (the last OPC_MAX_TURNS are kept).")


@router.get("/{session_id}", response_model=SessionOut, summary="A conversation's turns",
            responses={404: {"description": "No such conversation"}})
def get_session(session_id: str, bot: Bot) -> SessionOut:
    return SessionOut(session_id=session_id, turns=bot.session(session_id))


@router.delete("/{session_id}", status_code=204, summary="Forget a conversation",
               responses={404: {"description": "No such conversation"}})
def delete_session(session_id: str, bot: Bot) -> Response:
    if not bot.delete_session(session_id):
        raise NotFound(f"No conversation with id {session_id!r}.")
    return Response(status_code=204)
