"""Conversations: read back or delete a session's turns (only the caller's own; admins may delete any)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from assistant.api.deps import Bot, CallerDep
from assistant.types import Turn

router = APIRouter(prefix="/sessions", tags=["conversations"])


class SessionOut(BaseModel):
    session_id: str = Field(description="The conversation id.")
    turns: list[Turn] = Field(description="Questions and answers, oldest first (the last OPC_MAX_TURNS are kept).")


@router.get("/{session_id}", response_model=SessionOut, summary="A conversation's turns",
            responses={404: {"description": "No such conversation (or not the caller's)"}})
def get_session(session_id: str, bot: Bot, caller: CallerDep) -> SessionOut:
    return SessionOut(session_id=session_id, turns=bot.session(session_id, owner=caller.owner))


@router.delete("/{session_id}", status_code=204, summary="Forget a conversation",
               responses={404: {"description": "No such conversation"}})
def delete_session(session_id: str, bot: Bot, caller: CallerDep) -> Response:
    bot.delete_session(session_id, owner=None if caller.admin else caller.owner, must_exist=True)
    return Response(status_code=204)
