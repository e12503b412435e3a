"""Server-Sent Events through proxies: headers that stop nginx-style proxies and mobile gateways from
buffering or compressing a stream, and a comment heartbeat while nothing else is being written (a model can
take seconds before its first token; idle connections get cut by proxies and carriers)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from fastapi.responses import StreamingResponse

HEADERS = {"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"}
PING = b": ping\n\n"  # a comment line: every SSE client (EventSource, openai, httpx-sse) skips it
_DONE = object()


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def with_heartbeat(chunks: Iterator[bytes], interval: float) -> Iterator[bytes]:
    """Yield ``chunks``, and ``PING`` whenever ``interval`` seconds pass without one (0 turns it off).

    The chunks are produced on a thread of their own, so waiting for the next one can time out."""
    if interval <= 0:
        yield from chunks
        return
    pending: queue.Queue = queue.Queue()
    stop = threading.Event()

    def pump() -> None:
        try:
            for chunk in chunks:
                pending.put(chunk)
                if stop.is_set():  # the client went away: stop answering
                    break
        except BaseException as exc:  # handed to the response's thread, which raises it
            pending.put(_Failed(exc))
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
            pending.put(_DONE)

    threading.Thread(target=pump, name="sse-pump", daemon=True).start()
    try:
        while True:
            try:
                item = pending.get(timeout=interval)
            except queue.Empty:
                yield PING
                continue
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.exc
            yield item
    finally:
        stop.set()


def event_stream(chunks: Iterator[bytes], heartbeat: float) -> StreamingResponse:
    """A text/event-stream response of ``chunks`` with the proxy headers and the heartbeat."""
    return StreamingResponse(with_heartbeat(chunks, heartbeat), media_type="text/event-stream", headers=HEADERS)
