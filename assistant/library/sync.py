"""Following the shared corpus: a host whose documents are behind the database's corpus version
rewrites the changed folders from the database and brings its index to them before answering again.

With a Chroma server (OPC_CHROMA_URL), the changed documents' vectors are usually there already: every build
of the same generation (the collections named ``opc-build-<digest>-…``, the digest being the built-in corpus
and index settings) holds vectors made by the same embedder, so a vector found there for an entry's text
is exactly what embedding it here would give. Only texts found nowhere are embedded: two hosts do not both
embed the same document.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict

import numpy as np

from assistant.ingest import store
from assistant.knowledge.corpus import Corpus, load_corpus
from assistant.library.embed import DocumentEmbedder
from assistant.library.index import SearchIndex
from assistant.library.vectorstore import CLIENTS, close_client, open_client
from assistant.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Reusing:
    """An embedder that takes the vectors of texts already embedded elsewhere, and embeds only the rest."""

    embedder: DocumentEmbedder
    known: dict[str, np.ndarray]
    embedded: int = field(default=0)
    reused: int = field(default=0)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in texts if t not in self.known]
        fresh = dict(zip(missing, self.embedder.embed_documents(missing))) if missing else {}
        self.embedded += len(missing)
        self.reused += len(texts) - len(missing)
        return [list(self.known[t]) if t in self.known else fresh[t] for t in texts]

    def __getattr__(self, name: str) -> Any:  # the rest of the embedder's interface (its name), passed through
        return getattr(self.embedder, name)


class Followed(TypedDict):
    """What following the shared corpus did."""

    version: int  # the corpus version the folders were brought to
    changed: list[str]  # the documents changed
    reused: int  # vectors taken from the Chroma server
    embedded: int  # texts embedded here


def shared_vectors(settings: Settings, index: SearchIndex, doc_ids: list[str]) -> dict[str, np.ndarray]:
    """Text → vector of ``doc_ids``' entries from every collection of this generation on the Chroma server
    ({} without a server, or when it cannot be read: the documents are then embedded here)."""
    if not settings.chroma_url or not doc_ids:
        return {}
    prefix = f"opc-build-{index.digest[:12]}-"
    found: dict[str, np.ndarray] = {}
    try:
        with CLIENTS:
            client = open_client(settings, index.path)
            try:
                for collection in client.list_collections():
                    if not collection.name.startswith(prefix) or collection.name.endswith(".tmp"):
                        continue
                    among: dict[Literal["$in", "$nin"], list[str | int | float | bool]] = {"$in": list(doc_ids)}
                    got = collection.get(where={"doc_id": among},
                                         include=["embeddings", "documents"])
                    for text, vector in zip(got["documents"] or [], got["embeddings"] if got["embeddings"] is not None else []):
                        found.setdefault(text, np.asarray(vector, dtype=np.float32))
            finally:
                close_client(client)
    except Exception as exc:  # the vectors are a saving, never a requirement
        log.warning("shared vectors not read from the Chroma server (%s: %s); embedding here", type(exc).__name__, exc)
        return {}
    return found


def follow_corpus(settings: Settings, root: Path, index: SearchIndex,
                  embedder: DocumentEmbedder) -> tuple[Corpus, SearchIndex, Followed]:
    """Under the documents lock: the folders brought to the database, the corpus read and the index made to
    match (only changed documents are indexed); (corpus, index, what was done: version, changed, vectors
    reused and embedded)."""
    version, changed = store.materialise(root)
    corpus = load_corpus(settings.corpus_dir, root)
    reusing = Reusing(embedder, shared_vectors(settings, index, changed))
    new = SearchIndex.open_or_build(settings, corpus, reusing, reuse=index)
    new.notice = None
    log.warning("followed the shared corpus to version %d (%d document(s) changed: %s); vectors reused from the "
                "Chroma server: %d, embedded here: %d", version, len(changed), ", ".join(changed) or "none",
                reusing.reused, reusing.embedded)
    return corpus, new, {"version": version, "changed": changed, "reused": reusing.reused,
                         "embedded": reusing.embedded}
