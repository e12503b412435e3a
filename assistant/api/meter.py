"""What answering a question costs, and its turn: the processor time the answering threads spend, charged to the
caller's budgets when done; its place among the questions its address has in flight; and its turn at the worker's
answer slots (``FairGate``), taken around each piece of answering work and given back between them."""

from __future__ import annotations

import functools
import time

from fastapi import Request

from assistant.understanding.text import detect_language


class Meter:
    """The processor time a question takes on the threads that answer it, charged to its budgets when done; and
    its place among the questions its address has in flight (released when done). With a ``gate``, each piece
    of work (the answer, or each step of a stream) waits for a fair turn at the worker's answer slots first."""

    def __init__(self, guard, budgets: list[tuple], address: str | None = None, gate=None,
                 client: str | None = None) -> None:
        self.guard, self.budgets, self.cpu, self.address = guard, budgets, 0.0, address
        self.gate, self.client = gate, client

    def run(self, fn, *args, **kwargs):
        if self.gate is not None:
            self.gate.enter(self.client)
        start = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent = time.thread_time() - start
            self.cpu += spent
            if self.gate is not None:
                self.gate.leave(self.client, spent)

    def events(self, events):
        """A stream's events, each step timed on whichever thread runs it (and taking its own turn, so a stream
        its client reads slowly holds no slot between steps); charged when the stream ends."""
        try:
            while True:
                try:
                    event = self.run(next, events)
                except StopIteration:
                    return
                yield event
        finally:
            self.done()

    def done(self) -> None:
        """Charge what was spent and give the address's place back (once; later calls do nothing)."""
        if self.budgets and self.cpu:
            self.guard.spend(self.budgets, max(1, round(self.cpu * 1000)))
            self.cpu = 0.0
        if self.address is not None:
            self.guard.leave(self.address)
            self.address = None


def question_meter(request: Request, question: str, mode: str | None = None) -> Meter:
    """Before answering: refuse (429) when the caller's work budget is spent or its address has its questions in
    flight — before any work on the question, its language only worked out for the refusal's message —; the
    meter charges what it costs. Extractive answers (``mode``, else the server's) take turns at the answer slots;
    a model's answers mostly wait on the model, and are bounded by the in-flight and cost limits instead."""
    guard = getattr(request.app.state, "guard", None)
    caller = getattr(request.state, "caller", None)
    if guard is None or caller is None:
        return Meter(guard, [])
    lang = functools.cache(lambda: detect_language(question))
    user = ("user", caller.key_id or caller.address, caller.user) if caller.user else None
    budgets = guard.cost_idents(caller.key_id or caller.address, caller.address, user)
    guard.check_cost(budgets, lang)
    # the turn is per end user within a key (a gateway's users are not one client); the in-flight limit per
    # address bounds an address that rotates user ids
    client = f"{caller.key_id or caller.address}|{caller.user or ''}"
    gate = turns(guard, request.app.state.bot, mode)
    return Meter(guard, budgets, guard.enter(caller.address, lang), gate, client)


def turns(guard, bot, mode: str | None = None):
    """The gate a question takes turns at: None for an answer a model writes (mostly waiting on the model)."""
    by_model = (mode or bot.settings.mode) != "extractive" and getattr(bot, "llm", None) is not None
    return None if by_model else guard.gate
