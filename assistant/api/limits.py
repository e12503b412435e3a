"""Request body size limits (413 payload_too_large), and the queue document changes wait in."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from ..errors import Busy

BACKGROUND_NICE = 10  # document work yields the CPU to answers

TOO_LARGE = json.dumps({"error": {"code": "payload_too_large",
                                  "message": "The request body is too large."}}).encode()


class BodyLimit:
    """Pure ASGI middleware: refuse bodies over ``limit`` bytes (``overrides`` per path prefix).

    A declared Content-Length is checked before reading; a chunked body is read up to the limit and
    replayed, so the app never sees a body larger than allowed.
    """

    def __init__(self, app, limit: int, overrides: dict[str, int] | None = None) -> None:
        self.app, self.limit, self.overrides = app, limit, overrides or {}

    def _limit_for(self, path: str) -> int:
        for prefix, limit in self.overrides.items():
            if path.startswith(prefix):
                return limit
        return self.limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return await self.app(scope, receive, send)
        limit = self._limit_for(scope["path"])
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False
            if too_big:
                return await _reject(send)
            return await self.app(scope, receive, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                return await _reject(send)
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _reject(send) -> None:
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(TOO_LARGE)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": TOO_LARGE})


class WorkQueue:
    """Runs slow blocking work (document uploads, removals) ``concurrency`` at a time on threads of its own,
    with at most ``max_waiting`` callers queued (503 beyond that).

    Callers wait on an asyncio future, never on a thread of the AnyIO pool that /healthz and /v1/ask use; the
    work threads run at a lower CPU priority (Linux nice is per thread), so answers win the cores.
    """

    def __init__(self, concurrency: int, max_waiting: int) -> None:
        self._executor = ThreadPoolExecutor(concurrency, thread_name_prefix="opc-documents", initializer=_background)
        self._concurrency = concurrency
        self._max_waiting = max_waiting
        self._in_flight = 0  # running or waiting

    async def run(self, fn, /, *args, **kwargs):
        if self._in_flight - self._concurrency >= self._max_waiting:
            raise Busy("Too many documents are being processed right now; please try again in a minute.")
        self._in_flight += 1
        try:
            return await asyncio.wrap_future(self._executor.submit(functools.partial(fn, *args, **kwargs)))
        finally:
            self._in_flight -= 1


def _background() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except (OSError, AttributeError):  # not permitted or not Linux: run at normal priority
        pass
