"""The golden set against a deployed server: ``opc eval --url URL --key KEY`` asks its /v1/chat over HTTP.

The server's answers are checked as the local ones are; clause texts come from the built-in corpus here. The
server does not expose its search ranking, so retrieval recall is measured on the answer's cited clauses.
Give a key with the ``eval`` scope: a full run is hundreds of requests, more than an end user's limit."""

from __future__ import annotations

from types import SimpleNamespace

import httpx

from assistant.errors import ConfigError, IndexUnavailable, InvalidQuestion, NotFound, OPCError, RateLimited
from assistant.knowledge.corpus import load_corpus
from assistant.library.embed import make_embedder
from assistant.types import Answer


class RemoteAssistant:
    """Just what the evaluation asks of an ``Assistant``, over HTTP."""

    def __init__(self, url: str, key: str | None, settings, timeout: float = 120.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"--url must be the server's address, e.g. https://opc.example.com (got {url!r}).")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.http = httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout)
        self.settings = settings
        self.corpus = load_corpus(settings.corpus_dir)

        self.embedder = make_embedder(settings) if settings.eval.configured else None  # the judge's metrics
        self.retriever = SimpleNamespace(search=self._no_ranking)
        self._cited: list[str] = []
        self._check()

    def _check(self) -> None:
        try:
            r = self.http.get("/healthz")
        except httpx.HTTPError as exc:
            raise ConfigError(f"Cannot reach {self.http.base_url}: {exc}.") from None
        if r.status_code >= 500:
            raise IndexUnavailable(f"{self.http.base_url} is not healthy (HTTP {r.status_code}).")

    def _no_ranking(self, question: str, lang: str, *args):
        # The last answer's citations stand for the ranking (see the module's note).
        return SimpleNamespace(hits=[SimpleNamespace(clause_id=c) for c in self._cited])

    def new_session(self) -> None:
        return None  # the server assigns the id with the first turn

    def delete_session(self, session_id: str) -> None:
        self.http.delete(f"/v1/sessions/{session_id}")

    def add_document(self, *args, **kwargs):
        raise ConfigError("A suite with its own documents cannot run against --url: add them to the server first.")

    def ask(self, question: str, session_id: str | None = None, mode: str | None = None, **_) -> Answer:
        r = self.http.post("/v1/chat", json={"question": question, "session_id": session_id, "mode": mode})
        if r.status_code == 200:
            answer = Answer.model_validate(r.json())
            self._cited = [c.clause_id for c in answer.citations]
            return answer
        try:
            error = r.json()["error"]
        except (ValueError, KeyError, TypeError):
            error = {"code": "http_error", "message": r.text[:200]}
        message = f"{self.http.base_url} answered HTTP {r.status_code}: {error.get('message')}"
        if r.status_code == 422 and error.get("code") == "invalid_question":
            raise InvalidQuestion(error.get("message", ""))
        if r.status_code == 429:
            raise RateLimited(message + " (use a key with the 'eval' scope)",
                              retry_after=int(r.headers.get("Retry-After", "1")))
        if r.status_code == 404:
            raise NotFound(message)
        raise OPCError(message)
