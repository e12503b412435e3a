"""Shared by the benchmarks: warm ``ask`` latency over a question set, and its percentiles."""

from __future__ import annotations

import time


def percentile(values: list[float], p: float) -> float:
    """Linear-interpolated percentile (numpy's default method), the one `opc eval` reports."""
    from assistant.evaluate.checks import percentile as pct

    return pct(values, p)


def warm_ask_ms(bot, questions: list[str], warmup: int | None = None, ps=(50, 95, 99)) -> dict:
    """``bot.ask`` wall time over ``questions`` after a warm-up pass (the first ``warmup`` of them, default
    all): ``n`` and the percentiles in ms."""
    for q in questions[:warmup]:
        bot.ask(q)
    latencies = []
    for q in questions:
        t = time.perf_counter()
        bot.ask(q)
        latencies.append((time.perf_counter() - t) * 1000)
    return {"n": len(latencies)} | {f"p{p}": round(percentile(latencies, p), 1) for p in ps}
