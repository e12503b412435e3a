"""What a start does before answering: undo interrupted document changes, bring the folders to the database,
and make sure the corpus answered from holds every document the database holds."""

from __future__ import annotations

import logging

from assistant.knowledge.corpus import Corpus, load_corpus
from assistant.library.embed import DocumentEmbedder
from assistant.library.index import SearchIndex
from assistant.settings import Settings
from assistant.store.database import Database

log = logging.getLogger(__name__)


def recover_documents(settings: Settings, db: Database) -> None:
    """Undo document changes a killed process left half-done, then make the folders the database's documents
    (carrying over folders made before the database), before the corpus is read."""
    from assistant.ingest import store

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
    from assistant.ingest import store
    from assistant.store.documents import stored_ids

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
            from assistant.store.documents import materialise as pull

            pull(db, root, since=-1)
        corpus = load_corpus(settings.corpus_dir, root)
        index = SearchIndex.open_or_build(settings, corpus, embedder, reuse=index)
    return corpus, index
