"""A small error hierarchy whose messages are written for the person reading them.

Front ends translate these to exit codes (CLI) or HTTP statuses (API) at the edge only.
"""

from __future__ import annotations


class OPCError(Exception):
    """Base class for every error the assistant raises on purpose."""

    code = "opc_error"
    exit_code = 1


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


class Unauthorized(OPCError):
    """A protected call without a valid API key."""

    code = "unauthorized"
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
