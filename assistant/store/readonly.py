"""Starting on a full or read-only data disk: serve what was acknowledged, refuse writes, never fail to start.

Every document a 201 acknowledged is in the database and in an index version ``CURRENT`` names (both written
and synced before the answer). So a process that cannot write its data directory opens that version read-only
(no lock file, no Chroma client, no rebuild) and the documents it holds: from their cached folders, or, when a
folder is missing or stale (the cache could not be rewritten on a full disk), from the database into a
temporary folder outside the data directory. Writes are then refused with the usual 507 until a restart on a
disk with room; ``/healthz`` and ``/readyz`` say read-only and why.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import IndexUnavailable, StorageFull
from assistant.knowledge.corpus import Corpus, load_corpus
from assistant.library.index import SearchIndex, load_version
from assistant.settings import Settings
from assistant.store.documents import document_rows, files_digest, folder_files, stored_files
from assistant.store.storage import STORAGE_FULL, writable_problem

if TYPE_CHECKING:
    from assistant.store.database import Database

log = logging.getLogger(__name__)

READ_ONLY = {
    "zh": "服务器的数据盘已满或只读，当前以只读方式运行：可以提问，但不能添加或删除文件。请释放空间后重启服务。",
    "zh-Hant": "伺服器的資料磁碟已滿或唯讀，目前以唯讀方式運行：可以提問，但不能新增或刪除文件。請釋放空間後重新啟動服務。",
    "en": "The server's data disk is full or read-only, so it runs read-only: questions are answered, but documents "
          "cannot be added or removed. Free space and restart the service.",
}


def read_only_reason(data_dir: Path) -> str | None:
    """Why the data directory cannot be written (None: it can, or it does not exist yet and will be made)."""
    if not Path(data_dir).exists():
        return None
    return writable_problem(Path(data_dir))


def open_read_only(settings: Settings, db: Database, reason: str) -> tuple[Corpus, SearchIndex]:
    """The index version ``CURRENT`` names and exactly the documents it holds, without writing anything."""
    log.warning("starting read-only: %s; answering from the index as it is, document changes refused", reason)
    try:
        index = load_version(settings)
    except Exception as exc:
        raise IndexUnavailable(f"The data disk is full or read-only and the index there cannot be read "
                               f"({exc.__class__.__name__}); free space and start again.") from exc
    if index is None:
        raise IndexUnavailable("The data disk is full or read-only and holds no index yet; free space and start "
                               "again (the index is built at the first start).")
    index.notice = None
    root = Path(settings.data_dir) / "documents"
    wanted = set(index.docs)
    spare = _from_database(db, root, wanted) if wanted else None
    corpus = load_corpus(settings.corpus_dir, spare or root, only=wanted)
    return corpus, index


def _from_database(db: Database, root: Path, wanted: set[str]) -> Path | None:
    """When a document the index holds has no cached folder, or not the database's (the cache could not be
    rewritten on a full disk): every stored document written from the database to a temporary folder (outside
    the full disk), to load instead of the cache. None when the cache is right."""
    try:
        rows = document_rows(db, wanted)
    except Exception as exc:  # the database is on the same full disk and cannot be read: the cache it is
        log.warning("read-only start: stored documents not read from the database (%s); using the cache", exc)
        return None
    stale = [d for d, digest in rows.items() if not (root / d / "document.yaml").is_file()
             or files_digest(folder_files(root / d)) != digest]
    if not stale:
        return None
    spare = Path(tempfile.mkdtemp(prefix="opc-read-only-"))
    for doc_id in rows:
        (spare / doc_id).mkdir()
        for name, data in stored_files(db, doc_id).items():
            (spare / doc_id / name).write_bytes(data)
    log.warning("read-only start: the cache lacks %d document(s) (%s); all read from the database", len(stale),
                ", ".join(stale))
    return spare


def writes_refused(bot: object) -> None:
    """Raise the 507 a read-only process gives every document change."""
    if getattr(bot, "read_only", None):
        raise StorageFull(STORAGE_FULL + " (The server started read-only: restart it once there is room.)")


