"""What a start does before answering: undo interrupted document changes, bring the folders to the database,
and make sure the corpus answered from holds every document the database holds.

A storage error while starting (a full or read-only disk) makes the start read-only: it answers from the
index version ``CURRENT`` names and exactly its documents. After a crash mid-batch that version lacks every
document the batch had committed, so a read-only start lists fewer documents than the database holds (all of
them, when the batch was the first). A storage-like error on a disk that can still be written — a transient
I/O or "readonly database" error from a store reopened after a ``kill -9`` — is therefore not taken for a full
disk: the start is tried again, and goes read-only only if the disk cannot be written, or the error repeats."""

from __future__ import annotations

import logging

from assistant.ingest import store
from assistant.knowledge.corpus import Corpus, load_corpus
from assistant.library.embed import DocumentEmbedder
from assistant.library.index import Progress, SearchIndex
from assistant.settings import Settings
from assistant.store.database import Database
from assistant.store.documents import materialise as pull
from assistant.store.documents import stored_ids
from assistant.store.storage import is_storage_error, writable_problem

log = logging.getLogger(__name__)


def recover_documents(settings: Settings, db: Database) -> None:
    """Undo document changes a killed process left half-done, then make the folders the database's documents
    (carrying over folders made before the database), before the corpus is read."""
    root = store.documents_root(settings.data_dir)
    store.use_database(root, db)
    with store.locked(root):
        undone = store.recover(root)
        carried = store.sync(root)
    if undone:
        log.warning("rolled back %d document change(s) interrupted before they were answered", undone)
    if carried:
        log.warning("carried %d document(s) over into the database: %s", len(carried), ", ".join(carried))


def match_database(settings: Settings, db: Database, corpus: Corpus, index: SearchIndex, embedder: DocumentEmbedder,
                    tries: int = 3) -> tuple[Corpus, SearchIndex]:
    """Start only from a corpus holding every document the database holds: a start must never answer (and
    list) fewer documents than were acknowledged. A document committed after the folders were read (a writer
    on another host, or a commit that became visible late) is fetched and indexed before the port opens."""
    root = store.documents_root(settings.data_dir)
    for _ in range(tries):
        missing = stored_ids(db) - {d.id for d in corpus.documents if d.authority == "document"}
        if not missing:
            break
        log.warning("the database holds %d document(s) the folders lacked at start (%s); fetching them",
                    len(missing), ", ".join(sorted(missing)[:10]))
        with store.locked(root):
            store.materialise(root)
            # a folder written without its mark (a crash between the two) is rewritten from the database too

            pull(db, root, since=-1)
        corpus = load_corpus(settings.corpus_dir, root)
        index = SearchIndex.open_or_build(settings, corpus, embedder, reuse=index)
    return corpus, index


def start_writable(settings: Settings, db: Database, embedder: DocumentEmbedder, *, rebuild: bool = False,
                   progress: Progress | None = None, tries: int = 2) -> tuple[Corpus, SearchIndex] | str:
    """Recover, sync, open (or build) the index and match the database: (corpus, index); or, when the disk
    fills or turns read-only meanwhile, why, for a read-only start. A storage error on a disk that can still be
    written is tried again first (see the module's docstring)."""
    attempt = 0
    while True:
        attempt += 1
        try:
            recover_documents(settings, db)
            corpus = load_corpus(settings.corpus_dir, settings.data_dir / "documents")
            index = SearchIndex.open_or_build(settings, corpus, embedder, rebuild=rebuild, progress=progress)
            return match_database(settings, db, corpus, index, embedder)
        except Exception as exc:
            if not is_storage_error(exc):
                raise
            if attempt < tries and writable_problem(settings.data_dir) is None:
                log.warning("a storage error while starting, but the data directory can be written: starting "
                            "again (%s: %s)", type(exc).__name__, exc)
                continue
            reason = "the data directory filled up while starting"
            log.warning("%s (%s: %s); answering read-only from the index as it is: documents the database holds "
                        "beyond it are served after a start with room", reason, type(exc).__name__, exc)
            return reason
