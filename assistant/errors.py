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

    def __init__(self, *args: object, translations: dict[str, str] | None = None, reader: str | None = None) -> None:
        super().__init__(*args)
        self.translations = dict(translations or {})
        self.reader = reader  # the language the person who caused it writes (their question's), when known

    def __reduce__(self) -> tuple[Any, ...]:  # keeps the translations across the parsing sandbox's pipe
        return (_rebuild, (type(self), self.args, self.__dict__))

    def in_language(self, lang: str | None) -> str:
        """The message for a reader of ``lang``: its own translation, else (Chinese readers) the general
        sentence for its kind of error with the English detail after it, never English alone."""
        lang = lang or "en"
        if lang == "en":
            return str(self)
        own = self.translations.get(lang) or (_hant(self.translations["zh"]) if lang == "zh-Hant"
                                              and "zh" in self.translations else None)
        if own:
            return own
        general = GENERAL.get(self.code) or GENERAL["opc_error"]
        general = _hant(general) if lang == "zh-Hant" else general
        return f"{general}（{str(self)}）" if str(self) else general


def _hant(text: str) -> str:
    from assistant.understanding.text import for_reader  # text imports this module

    return for_reader(text)


def chinese(zh: str) -> dict[str, str]:
    """``translations=`` for a Simplified message: the Traditional one is derived (Taiwan's standard forms)."""
    return {"zh": zh, "zh-Hant": _hant(zh)}


# What each kind of error means, in Chinese: said first when the specific message has no translation.
GENERAL = {
    "opc_error": "请求无法完成。",
    "invalid_question": "无法处理这个问题，请检查后重试。",
    "corpus_error": "政策资料有误，请联系管理员。",
    "config_error": "设置有误，无法完成请求。",
    "index_unavailable": "检索索引暂不可用，请稍后再试。",
    "not_found": "找不到请求的内容。",
    "invalid_session_id": "对话编号无效。",
    "invalid_feedback": "反馈内容无效。",
    "invalid_profile": "填写的情况有误，请检查后重试。",
    "unauthorized": "需要有效的 API 密钥。",
    "forbidden": "此密钥无权执行该操作。",
    "rate_limited": "请求太频繁，请稍后再试。",
    "invalid_dataset": "评测数据无效。",
    "ingest_error": "文件无法添加，未做任何更改。",
    "document_too_large": "文件太大，未做任何更改。",
    "duplicate_document": "该文件已存在。",
    "unsupported_document": "不支持这种文件格式。",
    "protected_document": "文件受密码保护，无法读取。",
    "storage_full": "服务器存储空间已满，请稍后再试。",
    "database_unavailable": "数据库暂不可用，请稍后再试。",
    "busy": "服务繁忙，请稍后再试。",
    "invalid_user_id": "用户编号无效。",
    "too_large": "文件太大，未做任何更改。",
    "duplicate": "该文件已存在。",
    "unsupported_type": "不支持这种文件格式。",
    "encrypted": "文件已加密，无法读取。",
    "no_text": "文件中没有可读取的文字。",
    "corrupt": "文件已损坏，无法读取。",
    "empty_document": "文件是空的。",
    "fetch_failed": "无法下载该文件。",
}


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

    def __init__(self, message: str, retry_after: int, headers: dict[str, str] | None = None,
                 translations: dict[str, str] | None = None) -> None:
        super().__init__(message, translations=translations)
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
