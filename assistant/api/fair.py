"""Fair turns at answering: a few answer slots per worker, shared across clients, light clients first.

Every question of a worker runs on the same interpreter (one GIL) and the same cores. Left to the threads, one
client with several questions in flight holds as many of them as it likes, and another client's short question
waits behind all of them for the interpreter. ``FairGate`` sits in front of the answering work, before any of
it (language detection, parsing, embedding) is done:

* at most ``slots`` questions are answered at once (default: one per core, so the OS does not switch between
  more runnable answering threads than it can run);
* one client holds at most ``slots - 1`` of them (at least one), so a slot is free for any other client at
  once;
* when a slot frees, the waiting client that has used the least answering time lately goes first (its recent
  use decays with a half-life of a few seconds): a newcomer jumps ahead of a flooder's queued questions, and
  among equal clients the turns go round;
* a client with a question waiting longer than ``max_wait`` seconds is told the server is busy (503) instead
  of holding a thread forever.

A question waits on a ``threading.Condition`` in the thread that will answer it (the routes are synchronous),
so a waiting question costs no processor time.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict

from assistant.errors import Busy, chinese

HALF_LIFE = 5.0  # seconds: how long a client's recent answering time counts against its turn


class FairGate:
    def __init__(self, slots: int, max_wait: float = 30.0) -> None:
        self.slots = max(1, slots)
        self.per_client = max(1, self.slots - 1)
        self.max_wait = max_wait
        self._cond = threading.Condition()
        self._running: dict[str, int] = defaultdict(int)
        self._waiting: dict[str, list[int]] = defaultdict(list)  # client -> its tickets, oldest first
        self._used: dict[str, tuple[float, float]] = {}  # client -> (decayed seconds, when)
        self._busy = 0
        self._ticket = 0

    def enter(self, client: str) -> None:
        """Wait for a turn (Busy after ``max_wait`` seconds); every ``enter`` is matched by a ``leave``."""
        with self._cond:
            self._ticket += 1
            ticket = self._ticket
            self._waiting[client].append(ticket)
            deadline = time.monotonic() + self.max_wait
            while self._next() != (client, ticket):
                left = deadline - time.monotonic()
                if left <= 0:
                    self._drop(client, ticket)
                    self._cond.notify_all()  # the turn may pass to someone else now
                    raise Busy("The server is answering many questions right now; please try again in a moment.",
                               translations=chinese("服务器正在回答很多问题，请稍后再试。"))
                self._cond.wait(left)
            self._drop(client, ticket)
            self._running[client] += 1
            self._busy += 1
            self._cond.notify_all()  # another slot may still be free for the next in line

    def leave(self, client: str, seconds: float = 0.0) -> None:
        """Give the slot back; ``seconds``: the answering time used, counted against the client's next turns."""
        with self._cond:
            self._busy -= 1
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
            if seconds > 0:
                self._used[client] = (self._recent(client) + seconds, time.monotonic())
            self._forget_idle()
            self._cond.notify_all()

    def _next(self) -> tuple[str, int] | None:
        """Who goes now: among clients with a question waiting and room under their share, the one with least
        recent use (then the longest waiting); None when no slot is free."""
        if self._busy >= self.slots:
            return None
        best = None
        for client, tickets in self._waiting.items():
            if not tickets or self._running.get(client, 0) >= self.per_client:
                continue
            key = (self._recent(client), tickets[0])
            if best is None or key < best[0]:
                best = (key, client, tickets[0])
        return None if best is None else (best[1], best[2])

    def _recent(self, client: str) -> float:
        used, when = self._used.get(client, (0.0, 0.0))
        return used * math.exp2(-(time.monotonic() - when) / HALF_LIFE) if used else 0.0

    def _drop(self, client: str, ticket: int) -> None:
        tickets = self._waiting[client]
        tickets.remove(ticket)
        if not tickets:
            del self._waiting[client]

    def _forget_idle(self) -> None:
        if len(self._used) > 4096:  # many clients seen: keep only those whose use still counts
            self._used = {c: u for c, u in self._used.items() if self._recent(c) > 1e-3 or c in self._running}

    def snapshot(self) -> dict:
        """Slots in use and questions waiting (for tests and metrics)."""
        with self._cond:
            return {"busy": self._busy, "waiting": sum(len(t) for t in self._waiting.values()),
                    "running": dict(self._running)}
