"""A real ``redis-server`` (Debian package; ``make system-deps`` installs it) on a free loopback port, for tests.

Nothing is persisted (no RDB, no AOF): a restart starts with empty counters, like a replaced Redis host.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time

import redis

from .servers import free_port


class RedisServer:
    def __init__(self, port: int | None = None, password: str | None = None) -> None:
        self.port = port or free_port()
        self.password = password
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password, socket_timeout=2)

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed: run `make system-deps` (Debian package redis-server)"
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        if self.password:
            args += ["--requirepass", self.password]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.client().ping():
                    return self
            except redis.RedisError:
                pass
            if self.proc.poll() is not None:
                raise AssertionError(f"redis-server exited: {self.proc.stdout.read()}")
            if time.monotonic() > deadline:
                raise AssertionError("redis-server did not answer within 30 s")
            time.sleep(0.05)

    def kill(self) -> None:
        """Die at once, as a crashed or unplugged Redis would (no clean shutdown)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.kill()
