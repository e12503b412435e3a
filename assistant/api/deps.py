"""Dependencies shared by the /v1 routes: the one Assistant, the guard in front of it, and the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials

from assistant.api.security import CONSOLE_COOKIE, CONSOLE_HEADER, Caller, bearer, require_admin
from assistant.service import Assistant


def get_bot(request: Request) -> Assistant:
    bot = request.app.state.bot
    bot.refresh()  # another worker may have added or removed a document
    return bot


async def guarded(request: Request,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """API key (when configured) and rate limits, for every /v1 route; leaves the caller on request.state."""
    guard = request.app.state.guard
    if credentials is None:
        credentials = console_credentials(request)
    if guard.counters.shared:  # a Redis round trip: off the event loop
        await run_in_threadpool(guard, request, credentials)
    else:  # in-memory counters take microseconds: a thread hop would cost more than the work
        guard(request, credentials)


def console_credentials(request: Request) -> HTTPAuthorizationCredentials | None:
    """The console's signed-in key (its cookie), honoured only beside the console's header (see security)."""
    key = request.cookies.get(CONSOLE_COOKIE)
    if key and request.headers.get(CONSOLE_HEADER) == "1":
        return HTTPAuthorizationCredentials(scheme="Bearer", credentials=key)
    return None


def get_caller(request: Request) -> Caller:
    return request.state.caller


def admin(request: Request) -> Caller:
    """For routes that change documents or other people's data: 403 unless the key has the admin scope."""
    caller = get_caller(request)
    require_admin(caller)
    return caller


Bot = Annotated[Assistant, Depends(get_bot)]
CallerDep = Annotated[Caller, Depends(get_caller)]
Admin = Annotated[Caller, Depends(admin)]
