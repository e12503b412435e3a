"""API keys with scopes, and rate limits, for the /v1 routes (mini-programs call these from the open internet).

A key carries scopes: ``ask`` (questions, chat, feedback, the caller's own conversations), ``admin``
(documents, deleting any conversation, the operator's console at /admin/) and ``metrics`` (``/metrics`` only,
for a Prometheus scraper; admin keys have it too) and ``eval`` (an evaluation run, ``opc eval --url``: it asks
like ``ask`` but skips the per-key and per-user limits, counted instead against its own ``OPC_RATE_LIMIT_EVAL``,
generous enough for a full golden-set run and still bounded). Keys come from ``OPC_API_KEYS`` (``key:ask,other:admin``; a bare key
is ``ask`` only) and ``OPC_API_KEYS_FILE`` (one ``key:scope`` a line, re-read when it changes, so keys rotate
without a restart; deleting it revokes its keys). Keys are compared in constant time. Limits apply per API
key (or per client address when no keys are configured) and per end user within a key
(``X-Client-User-Id``); every /v1 response carries ``X-RateLimit-*`` headers for the tighter of the two.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from limits import parse

from assistant.api.clients import client_address
from assistant.api.fair import FairGate
from assistant.api.limits import Counters
from assistant.errors import ConfigError, Forbidden, InvalidQuestion, RateLimited, Unauthorized, chinese
from assistant.settings import Settings
from assistant.understanding.text import localise

log = logging.getLogger("assistant.api")
SCOPES = ("ask", "admin", "metrics", "eval")
# The console's sign-in: the admin key in an HttpOnly, SameSite=Strict cookie. It stands for the key on /v1 only
# with the console's own header too, which a cross-site page cannot send without a CORS preflight we refuse.
CONSOLE_COOKIE = "opc_console"
CONSOLE_HEADER = "X-OPC-Console"

USER_HEADER = "X-Client-User-Id"
_USER_ID = re.compile(r"^[A-Za-z0-9_.:@=+/-]{1,128}$")
bearer = HTTPBearer(auto_error=False, description="An API key from OPC_API_KEYS (only when keys are configured).")


class InvalidUserId(InvalidQuestion):
    code = "invalid_user_id"


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's short hash (None without keys), its scopes, and the end user within it."""

    key_id: str | None
    scopes: frozenset[str]
    address: str
    user: str | None = None

    @property
    def admin(self) -> bool:
        return "admin" in self.scopes

    @property
    def owner(self) -> str:
        """Whose conversations these are: the key and end user, or the client address when there are no keys."""
        who = f"key:{self.key_id}" if self.key_id else f"addr:{self.address}"
        return f"{who}|user:{self.user or ''}"


def parse_keys(entries: list[str], origin: str) -> dict[bytes, frozenset[str]]:
    """``key`` or ``key:scope[+scope]`` entries → {key: scopes}; ConfigError naming the bad entry's position."""
    keys: dict[bytes, frozenset[str]] = {}
    for n, entry in enumerate(entries, 1):
        key, sep, scopes = entry.strip().rpartition(":")
        if not sep:
            key, scopes = scopes, "ask"
        names = frozenset(s.strip() for s in scopes.replace("+", " ").split() if s.strip())
        unknown = names - set(SCOPES)
        if not key or not names or unknown:
            raise ConfigError(f"Entry {n} of {origin} is not 'key:scope' with scopes from {', '.join(SCOPES)} "
                              "(e.g. 'k1:ask' or 'k2:admin').")
        # every key can ask; admin can read the metrics too
        keys[key.encode()] = names | {"ask"} | ({"metrics"} if "admin" in names else set())
    return keys


class KeyRing:
    """Keys from the settings plus the keys file. The file is re-read when its modification time, size or
    inode changes, and its content hash is checked every ``api_keys_file_recheck`` seconds besides (an edit
    that keeps size and mtime is still seen). Deleting the file revokes its keys."""

    def __init__(self, settings: Settings) -> None:
        self._static = parse_keys(settings.api_keys, "OPC_API_KEYS")
        self._file = Path(settings.api_keys_file) if settings.api_keys_file else None
        self._recheck = settings.api_keys_file_recheck
        self._stamp: tuple | None = None
        self._digest: bytes | None = None
        self._hashed_at = -math.inf
        self._from_file: dict[bytes, frozenset[str]] = {}
        self._lock = threading.Lock()
        self._reload(strict=True)

    def _reload(self, strict: bool = False) -> None:
        if self._file is None:
            return
        try:
            st = self._file.stat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            now = time.monotonic()
            if stamp == self._stamp and now - self._hashed_at < self._recheck:
                return
            data = self._file.read_bytes()
            self._hashed_at = now
            digest = hashlib.sha256(data).digest()
            if digest == self._digest:
                self._stamp = stamp
                return
            self._stamp, self._digest = stamp, digest  # a broken version is reported once, not on every check
            lines = [line.split("#", 1)[0].strip() for line in data.decode("utf-8").splitlines()]
            self._from_file = parse_keys([line for line in lines if line], "OPC_API_KEYS_FILE")
        except FileNotFoundError as exc:
            if strict:
                raise ConfigError(f"OPC_API_KEYS_FILE cannot be used: {exc}") from None
            if self._from_file or self._digest is not None:
                log.warning("keys file %s removed: its keys are revoked", self._file)
            self._from_file, self._stamp, self._digest = {}, None, None
        except (OSError, UnicodeError, ConfigError) as exc:
            if strict:
                raise ConfigError(f"OPC_API_KEYS_FILE cannot be used: {exc}") from None
            # A half-written or broken file during rotation keeps the previous keys rather than locking everyone out.
            log.error("keys file not reloaded (keeping the previous keys): %s", exc)

    def keys(self) -> dict[bytes, frozenset[str]]:
        with self._lock:
            self._reload()
            return {**self._static, **self._from_file}

    @property
    def configured(self) -> bool:
        return bool(self._static) or self._file is not None


class Guard:
    def __init__(self, settings: Settings) -> None:
        self.keyring = KeyRing(settings)
        # Without any keys, document writes are open only on a loopback-bound server (a developer's machine).
        self._open_admin = not self.keyring.configured and is_loopback(settings.host)
        try:
            self._per_key = parse(settings.rate_limit) if settings.rate_limit.strip() else None
            self._per_user = parse(settings.rate_limit_per_user) if settings.rate_limit_per_user.strip() else None
            self._per_eval = parse(settings.rate_limit_eval) if settings.rate_limit_eval.strip() else None
        except (ValueError, NotImplementedError) as exc:
            raise ConfigError(f"Unusable rate-limit setting: {exc}. Use e.g. OPC_RATE_LIMIT='120/minute'.") from None
        try:  # what a question costs (characters embedded), per key or address, end user, and address
            self.costs = [(kind, parse(value)) for kind, value in (
                ("key", settings.cost_limit), ("user", settings.cost_limit_per_user),
                ("address", settings.cost_limit_per_address)) if value.strip()]
        except (ValueError, NotImplementedError) as exc:
            raise ConfigError(f"Unusable cost-limit setting: {exc}. Use e.g. OPC_COST_LIMIT='12000/minute'.") from None
        self.counters = Counters(settings)
        self.max_in_flight = settings.max_questions_in_flight_per_address
        self.gate: FairGate | None = FairGate(settings.answer_slots or os.cpu_count() or 1)
        if not settings.rate_limit.strip():  # rate limiting off (a trusted network, a benchmark): costs too
            self.costs, self.max_in_flight, self.gate = [], 0, None
        self._in_flight: dict[str, int] = {}
        self._flight_lock = threading.Lock()

    def startup_warnings(self) -> list[str]:
        limits = self.counters.status()
        return ([f"Rate limits: {limits}."] if limits and limits.startswith("degraded") else []) \
            + self._key_warnings()

    def _key_warnings(self) -> list[str]:
        keys = self.keyring.keys()
        if not self.keyring.configured:
            if self._open_admin:
                return ["No API keys are configured (OPC_API_KEYS / OPC_API_KEYS_FILE): anyone who can reach this "
                        "loopback address may ask questions AND add or remove documents."]
            return ["NO API KEYS ARE CONFIGURED on a non-loopback address: anyone may ask questions, and document "
                    "writes are REFUSED until an admin key is set (OPC_API_KEYS='<key>:admin')."]
        if not any("admin" in s for s in keys.values()):
            return ["No key has the admin scope: adding and removing documents over the API is refused "
                    "(give one key ':admin' in OPC_API_KEYS or the keys file)."]
        return []

    def authenticate(self, credentials: HTTPAuthorizationCredentials | None) -> tuple[str | None, frozenset[str]]:
        """The caller's key id (a short hash; None when keys are not required) and its scopes."""
        if not self.keyring.configured:
            return None, frozenset({"ask", "admin", "metrics"} if self._open_admin else {"ask"})
        given = (credentials.credentials if credentials else "").encode()
        # Compare against every key without stopping early, so timing reveals nothing.
        scopes: frozenset[str] = frozenset()
        for key, key_scopes in self.keyring.keys().items():
            if hmac.compare_digest(given, key):
                scopes = key_scopes
        if not scopes:
            raise Unauthorized("A valid API key is required: send 'Authorization: Bearer <key>'.",
                               translations=chinese("需要有效的 API 密钥：请发送 'Authorization: Bearer <密钥>'。"))
        return hashlib.sha256(given).hexdigest()[:16], scopes

    def limit(self, request: Request, caller: str, evaluation: bool = False) -> None:
        user = request.headers.get(USER_HEADER)
        if user is not None and not _USER_ID.match(user):
            raise InvalidUserId(f"{USER_HEADER} must be 1–128 characters of letters, digits and _.:@=+/-.")
        if evaluation:  # an evaluation key: its own bound, per key, instead of the end users' limits
            tightest = self._check([(self._per_eval, ("eval", caller))] if self._per_eval else [], "")
        else:
            tightest = self._hit(caller, ("user", caller, user) if user else None, "this end user")
        if tightest:
            request.state.ratelimit = tightest

    def limit_page(self, address: str, browser: str | None) -> None:
        """The chat page's share of the same limits: per client address (counted with the API's keyless
        callers) and per browser session (like an end user)."""
        self._hit(address, ("page", address, browser) if browser else None, "this browser session")

    def _hit(self, caller: str, user_ident: tuple | None, user_words: str) -> dict | None:
        checks = []
        if self._per_key:
            checks.append((self._per_key, ("key", caller)))
        if self._per_user and user_ident:
            checks.append((self._per_user, user_ident))
        return self._check(checks, user_words)

    def _check(self, checks: list, user_words: str) -> dict | None:
        tightest = None
        for item, ident in checks:
            allowed, stats = self.counters.hit(item, *ident)
            headers = {"X-RateLimit-Limit": str(item.amount), "X-RateLimit-Remaining": str(max(stats.remaining, 0)),
                       "X-RateLimit-Reset": str(math.ceil(stats.reset_time))}
            if not allowed:
                who = {"key": "this API key or address", "eval": "this evaluation key"}.get(ident[0], user_words)
                wait = max(1, math.ceil(stats.reset_time - time.time()))
                raise RateLimited(
                    f"Too many requests for {who}: the limit is {item.amount} per {_window(item)}. "
                    "Please wait a moment and try again.", retry_after=wait, headers=headers,
                    translations=chinese(f"请求太频繁：上限为每{_window_zh(item)} {item.amount} 次，"
                                         f"请 {wait} 秒后再试。"))
            if tightest is None or stats.remaining < int(tightest["X-RateLimit-Remaining"]):
                tightest = headers
        return tightest

    def cost_idents(self, caller: str, address: str, user_ident: tuple | None) -> list[tuple]:
        """(limit, identity, kind) for each cost budget that applies: key (or address), end user, address."""
        idents = {"key": ("cost", "key", caller), "user": ("cost", *user_ident) if user_ident else None,
                  "address": ("cost", "address", address)}
        return [(item, idents[kind], kind) for kind, item in self.costs if idents[kind] is not None]

    def check_cost(self, budgets: list[tuple], lang: str | Callable[[], str] = "en") -> None:
        """RateLimited, in the question's language (``lang``: or what works it out, only when refusing), when a
        budget is spent: the question is not started."""
        for item, ident, kind in budgets:
            stats = self.counters.cost_left(item, *ident)
            if stats.remaining <= 0:
                raise RateLimited(cost_message(_lang(lang), kind, item.amount, _window(item)),
                                  retry_after=max(1, math.ceil(stats.reset_time - time.time())),
                                  headers={"X-Cost-Limit": str(item.amount), "X-Cost-Remaining": "0"})

    def enter(self, address: str, lang: str | Callable[[], str] = "en") -> str | None:
        """Take one of the address's places for questions in flight in this worker (429 when none is free): a few
        threads of one address cannot crowd every other answer out of the interpreter. None when unlimited."""
        if not self.max_in_flight:
            return None
        with self._flight_lock:
            if self._in_flight.get(address, 0) >= self.max_in_flight:
                lang = _lang(lang)
                key = "zh" if lang.startswith("zh") else "en"

                raise RateLimited(localise(IN_FLIGHT[key].format(n=self.max_in_flight), lang), retry_after=1)
            self._in_flight[address] = self._in_flight.get(address, 0) + 1
        return address

    def leave(self, address: str) -> None:
        with self._flight_lock:
            left = self._in_flight.get(address, 1) - 1
            if left > 0:
                self._in_flight[address] = left
            else:
                self._in_flight.pop(address, None)

    def spend(self, budgets: list[tuple], cpu_ms: int) -> None:
        for item, ident, _ in budgets:
            self.counters.spend(item, *ident, cost=cpu_ms)

    def __call__(self, request: Request, credentials: HTTPAuthorizationCredentials | None) -> Caller:
        key_id, scopes = self.authenticate(credentials)
        address = client_address(request.scope)
        # Only a configured key can be an evaluation key: without keys nobody skips the limits.
        self.limit(request, key_id or address, evaluation=key_id is not None and "eval" in scopes)
        caller = Caller(key_id, scopes, address, request.headers.get(USER_HEADER))
        request.state.caller = caller
        return caller


COST_LIMITED = {
    "en": "Too much work asked by {who}: questions may use at most {amount} ms of processor time per {window}, and "
          "that is spent. Please wait a moment, or ask shorter questions.",
    "zh": "{who}的提问占用计算资源过多：每{window}最多{amount}毫秒处理时间，已经用完。请稍后再试，或把问题问得简短些。",
}
IN_FLIGHT = {
    "en": "This address already has {n} questions being answered; please wait for them before asking more.",
    "zh": "此地址已有{n}个问题正在回答，请等它们答完再提问。",
}
COST_WHO = {"en": {"key": "this API key or address", "user": "this end user", "address": "this address"},
            "zh": {"key": "此API密钥或地址", "user": "此用户", "address": "此地址"}}
WINDOWS_ZH = {"second": "秒", "minute": "分钟", "hour": "小时", "day": "天"}


def cost_message(lang: str, kind: str, amount: int, window: str) -> str:
    key = "zh" if lang.startswith("zh") else "en"
    if key == "zh":
        count, _, unit = window.rpartition(" ")
        window = (count or "") + WINDOWS_ZH.get(unit.rstrip("s"), unit)
    return localise(COST_LIMITED[key].format(who=COST_WHO[key][kind], amount=amount, window=window), lang)


def _lang(lang: str | Callable[[], str]) -> str:
    return lang() if callable(lang) else lang


def require_admin(caller: Caller) -> None:
    if not caller.admin:
        raise Forbidden("This needs an API key with the admin scope; the key sent may only ask questions.",
                        translations=chinese("此操作需要具有 admin 权限的 API 密钥；所发送的密钥只能提问。"))


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _window_zh(item) -> str:
    unit = {"second": "秒", "minute": "分钟", "hour": "小时", "day": "天"}.get(item.GRANULARITY.name, "分钟")
    return unit if item.multiples == 1 else f" {item.multiples} {unit}"


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
