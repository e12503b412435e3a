"""The server's own front line: limits on what one connection may hold before the app sees a request.

uvicorn reads request headers with no size cap under httptools, with no deadline under either parser, and
accepts connections until the process runs out of file descriptors. A 128 MB header line then costs seconds
of event-loop CPU, and a client trickling one byte every few seconds on a thousand connections locks
everyone out. ``server_options(settings)`` gives every server start (``opc serve``, its workers, the tests'
servers) the same uvicorn keyword arguments:

* the h11 parser with a header cap (``h11_max_incomplete_event_size``): too large a header gets 431;
* a deadline for a request's headers from its first byte (or from the connection's opening) and an idle
  deadline between body reads: a slow sender gets 408 and the connection is closed;
* a cap on open connections per worker and per client address (trusted proxies exempt): an extra connection
  is answered 503 and closed at once, so it never holds a descriptor;
* the keep-alive idle timeout.

A reverse proxy (deploy/nginx/opc.conf) is still the production front: it absorbs these attacks before
they reach Python at all; these limits keep a server without one, or a proxy misconfigured, answering.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import resource
from collections import Counter
from dataclasses import dataclass, field

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.api.clients import proxy_options
from assistant.settings import Settings

log = logging.getLogger("assistant.api.front")


@dataclass
class FrontLimits:
    header_timeout: float
    body_timeout: float
    max_connections: int
    max_per_address: int
    exempt: tuple[str, ...] = ()
    # Open connections per client address, shared by one server's connections (one process, one event loop).
    open_by_address: Counter = field(default_factory=Counter, compare=False, repr=False)

    def __getstate__(self):  # a worker process starts with its own counts
        state = dict(self.__dict__)
        state["open_by_address"] = Counter()
        return state

    def exempted(self, address: str | None) -> bool:
        if not address or not self.exempt:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        for entry in self.exempt:
            try:
                if ip in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        return False


def _raw_response(status: int, reason: str, text: str, extra: str = "") -> bytes:
    body = text.encode()
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
            f"{extra}content-length: {len(body)}\r\n\r\n").encode() + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with header/body deadlines and connection caps (see the module's docstring)."""

    def __init__(self, config, server_state, app_state, _loop=None, *, front: FrontLimits) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.front = front
        self._deadline: asyncio.TimerHandle | None = None
        self._counted: str | None = None

    # -- connection caps ------------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        address = self.client[0] if self.client else None
        front = self.front
        over_total = len(self.connections) > front.max_connections
        over_address = (address is not None and not front.exempted(address)
                        and front.open_by_address[address] >= front.max_per_address)
        if over_total or over_address:
            # Refused before a byte is read: the descriptor is freed now, not when the client gives up.
            transport.write(_raw_response(503, "Service Unavailable",
                                          "Too many open connections; try again shortly.\n", "retry-after: 5\r\n"))
            transport.close()
            return
        if address is not None:
            front.open_by_address[address] += 1
            self._counted = address
        self._arm(front.header_timeout, self._headers_late)

    def connection_lost(self, exc) -> None:
        self._disarm()
        if self._counted is not None:
            left = self.front.open_by_address[self._counted] - 1
            if left > 0:
                self.front.open_by_address[self._counted] = left
            else:
                del self.front.open_by_address[self._counted]
            self._counted = None
        super().connection_lost(exc)

    # -- deadlines ------------------------------------------------------------------------------
    def data_received(self, data: bytes) -> None:
        waiting_for_headers = self.conn.their_state is h11.IDLE
        if waiting_for_headers and self._deadline is None:
            # The first byte of a new request on a kept-alive connection starts the header deadline.
            self._arm(self.front.header_timeout, self._headers_late)
        super().data_received(data)

    def handle_events(self) -> None:
        super().handle_events()
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            self._arm(self.front.body_timeout, self._body_late)  # idle time between body reads
        elif state is not h11.IDLE:
            self._disarm()  # the whole request is in (or the connection is done)

    def on_response_complete(self) -> None:
        self._disarm()  # between requests uvicorn's keep-alive timeout applies
        super().on_response_complete()

    def send_400_response(self, msg: str) -> None:
        # h11 refuses an over-long header with a 400 that names no cause; say it with 431.
        cap = self.config.h11_max_incomplete_event_size or h11._connection.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
        if self.cycle is None or self.cycle.response_complete:
            if len(self.conn.trailing_data[0]) > cap:
                self._close_with(_raw_response(431, "Request Header Fields Too Large",
                                               "Request headers too large.\n"))
                return
        super().send_400_response(msg)

    def _arm(self, seconds: float, handler) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, handler)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _headers_late(self) -> None:
        self._deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            log.debug("closing %s: request headers not complete within %.0f s", self.client, self.front.header_timeout)
            self._close_with(_raw_response(408, "Request Timeout", "Request headers took too long.\n"))

    def _body_late(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.conn.their_state is not h11.SEND_BODY:
            return
        if self.flow.read_paused:  # the app is not reading: the client is not the slow one
            self._arm(self.front.body_timeout, self._body_late)
            return
        log.debug("closing %s: no request body for %.0f s", self.client, self.front.body_timeout)
        # The app sees a disconnect; no response can be sent mid-request.
        self.transport.close()

    def _close_with(self, raw: bytes) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self.transport.write(raw)
            self.transport.close()


def descriptor_limit() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def connection_cap(settings: Settings) -> int:
    """The configured cap, kept under the process's descriptor limit (index, database and logs need some)."""
    room = max(16, descriptor_limit() - 128)
    return min(settings.server.max_connections, room)


def server_options(settings: Settings) -> dict:
    """uvicorn.Config / uvicorn.run keyword arguments: the front limits and forwarded-header trust."""
    server = settings.server
    front = FrontLimits(header_timeout=server.header_timeout, body_timeout=server.body_timeout,
                        max_connections=connection_cap(settings), max_per_address=server.max_connections_per_address,
                        exempt=tuple(settings.trusted_proxies))
    return {
        "http": functools.partial(GuardedH11Protocol, front=front),
        "h11_max_incomplete_event_size": server.max_header_kb * 1024,
        "timeout_keep_alive": server.keep_alive,
        **proxy_options(settings),
    }
