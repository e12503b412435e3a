"""API keys and rate limits for the /v1 routes (mini-programs call these from the open internet).

Keys are compared in constant time. Limits apply per API key (or per client address when no keys are
configured) and per end user within a key (``X-Client-User-Id``); every /v1 response carries
``X-RateLimit-*`` headers for the tighter of the two.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time

from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ..errors import ConfigError, InvalidQuestion, RateLimited, Unauthorized
from ..settings import Settings

USER_HEADER = "X-Client-User-Id"
_USER_ID = re.compile(r"^[A-Za-z0-9_.:@=+/-]{1,128}$")
bearer = HTTPBearer(auto_error=False, description="An API key from OPC_API_KEYS (only when keys are configured).")


class InvalidUserId(InvalidQuestion):
    code = "invalid_user_id"


class Guard:
    def __init__(self, settings: Settings) -> None:
        self._keys = [k.encode() for k in settings.api_keys]
        try:
            self._per_key = parse(settings.rate_limit) if settings.rate_limit.strip() else None
            self._per_user = parse(settings.rate_limit_per_user) if settings.rate_limit_per_user.strip() else None
            self._limiter = MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage))
        except (ValueError, NotImplementedError) as exc:
            raise ConfigError(f"Unusable rate-limit setting: {exc}. Use e.g. OPC_RATE_LIMIT='120/minute'.") from None

    def authenticate(self, credentials: HTTPAuthorizationCredentials | None) -> str | None:
        """The caller's key id (a short hash), None when keys are not required."""
        if not self._keys:
            return None
        given = (credentials.credentials if credentials else "").encode()
        # Compare against every key without stopping early, so timing reveals nothing.
        matched = False
        for key in self._keys:
            matched |= hmac.compare_digest(given, key)
        if not matched:
            raise Unauthorized("A valid API key is required: send 'Authorization: Bearer <key>'.")
        return hashlib.sha256(given).hexdigest()[:16]

    def limit(self, request: Request, caller: str) -> None:
        user = request.headers.get(USER_HEADER)
        if user is not None and not _USER_ID.match(user):
            raise InvalidUserId(f"{USER_HEADER} must be 1–128 characters of letters, digits and _.:@=+/-.")
        checks = []
        if self._per_key:
            checks.append((self._per_key, ("key", caller)))
        if self._per_user and user:
            checks.append((self._per_user, ("user", caller, user)))
        tightest = None
        for item, ident in checks:
            allowed = self._limiter.hit(item, *ident)
            stats = self._limiter.get_window_stats(item, *ident)
            headers = {"X-RateLimit-Limit": str(item.amount), "X-RateLimit-Remaining": str(max(stats.remaining, 0)),
                       "X-RateLimit-Reset": str(math.ceil(stats.reset_time))}
            if not allowed:
                who = "this end user" if ident[0] == "user" else "this API key"
                raise RateLimited(
                    f"Too many requests for {who}: the limit is {item.amount} per {_window(item)}. "
                    "Please wait a moment and try again.",
                    retry_after=max(1, math.ceil(stats.reset_time - time.time())), headers=headers)
            if tightest is None or stats.remaining < int(tightest["X-RateLimit-Remaining"]):
                tightest = headers
        if tightest:
            request.state.ratelimit = tightest

    def __call__(self, request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
        key_id = self.authenticate(credentials)
        caller = key_id or (request.client.host if request.client else "unknown")
        self.limit(request, caller)


def _window(item) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"


class RateLimitHeaders:
    """Pure ASGI middleware copying the headers ``Guard`` computed onto the response (streaming included)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = scope.get("state", {}).get("ratelimit")
                if extra:
                    message = dict(message)
                    message["headers"] = [*message.get("headers", []),
                                          *((k.lower().encode(), v.encode()) for k, v in extra.items())]
            await send(message)

        await self.app(scope, receive, send_with_headers)
