"""A small error hierarchy whose messages are written for the person reading them.

Front ends translate these to exit codes (CLI) or HTTP statuses (API) at the edge only.
"""

from __future__ import annotations

from typing import Any


class OPCError(Exception):
    """Base class for every error the assistant raises on purpose. ``translations``: the message in other
    languages ("zh", "zh-Hant"), for front ends that know the reader's (the API: Accept-Language)."""

    code = "opc_error"
    exit_code = 1

    def __init__(self, *args: object, translations: dict[str, str] | None = None) -> None:
        super().__init__(*args)
        self.translations = dict(translations or {})

    def __reduce__(self) -> tuple[Any, ...]:  # keeps the translations across the parsing sandbox's pipe
        return (_rebuild, (type(self), self.args, self.__dict__))

    def in_language(self, lang: str | None) -> str:
        return self.translations.get(lang or "en") or str(self)


def _rebuild(cls: type[OPCError], args: tuple[Any, ...], state: dict[str, Any]) -> OPCError:
    exc = cls.__new__(cls)
    Exception.__init__(exc, *args)
    exc.__dict__.update(state)
    return exc


class InvalidQuestion(OPCError, ValueError):
    """The question cannot be processed as given (empty, too long, binary, ...)."""

    code = "invalid_question"
    exit_code = 2


class CorpusError(OPCError, ValueError):
    """A corpus file is missing, malformed or inconsistent."""

    code = "corpus_error"
    exit_code = 3


class ConfigError(OPCError, ValueError):
    """A setting has a value the assistant cannot use."""

    code = "config_error"
    exit_code = 4


class IndexUnavailable(OPCError):
    """The search index could not be opened or built."""

    code = "index_unavailable"
    exit_code = 5


class NotFound(OPCError, LookupError):
    """A named clause, document or session does not exist."""

    code = "not_found"
    exit_code = 6


class InvalidSessionId(OPCError, ValueError):
    """A conversation id that cannot be used."""

    code = "invalid_session_id"
    exit_code = 2


class InvalidFeedback(OPCError, ValueError):
    """Feedback that cannot be stored as given."""

    code = "invalid_feedback"
    exit_code = 2


class InvalidProfile(OPCError, ValueError):
    """A founder profile with an impossible or unknown value."""

    code = "invalid_profile"
    exit_code = 2


class Unauthorized(OPCError):
    """A protected call without a valid API key."""

    code = "unauthorized"
    exit_code = 7


class Forbidden(OPCError):
    """A valid API key without the scope the call needs (e.g. an ``ask`` key adding documents)."""

    code = "forbidden"
    exit_code = 7


class RateLimited(OPCError):
    """Too many requests in the current window; ``retry_after`` says when to try again."""

    code = "rate_limited"
    exit_code = 8

    def __init__(self, message: str, retry_after: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.headers = headers or {}


class InvalidDataset(OPCError, ValueError):
    """An evaluation dataset, settings override or baseline file that cannot be used."""

    code = "invalid_dataset"
    exit_code = 2


class IngestError(OPCError, ValueError):
    """A document could not be added (or removed); nothing was changed."""

    code = "ingest_error"
    exit_code = 7


class UnsupportedDocument(IngestError):
    """A file type the assistant cannot read."""

    code = "unsupported_type"


class DocumentTooLarge(IngestError):
    """A file or download over the size limit (OPC_MAX_DOCUMENT_MB)."""

    code = "too_large"


class EncryptedDocument(IngestError):
    """A password-protected file."""

    code = "encrypted"


class NoExtractableText(IngestError):
    """A scanned document without a text layer (no OCR here)."""

    code = "no_text"


class CorruptDocument(IngestError):
    """A file that claims a format but cannot be parsed as it."""

    code = "corrupt"


class EmptyDocument(IngestError):
    """A readable document with no text in it."""

    code = "empty_document"


class FetchFailed(IngestError):
    """A URL that could not be fetched as a document (unreachable, timeout, 404, error page, wrong type)."""

    code = "fetch_failed"


class DuplicateDocument(IngestError):
    """The same content (by hash) is already in the corpus."""

    code = "duplicate"


class ProtectedDocument(IngestError):
    """A built-in document, which cannot be removed or replaced."""

    code = "protected_document"


class AddressNotAllowed(FetchFailed):
    """A URL whose host is not a public web server (or not a URL at all): the SSRF guard refused it."""

    code = "address_not_allowed"


class DocumentTooComplex(IngestError):
    """A document over a parsing limit (nesting depth, pages, text length, memory or time)."""

    code = "too_complex"


class StorageFull(OPCError):
    """The data directory has no room (or is not writable): nothing was changed."""

    code = "storage_full"
    exit_code = 5


class Busy(OPCError):
    """Too much work of one kind is already queued (e.g. document uploads); try again shortly."""

    code = "busy"
    exit_code = 5


class LimitsUnavailable(Busy):
    """The shared rate-limit counters (Redis) cannot be reached and the server is set to fail closed."""

    code = "rate_limit_unavailable"


class DatabaseUnavailable(OPCError):
    """The database (OPC_DATABASE_URL) cannot be reached, refuses the credentials, or stopped answering."""

    code = "database_unavailable"
    exit_code = 5
