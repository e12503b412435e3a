"""Parsing untrusted documents in a worker process with memory, CPU and wall-clock limits.

The server process never parses an uploaded file itself: ``extract_sandboxed`` forks a worker (from a
forkserver that preloaded the parsers, so a fork costs milliseconds and inherits no server threads), sets
``RLIMIT_AS`` and ``RLIMIT_CPU``, runs the limit checks and the extraction there, and kills it if it overruns.
A document that exhausts the worker is refused with the limit named; the server's memory is untouched.
Like every multiprocessing start method but fork, the forkserver imports the main module: scripts that add
documents need the usual ``if __name__ == "__main__":`` guard (``opc``, uvicorn and pytest have it).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import sys
import time
from multiprocessing import forkserver

from assistant.errors import DocumentTooComplex, IngestError, OPCError
from assistant.ingest.extract import Extracted, detect_format, extract
from assistant.ingest.limits import ParseLimits, postcheck, precheck

log = logging.getLogger(__name__)
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["assistant.ingest.extract", "assistant.ingest.html", "assistant.ingest.limits", "docx", "pypdf", "bs4",
                                 "lxml.etree", "markdown_it"])


def prewarm() -> None:
    """Start the forkserver now (it preloads the parsers in the background, about a second of its own CPU), so
    the first document added after start doesn't wait for it. Not from a multiprocessing child re-importing an
    unguarded main script: that would start servers from servers."""
    # multiprocessing aliases __mp_main__ to __main__; a child re-running the main script has its own
    if sys.modules.get("__mp_main__") is sys.modules.get("__main__") and multiprocessing.parent_process() is None:
        forkserver.ensure_running()


def parse_checked(data: bytes, filename: str, content_type: str | None, limits: ParseLimits,
                  base_url: str | None = None) -> Extracted:
    """Limit checks, extraction, limit checks: what the worker runs (callable in-process for tests)."""
    precheck(data, filename, detect_format(data, filename, content_type), limits)
    extracted = extract(data, filename, content_type, base_url=base_url)
    postcheck(extracted.pages, sum(len(b.text) for b in extracted.blocks), filename, limits)
    return extracted


def _out_of_memory(exc: BaseException | None) -> bool:
    """A parser that ran out of the worker's memory may say so as MemoryError, or in its own error's words
    (libxml2: "Memory allocation failed", expat: "out of memory") wrapped in our 'damaged file' error."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, MemoryError) or "out of memory" in str(exc).lower() \
                or "memory allocation failed" in str(exc).lower():
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _worker(conn, data: bytes, filename: str, content_type: str | None, limits: ParseLimits,
            base_url: str | None = None) -> None:
    try:
        os.nice(10)  # parsing yields the CPU to answers
    except OSError:
        pass
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.timeout) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    result: tuple[str, object]
    try:
        result = ("ok", parse_checked(data, filename, content_type, limits, base_url))
    except OPCError as exc:
        # A parser that ran out of memory may have been reported as a damaged file: name the real limit.
        result = ("memory", None) if _out_of_memory(exc) else ("error", exc)
    except MemoryError:
        result = ("memory", None)
    except RecursionError:
        result = ("depth", None)
    except Exception as exc:  # a parser bug on hostile input: report it, never crash the server
        result = ("crash", f"{exc.__class__.__name__}: {exc}"[:300])
    try:
        conn.send(result)
    except Exception:
        conn.send(("crash", "unpicklable result"))
    finally:
        conn.close()


def extract_sandboxed(data: bytes, filename: str, content_type: str | None, limits: ParseLimits,
                      base_url: str | None = None) -> Extracted:
    """``parse_checked`` in a killable worker. Raises the worker's IngestError, or DocumentTooComplex naming
    the memory or time limit it ran into."""
    receive, send = _CONTEXT.Pipe(duplex=False)
    worker = _CONTEXT.Process(target=_worker, args=(send, data, filename, content_type, limits, base_url), daemon=True,
                              name="opc-parse")
    started = time.monotonic()
    worker.start()
    send.close()
    try:
        ready = receive.poll(limits.timeout)
        kind, value = receive.recv() if ready else ("timeout", None)
    except (EOFError, OSError):  # the worker died without answering: killed by its memory or CPU limit
        kind, value = ("died", worker.exitcode)
    finally:
        receive.close()
        if worker.is_alive():
            worker.kill()
        worker.join(5)
    if kind == "ok" and isinstance(value, Extracted):
        return value
    if kind == "error" and isinstance(value, OPCError):
        raise value
    log.warning("parsing %s in the sandbox: %s (%s) after %.1f s", filename, kind, value,
                time.monotonic() - started)
    if kind == "timeout" or (kind == "died" and value in (-9, -24)):  # SIGKILL / SIGXCPU
        t = f"{limits.timeout:g}"
        raise DocumentTooComplex(
            f"{filename} took longer than the {t} s parsing limit (OPC_PARSE_TIMEOUT); ordinary documents within "
            "the size limits parse in a few seconds, and a longer parse would hold up other uploads. Nothing was "
            "added.",
            translations={"zh": f"{filename} 解析时间超过 {t} 秒的上限（OPC_PARSE_TIMEOUT）：在大小限制内的普通文件几秒即可"
                                "解析完毕，更长的解析会拖慢其他上传。未添加任何内容。",
                          "zh-Hant": f"{filename} 解析時間超過 {t} 秒的上限（OPC_PARSE_TIMEOUT）：在大小限制內的普通文件幾秒"
                                     "即可解析完畢，更長的解析會拖慢其他上傳。未新增任何內容。"})
    if kind in ("memory", "died"):
        raise DocumentTooComplex(f"{filename} needs more memory than the {limits.memory_mb} MB parsing limit "
                                 "(OPC_PARSE_MEMORY_MB); nothing was added.")
    if kind == "depth":
        raise DocumentTooComplex(f"{filename} is nested too deeply to read; nothing was added.")
    raise IngestError(f"{filename} could not be read; nothing was added.")
