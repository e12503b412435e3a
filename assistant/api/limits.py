"""Request body size limits (413 payload_too_large), the queue document changes wait in, and the rate-limit
counters (memory or Redis, with the behaviour chosen for when Redis is down)."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from limits import WindowStats
from limits.errors import ConfigurationError, StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
from redis.exceptions import AuthenticationError as RedisAuthError

from assistant.api.errors import edge
from assistant.api.lang import preferred
from assistant.errors import Busy, ConfigError, LimitsUnavailable
from assistant.settings import Settings

log = logging.getLogger("assistant.api")

STORAGE_SCHEMES = ("memory", "redis", "rediss", "redis+unix")
BACKGROUND_NICE = 10  # document work yields the CPU to answers

def too_large(scope) -> bytes:
    """The 413 body in the reader's language (Accept-Language: this is refused before any route runs)."""
    header = dict(scope.get("headers") or []).get(b"accept-language", b"").decode("latin-1")
    return json.dumps({"error": {"code": "payload_too_large", "message": edge("too_large", preferred(header))}},
                      ensure_ascii=False).encode()


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
                return await _reject(send, scope)
            return await self.app(scope, receive, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                return await _reject(send, scope)
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


async def _reject(send, scope=None) -> None:
    body = too_large(scope or {})
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


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


class Counters:
    """Rate-limit counters in the configured storage: this process's memory, or Redis shared by every worker and
    host (``OPC_RATE_LIMIT_STORAGE=redis://host:6379/0``; ``rediss://`` for TLS, ``redis+unix:///path``).

    When Redis cannot be reached, ``OPC_RATE_LIMIT_ON_STORAGE_ERROR`` decides: ``open`` (the default) keeps
    answering and counts in this worker's memory — abuse protection degrades to per-worker limits rather than
    vanishing —, ``closed`` refuses with 503. Meanwhile Redis is tried again at most every
    ``OPC_RATE_LIMIT_STORAGE_RETRY`` seconds (one request makes the attempt; the others do not wait), and shared
    counting resumes as soon as it answers, without a restart.
    """

    def __init__(self, settings: Settings) -> None:
        uri = settings.rate_limit_storage.strip()
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in STORAGE_SCHEMES:
            raise ConfigError("OPC_RATE_LIMIT_STORAGE must be 'memory://' or a Redis URI such as "
                              "'redis://host:6379/0' ('rediss://' for TLS, 'redis+unix:///path/to/socket').")
        self.shared = scheme != "memory"
        self.fail_open = settings.rate_limit_on_storage_error == "open"
        self._retry = settings.rate_limit_storage_retry
        options = {}
        if self.shared:  # a dead Redis must cost a request a fraction of a second, not the client's patience
            options = {"socket_timeout": settings.rate_limit_storage_timeout,
                       "socket_connect_timeout": settings.rate_limit_storage_timeout}
        try:
            self._limiter = MovingWindowRateLimiter(storage_from_string(uri, wrap_exceptions=True, **options))
        except (ConfigurationError, ValueError) as exc:
            raise ConfigError(f"OPC_RATE_LIMIT_STORAGE cannot be used: {exc}") from None
        self._local = MovingWindowRateLimiter(MemoryStorage())
        # Costs (CPU milliseconds) are counted, not logged one entry per unit as a moving window would.
        self._cost = SlidingWindowCounterRateLimiter(self._limiter.storage)
        self._local_cost = SlidingWindowCounterRateLimiter(self._local.storage)
        self._lock = threading.Lock()
        self._down_since: float | None = None  # wall-clock time Redis stopped answering, None while it answers
        self._next_try = 0.0
        if self.shared:
            self._probe_at_start()

    def _probe_at_start(self) -> None:
        try:
            self._limiter.storage.get_connection().ping()  # type: ignore[attr-defined]  # the Redis storage's
        except RedisAuthError as exc:  # wrong password or ACL: a configuration mistake, not an outage
            raise ConfigError(f"OPC_RATE_LIMIT_STORAGE: Redis refused the credentials ({exc}).") from None
        except Exception as exc:  # not up yet: hosts may start before Redis; answered per the fail policy
            self._mark_down(exc)

    def hit(self, item, *ident) -> tuple[bool, WindowStats]:
        """Count one request against ``item`` for ``ident``: (allowed, window stats)."""
        return self._run(lambda lim: (lim.hit(item, *ident), lim.get_window_stats(item, *ident)))

    def cost_left(self, item, *ident) -> WindowStats:
        """The work budget ``item`` leaves ``ident`` now (``remaining`` 0: spent)."""
        return self._run(lambda lim: lim.get_window_stats(item, *ident), cost=True)

    def spend(self, item, *ident, cost: int) -> None:
        """Count ``cost`` units of work done (all of it: what is over the budget still fills it)."""
        def work(lim):
            if cost > 0 and not lim.hit(item, *ident, cost=cost):
                left = lim.get_window_stats(item, *ident).remaining
                if left > 0:
                    lim.hit(item, *ident, cost=left)
        self._run(work, cost=True)

    def _run(self, call, cost: bool = False):
        if self._use_shared():
            try:
                return call(self._cost if cost else self._limiter)
            except StorageError as exc:
                self._mark_down(exc.storage_error)
        if not self.fail_open:
            raise LimitsUnavailable("The service cannot check request limits right now; please try again shortly.")
        return call(self._local_cost if cost else self._local)

    def _use_shared(self) -> bool:
        if not self.shared:
            return True
        with self._lock:
            if self._down_since is None:
                return True
            if time.monotonic() < self._next_try:
                return False
            self._next_try = time.monotonic() + self._retry  # this request tries; others keep the fallback
        if self._limiter.storage.check():
            with self._lock:
                if self._down_since is not None:
                    log.warning("Rate-limit storage (Redis) answers again after %.0f s: counting shared across "
                                "workers and hosts again.", time.time() - self._down_since)
                self._down_since = None
            return True
        return False

    def _mark_down(self, exc: BaseException) -> None:
        with self._lock:
            self._next_try = time.monotonic() + self._retry
            if self._down_since is not None:
                return
            self._down_since = time.time()
        log.error("Rate-limit storage (Redis) unreachable (%s): %s until it answers again.",
                  exc.__class__.__name__, "counting in this worker's memory (fail open)" if self.fail_open
                  else "refusing /v1 requests with 503 (fail closed)")

    def status(self) -> str | None:
        """One line for /healthz when counters are shared: whether Redis counts them now (never the storage
        address, which may hold a password). None with in-memory counters: nothing can go down."""
        if not self.shared:
            return None
        self._use_shared()  # a health check also tries a down Redis again when due, even with no traffic
        with self._lock:
            since = self._down_since
        if since is None:
            return "shared (redis)"
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(since))
        return (f"degraded: redis unreachable since {stamp}; "
                + ("counting per worker (fail open)" if self.fail_open else "refusing requests (fail closed)"))
