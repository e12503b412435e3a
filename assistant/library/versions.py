"""The index's version files: the generation folders, one small manifest per version and ``CURRENT``.

A manifest (``build-…/v000007.json``) names the segments of one version and the documents each holds,
with a hash of their content; ``CURRENT`` names the manifest in use. Every file is written under a
temporary name, fsynced and renamed in, ``CURRENT`` last, so a crash at any point leaves the previous
version answering. Old generations, manifests and segments no recent version names are pruned.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NotRequired, TypedDict

from assistant.errors import IndexUnavailable
from assistant.library import vectorstore
from assistant.library.segments import Segment
from assistant.settings import Settings

SCHEMA = 4  # bump when the entry layout, tokenisation or segment files change


class SegmentRow(TypedDict):
    """A segment as a manifest lists it."""

    id: str
    entries: int
    docs: dict[str, str]  # the documents it holds -> their content hash


class Manifest(TypedDict):
    """One version of the index (``v000007.json``)."""

    schema: int
    version: int
    digest: str  # the generation's fingerprint
    built_at: float
    embedder: str
    entries: int
    segments: list[SegmentRow]
    name: NotRequired[str]  # "<generation>/v000007.json" as CURRENT names it: added when read or written


def index_root(settings: Settings) -> Path:
    root = Path(settings.data_dir) / "index"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexUnavailable(f"Cannot create the index folder {root}: {exc.strerror}.") from None
    return root


def current_build(settings: Settings) -> str | None:
    """The version named in CURRENT (what the newest writer switched to), if any."""
    try:
        return (index_root(settings) / "CURRENT").read_text(encoding="utf-8").strip() or None
    except (FileNotFoundError, UnicodeDecodeError):
        return None


@contextmanager
def file_lock(root: Path) -> Iterator[None]:
    """One writer at a time, across processes, for what lives under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def try_file_lock(root: Path) -> Iterator[bool]:
    """``file_lock`` if it is free now, else yield False at once (a reader never waits for a writer)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_manifest(root: Path) -> Manifest | None:
    """The manifest ``CURRENT`` names, or None when there is none or it cannot be read."""
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
        manifest: Manifest = json.loads((root / name).read_text(encoding="utf-8"))  # its shape checked below
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA \
            or not isinstance(manifest.get("segments"), list):
        return None
    manifest["name"] = name
    return manifest


def segment_name(version: int) -> str:
    return f"s{version:06d}-{uuid.uuid4().hex[:8]}"


def segment_row(seg: Segment, hashes: Mapping[str, str]) -> SegmentRow:
    """A segment as its manifest lists it: id, entries and the documents it holds with their hashes."""
    docs = {d: hashes[d] for d in sorted(seg.docs) if d in hashes}
    return {"id": seg.name, "entries": len(seg.entries), "docs": docs}


def _fsynced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def write_manifest(root: Path, path: Path, version: int, digest: str,
                   segments: Sequence[tuple[Segment, SegmentRow]], embedder: object) -> Manifest:
    """Write version ``version`` of generation ``path`` and switch ``CURRENT`` to it (atomically, last)."""
    manifest: Manifest = {"schema": SCHEMA, "version": version, "digest": digest, "built_at": time.time(),
                "embedder": getattr(embedder, "name", type(embedder).__name__),
                "entries": sum(len(s.entries) for s, _ in segments), "segments": [row for _, row in segments]}
    name = f"{path.name}/v{version:06d}.json"
    tmp = path / f".v{version:06d}.json.{os.getpid()}.tmp"
    _fsynced(tmp, json.dumps(manifest, indent=1))
    os.replace(tmp, root / name)
    pointer = root / f"CURRENT.{os.getpid()}.tmp"
    _fsynced(pointer, name)
    os.replace(pointer, root / "CURRENT")  # the atomic switch to the new version
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    manifest["name"] = name
    return manifest


def prune(root: Path, path: Path, manifest_name: str, settings: Settings) -> None:
    """Remove older generations than ``path`` (keeping the newest previous one for processes that may still
    read it), and in ``path`` the manifests and segments no recent version names."""
    builds = sorted((p for p in root.glob("build-*") if p.is_dir() and p != path and not p.name.endswith(".tmp")),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in builds[1:]:
        vectorstore.drop(settings, old)
        shutil.rmtree(old, ignore_errors=True)
    for tmp in root.glob("build-*.tmp"):
        if tmp.stat().st_mtime < time.time() - 3600:
            shutil.rmtree(tmp, ignore_errors=True)
    manifests = sorted(path.glob("v*.json"))
    live = {manifest_name.split("/")[-1]} | {m.name for m in manifests[-3:]}
    named: set[str] = set()
    for m in manifests:
        if m.name in live:
            try:
                named |= {s["id"] for s in json.loads(m.read_text(encoding="utf-8"))["segments"]}
            except (OSError, ValueError, KeyError):
                pass
        else:
            m.unlink(missing_ok=True)
    for seg in (path / "segments").iterdir():
        if seg.name not in named and not seg.name.startswith("."):
            shutil.rmtree(seg, ignore_errors=True)
