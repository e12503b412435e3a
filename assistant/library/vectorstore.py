"""The Chroma store of a generation: every entry's vector with whose policy it is, upserted and deleted by
document. Embedded on disk inside the generation folder, or on the Chroma server ``OPC_CHROMA_URL`` names
(one collection per generation there, so a new build never disturbs the one in use)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Set
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from assistant.errors import IndexUnavailable
from assistant.library.segments import Segment
from assistant.settings import Settings
from assistant.types import Document

if TYPE_CHECKING:  # chromadb takes seconds to import: only its types here
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from assistant.knowledge.corpus import Corpus

COLLECTION = "opc_entries"
CLIENTS = threading.Lock()  # opening and closing embedded Chroma clients, one at a time


def open_client(settings: Settings, build: Path) -> ClientAPI:
    """The embedded on-disk store inside the build folder, or the Chroma server named by OPC_CHROMA_URL."""
    # imported here: chromadb takes about 2 s (400+ modules) to import; loaded when a store is opened
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma = ChromaSettings(anonymized_telemetry=False)
    if not settings.chroma_url:
        return chromadb.PersistentClient(path=str(build / "chroma"), settings=chroma)
    url = urlsplit(settings.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise IndexUnavailable(f"OPC_CHROMA_URL must look like http://host:port, not {settings.chroma_url!r}.")
    try:
        return chromadb.HttpClient(host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                                   ssl=url.scheme == "https", settings=chroma)
    except Exception as exc:
        raise IndexUnavailable(f"Cannot reach the Chroma server at {settings.chroma_url} ({exc}).") from None


def _collection_name(settings: Settings, build: Path) -> str:
    # On a shared server every build gets its own collection, so a new build never disturbs the one in use.
    return f"opc-{build.name.removesuffix('.tmp')}" if settings.chroma_url else COLLECTION


def close_client(client: ClientAPI) -> None:
    try:
        # callers hold CLIENTS (see store); chromadb's ClientAPI type omits the close() its clients have
        client.close()  # type: ignore[attr-defined]
    except Exception:  # an HTTP client, or already closed
        pass


@contextmanager
def store(settings: Settings, build: Path, *, create: bool = True) -> Iterator[Collection]:
    """The generation's Chroma collection, on a client opened for this use and closed after it, all under
    ``CLIENTS``: chromadb's per-path system cache is not thread-safe (a request reading the store while the
    writer opened or closed a client on the same path lost the cache entry: KeyError, the intermittent 500),
    and a client left open per add/remove leaked its system's memory. One client at a time, never kept."""
    with CLIENTS:
        client = open_client(settings, build)
        try:
            name = _collection_name(settings, build)
            # reads never create (nor write: a readiness probe on a full disk must report the disk, not this)
            yield client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"}) if create \
                else client.get_collection(name)
        finally:
            close_client(client)


def drop(settings: Settings, build: Path) -> None:
    """Remove a generation's collection from a Chroma server (an embedded store goes with its folder)."""
    if not settings.chroma_url:
        return
    try:
        open_client(settings, build).delete_collection(_collection_name(settings, build))
    except Exception:  # absent already, or the server is gone: nothing to clean
        pass


def whose(doc: Document) -> dict[str, str]:
    """What every entry of a document carries in the store: whose policy it is and while it is valid."""
    return {"doc_id": doc.id, "authority": doc.authority, "doc_type": doc.doc_type,
            "issuer": doc.issuer.get("zh") or doc.issuer.get("en") or "", "jurisdiction": doc.jurisdiction or "",
            "level": doc.level or "", "effective_date": doc.effective_date or "", "valid_until": doc.valid_until or ""}


def upsert(collection: Collection, segment: Segment, docs: Set[str], corpus: Corpus) -> None:
    """Put the vectors of ``docs`` (from ``segment``) in Chroma, replacing any earlier ones of the same documents."""
    owners = {d: whose(corpus.document(d)) for d in docs}
    for doc in sorted(docs):
        collection.delete(where={"doc_id": doc})  # leftovers of a crashed attempt or an older version
    rows = [i for i, e in enumerate(segment.entries) if e.doc_id in docs]
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        collection.upsert(ids=[segment.entries[i].key for i in chunk], embeddings=segment.vectors[chunk].tolist(),
                          documents=[segment.entries[i].text for i in chunk],
                          metadatas=[{"clause_id": segment.entries[i].clause_id, "lang": segment.entries[i].lang,
                                      "kind": segment.entries[i].kind, **owners[segment.entries[i].doc_id]}
                                     for i in chunk])
