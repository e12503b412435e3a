"""Dependencies shared by the /v1 routes: the one Assistant and the guard in front of it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from ..service import Assistant
from .security import bearer


def get_bot(request: Request) -> Assistant:
    bot = request.app.state.bot
    bot.refresh()  # another worker may have added or removed a document
    return bot


def guarded(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """API key (when configured) and rate limits, for every /v1 route."""
    request.app.state.guard(request, credentials)


Bot = Annotated[Assistant, Depends(get_bot)]
