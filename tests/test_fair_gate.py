"""Fair turns at the answer slots: one client never holds every slot, a client that used less goes first, and
a question that cannot get a turn in time is told the server is busy."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.api.fair import FairGate
from assistant.errors import Busy


def _hold(gate: FairGate, client: str, seconds: float, log: list, peak: dict) -> None:
    gate.enter(client)
    try:
        running = gate.snapshot()["running"].get(client, 0)
        peak[client] = max(peak.get(client, 0), running)
        log.append((client, time.monotonic()))
        time.sleep(seconds)
    finally:
        gate.leave(client, seconds)


def test_a_flooding_client_leaves_a_slot_free_for_others():
    gate, log, peak = FairGate(2), [], {}
    flood = [threading.Thread(target=_hold, args=(gate, "flooder", 0.2, log, peak)) for _ in range(6)]
    for t in flood:
        t.start()
    time.sleep(0.05)  # the flooder has its slot and five questions waiting
    asked = time.monotonic()
    other = threading.Thread(target=_hold, args=(gate, "other", 0.01, log, peak))
    other.start()
    for t in [*flood, other]:
        t.join()
    started = next(at for who, at in log if who == "other")
    assert started - asked < 0.1  # at once: not behind the flooder's queue (each of its turns takes 0.2 s)
    assert peak["flooder"] == 1  # of two slots, one client holds at most one
    assert gate.snapshot() == {"busy": 0, "waiting": 0, "running": {}}


def test_the_client_that_used_less_goes_first():
    gate = FairGate(1)
    gate.enter("heavy")  # the one slot is taken while both wait
    order: list[str] = []

    def ask(client: str) -> None:
        gate.enter(client)
        order.append(client)
        gate.leave(client, 0.0)

    gate.leave("heavy", 2.0)  # two seconds of answering just used
    gate.enter("holder")
    waiting = [threading.Thread(target=ask, args=("heavy",)), threading.Thread(target=ask, args=("light",))]
    waiting[0].start()
    time.sleep(0.05)  # heavy asked first…
    waiting[1].start()
    time.sleep(0.05)
    assert gate.snapshot()["waiting"] == 2
    gate.leave("holder", 0.0)
    for t in waiting:
        t.join()
    assert order == ["light", "heavy"]  # …but light, with less recent use, goes first


def test_one_client_alone_still_gets_answers_in_turn():
    gate, log, peak = FairGate(3), [], {}
    threads = [threading.Thread(target=_hold, args=(gate, "only", 0.02, log, peak)) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(log) == 5 and peak["only"] == 2  # all but one slot


def test_no_turn_in_time_is_busy_and_gives_the_place_back():
    gate = FairGate(1, max_wait=0.1)
    gate.enter("a")
    with pytest.raises(Busy) as refused:
        gate.enter("b")
    assert "try again" in str(refused.value) and "稍后再试" in refused.value.translations["zh"]
    assert gate.snapshot() == {"busy": 1, "waiting": 0, "running": {"a": 1}}
    gate.leave("a")
    gate.enter("b")  # the slot is free again
    gate.leave("b")


def test_the_gate_follows_the_settings(bot):
    from assistant.api.security import Guard

    assert Guard(bot.settings.model_copy(update={"answer_slots": 3})).gate.slots == 3
    assert Guard(bot.settings).gate.slots >= 1  # 0: one per core
    assert Guard(bot.settings.model_copy(update={"rate_limit": ""})).gate is None  # limits off: no gate either
