"""Connection-level attacks on a server on loopback, and nginx in front of it, for tests and bench/front.py.

Every attack is bounded (connections, seconds) and comes from its own loopback address (127.0.0.2 by
default), so per-address limits can be told apart from the honest client probing from 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import httpx

from harness.servers import free_port

ATTACKER = "127.0.0.2"
NGINX_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "opc.conf"
QUESTION = "博士落户补贴最高多少？"


def _connect(port: int, source: str, timeout: float = 3.0) -> socket.socket | None:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.bind((source, 0))
        s.connect(("127.0.0.1", port))
    except OSError:
        s.close()
        return None
    return s


def _status(data: bytes) -> str:
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return m.group(1).decode() if m else ("closed" if not data else "garbage")


def _poll_closed(s: socket.socket) -> str | None:
    """What the server did to this connection so far: a status it sent, 'closed', 'reset', or None (open)."""
    s.setblocking(False)
    try:
        data = s.recv(4096)
        return _status(data)
    except BlockingIOError:
        return None
    except ConnectionResetError:
        return "reset"
    except OSError:
        return "reset"
    finally:
        s.setblocking(True)


def slowloris(port: int, connections: int, interval: float, duration: float, source: str = ATTACKER) -> dict:
    """``connections`` requests sending one header byte each ``interval`` s, for at most ``duration`` s.
    Returns how many could connect and how the server ended them (status sent, closed, reset, or still open)."""
    line = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
    socks = [s for s in (_connect(port, source) for _ in range(connections)) if s is not None]
    ended: dict[int, str] = {}
    start = time.monotonic()
    sent = 0
    while time.monotonic() - start < duration and len(ended) < len(socks):
        for n, s in enumerate(socks):
            if n in ended:
                continue
            outcome = _poll_closed(s)
            if outcome is None:
                try:
                    s.send(line[sent:sent + 1])
                except OSError:
                    outcome = "reset"
            if outcome is not None:
                ended[n] = outcome
        sent += 1
        time.sleep(interval)
    for s in socks:
        s.close()
    outcomes = Counter(ended.values())
    return {"connected": len(socks), "still_open": len(socks) - len(ended), "ended": dict(outcomes),
            "seconds": round(time.monotonic() - start, 2)}


def huge_header(port: int, megabytes: float, source: str = ATTACKER) -> dict:
    """One request whose header is ``megabytes`` MB; returns the server's status (or how it cut us off)
    and the seconds until it did."""
    s = _connect(port, source, timeout=10)
    if s is None:
        return {"status": "refused", "seconds": 0.0}
    start = time.monotonic()
    status = None
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
        chunk = b"a" * 65536
        for _ in range(int(megabytes * 16)):
            s.sendall(chunk)
        s.sendall(b"\r\n\r\n")
    except OSError:
        status = "reset"  # cut off while still sending: the server stopped reading
    try:
        data = s.recv(4096)
        status = _status(data) if data or status is None else status
    except OSError:
        status = status or "reset"
    finally:
        s.close()
    return {"status": status, "seconds": round(time.monotonic() - start, 3)}


def half_open(port: int, connections: int, hold: float, source: str = ATTACKER) -> dict:
    """``connections`` connections each sending half a request and holding it for ``hold`` s."""
    socks = []
    refused = 0
    for _ in range(connections):
        s = _connect(port, source)
        if s is None:
            refused += 1
            continue
        try:
            s.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        except OSError:
            refused += 1
            s.close()
            continue
        socks.append(s)
    time.sleep(hold)
    outcomes = Counter(o or "open" for o in (_poll_closed(s) for s in socks))
    for s in socks:
        s.close()
    return {"attempted": connections, "connect_failed": refused, "outcomes": dict(outcomes)}


class Prober:
    """An honest client on 127.0.0.1: ``GET /healthz`` and ``POST /v1/ask``, a new connection each, in a loop."""

    def __init__(self, base: str, headers: dict | None = None) -> None:
        self.base, self.headers = base, headers or {}
        self.samples: dict[str, list[float]] = {"healthz": [], "ask": []}
        self.failures: Counter = Counter()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def probe_once(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30, headers=self.headers) as http:
            for name, call in (("healthz", lambda: http.get("/healthz")),
                               ("ask", lambda: http.post("/v1/ask", json={"question": QUESTION}))):
                start = time.monotonic()
                try:
                    r = call()
                    ok = r.status_code == 200
                except httpx.HTTPError as exc:
                    ok, r = False, exc
                elapsed = time.monotonic() - start
                if ok:
                    self.samples[name].append(elapsed)
                else:
                    self.failures[f"{name}:{getattr(r, 'status_code', type(r).__name__)}"] += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self.probe_once()
            self._stop.wait(0.2)

    def __enter__(self) -> Prober:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=60)

    def summary(self) -> dict:
        def stats(xs):
            if not xs:
                return {"n": 0}
            xs = sorted(xs)
            return {"n": len(xs), "p50_ms": round(statistics.median(xs) * 1000, 1),
                    "p95_ms": round(xs[min(len(xs) - 1, int(0.95 * len(xs)))] * 1000, 1),
                    "max_ms": round(xs[-1] * 1000, 1)}
        return {"healthz": stats(self.samples["healthz"]), "ask": stats(self.samples["ask"]),
                "failures": dict(self.failures)}


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


def nginx_config(listen_port: int, upstream_port: int, prefix: Path) -> str:
    """The shipped deploy/nginx/opc.conf with only its SITE lines pointed at loopback ports, inside a main
    config of the test's own (pid, logs and temp files under ``prefix``)."""
    site = NGINX_CONF.read_text(encoding="utf-8")
    site, n1 = re.subn(r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{listen_port};", site, flags=re.M)
    site, n2 = re.subn(r"^(\s*)server 127\.0\.0\.1:8000;", rf"\1server 127.0.0.1:{upstream_port};", site, flags=re.M)
    assert n1 == n2 == 1, "deploy/nginx/opc.conf lost its SITE lines"
    (prefix / "opc.conf").write_text(site, encoding="utf-8")
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""  # a root master's workers drop to nobody
    temps = "\n".join(f"    {kind}_temp_path {prefix}/tmp/{kind};" for kind in
                      ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\nworker_processes 1;\nworker_rlimit_nofile 8192;\npid {prefix}/nginx.pid;\n"
            f"error_log {prefix}/error.log warn;\nevents {{ worker_connections 4096; }}\n"
            f"http {{\n    access_log {prefix}/access.log;\n{temps}\n    include {prefix}/opc.conf;\n}}\n")


@contextlib.contextmanager
def nginx_in_front(upstream_port: int) -> Iterator[tuple[str, int]]:
    """nginx on a free loopback port proxying to ``upstream_port``; yields (base URL, port)."""
    binary = nginx_binary()
    assert binary, "nginx is not installed (make system-deps installs nginx-light)"
    prefix = Path(tempfile.mkdtemp(prefix="opc-nginx-"))
    try:
        (prefix / "tmp").mkdir()
        port = free_port()
        (prefix / "nginx.conf").write_text(nginx_config(port, upstream_port, prefix), encoding="utf-8")
        if os.geteuid() == 0:  # the workers (nobody) write temp files; the prefix is not root's
            for path in [prefix, *prefix.rglob("*")]:
                shutil.chown(path, "nobody", "nogroup")
        check = subprocess.run([binary, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        proc = subprocess.Popen([binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"nginx did not start: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.1)
        try:
            yield f"http://127.0.0.1:{port}", port
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


class Served(NamedTuple):
    base: str
    port: int
    pid: int


STOCK_SERVER = """
import sys, uvicorn
from assistant.api.app import create_app
from assistant.api.clients import proxy_options
from assistant.settings import Settings
settings = Settings()
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[1]), log_level="info", **proxy_options(settings))
"""


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def opc_serve(data_dir: Path, env: dict | None = None, ui: bool = False, log_path: Path | None = None,
              nofile: int | None = None, stock: bool = False) -> Iterator[Served]:
    """A real ``opc serve`` (this tree's code) on a free loopback port; yields its URL, port and pid. Its
    output (access log included) goes to ``log_path`` when given; ``nofile`` sets its descriptor limit.
    ``stock`` runs the same app under uvicorn's defaults instead (what `opc serve` did before its front
    limits), for the bench's before/after figures."""
    import sys

    from harness.servers import wait_until_ready

    port = free_port()
    full_env = {**os.environ, "OPC_DATA_DIR": str(data_dir), "OPC_RATE_LIMIT": "", "OPC_RATE_LIMIT_PER_USER": "",
                **(env or {})}
    # A file, not a pipe: a flood of log lines must never block the server.
    log = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()
    command = [sys.executable, "-c", "from assistant.cli import app; app()",
               "serve", "--ui" if ui else "--no-ui", "--port", str(port)]
    if stock:
        full_env["OPC_UI"] = "true" if ui else "false"
        command = [sys.executable, "-c", STOCK_SERVER, str(port)]

    def limit():
        if nofile:
            import resource

            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    proc = subprocess.Popen(command, env=full_env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=limit)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_ready(f"{base}/readyz", proc, timeout=240, interval=0.5)
        except AssertionError:
            log.seek(0)
            raise AssertionError(log.read()[-4000:].decode(errors="replace")) from None
        yield Served(base, port, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
