"""Real HTTP servers for tests: uvicorn on 127.0.0.1, a free port, in a background thread.

The one place tests build the whole web app for the browser: ``ui_app(bot)`` is ``create_app`` (API under
/v1, chat page at /) over an already loaded Assistant.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import uvicorn
from fastapi import FastAPI


def ui_app(bot, **overrides) -> FastAPI:
    from assistant.api import create_app

    settings = bot.settings.model_copy(update={"ui": True, "rate_limit": "", "rate_limit_per_user": "", **overrides})
    return create_app(settings, bot)


def wait_until_ready(url: str, proc, timeout: float, interval: float = 0.3) -> None:
    """Poll ``url`` until it answers 200; fail (with the process's output, if it kept any) when the
    process ``proc`` exits first or ``timeout`` seconds pass."""
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            output = proc.stdout.read() if proc.stdout else ""
            raise AssertionError(f"{proc.args[0]} exited before {url} answered: {output}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(interval)


def stop_process(proc: subprocess.Popen, timeout: float = 60) -> None:
    """Stop a server process as an operator would (Ctrl-C), killing it if it does not stop in time."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(app, startup_timeout: float = 30.0) -> Iterator[str]:
    """Serve ``app`` until the block ends; yields its base URL."""
    from assistant.api.front import server_options

    port = free_port()
    # The front limits and forwarded headers exactly as `opc serve` sets them.
    options = server_options(app.state.settings) if hasattr(app.state, "settings") else {}
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on", ws="none", **options))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def chroma_binary() -> str:
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        raise AssertionError("the `chroma` command (from the chromadb package) is not installed")
    return found


@contextlib.contextmanager
def chroma_server(folder) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on a free loopback port, storing in ``folder``; yields its URL."""
    import subprocess

    port = free_port()
    proc = subprocess.Popen([chroma_binary(), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{url}/api/v2/heartbeat", proc, timeout=60, interval=0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
