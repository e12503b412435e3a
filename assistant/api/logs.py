"""Server logging with personal data redacted from every record, whoever logs it."""

from __future__ import annotations

import logging

from assistant.understanding.redact import redact


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with phone numbers, ID numbers, emails and cards masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
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
