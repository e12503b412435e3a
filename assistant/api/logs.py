"""Server logging with personal data and secrets redacted from every record, whoever logs it.

Besides phone numbers, ID numbers, e-mails and cards (assistant.understanding.redact), the values of secret-looking query
parameters (``?api_key=``, ``?key=``, ``?token=`` …) are masked: the API takes keys only in the
Authorization header, but a client that puts one in a URL must not find it in the access log.
"""

from __future__ import annotations

import logging
import re

from assistant.understanding.redact import redact

# Parameter names as sent, percent-encoded underscores and hyphens included (api%5Fkey).
_SEP = r"(?:_|-|%5f|%2d)?"
_SECRET_PARAM = re.compile(
    rf"(?i)([?&;](?:api{_SEP}key|apikey|key|token|access{_SEP}token|refresh{_SEP}token|id{_SEP}token|auth"
    rf"|authorization|bearer|password|passwd|pwd|secret|client{_SEP}secret|sig|signature|session{_SEP}id|sid"
    rf"|code)=)[^&\s\"'#]*")


def redact_secrets(text: str) -> str:
    """``text`` with the values of secret-looking query parameters replaced by [REDACTED]."""
    return _SECRET_PARAM.sub(r"\1[REDACTED]", text) if "=" in text else text


def _clean(text: str) -> str:
    return redact(redact_secrets(text))


class RedactingFilter(logging.Filter):
    """Rewrites each record with personal data and secret query values masked.

    A record's arguments are cleaned one by one and kept as arguments: uvicorn's access formatter unpacks
    them (client, method, path, version, status), so they cannot be folded into the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(_clean(a) if isinstance(a, str) else a for a in record.args)
            if isinstance(record.msg, str):
                record.msg = _clean(record.msg)
            return True
        message = record.getMessage()
        cleaned = _clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_redaction(*names: str) -> None:
    """Attach the filter to the named loggers (and their handlers), idempotently."""
    for name in names or ("", "assistant", "uvicorn", "uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        targets = [logger, *logger.handlers]
        for target in targets:
            if not any(isinstance(f, RedactingFilter) for f in target.filters):
                target.addFilter(RedactingFilter())
