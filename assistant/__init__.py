"""OPC Policy Assistant: cited, bilingual answers about Shenzhen's AI OPC action plan (2026–2027).

    from assistant import Assistant
    bot = Assistant.load()
    print(bot.ask("住房补贴每月多少钱？").answer)
"""

from assistant.errors import (
                              ConfigError,
                              CorpusError,
                              IndexUnavailable,
                              IngestError,
                              InvalidFeedback,
                              InvalidQuestion,
                              InvalidSessionId,
                              NotFound,
                              OPCError,
)
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.types import Answer, Citation, ClauseRef, DocumentInfo, Feedback, Turn

__all__ = [
    "Answer", "Assistant", "Citation", "ClauseRef", "ConfigError", "CorpusError", "DocumentInfo",
    "Feedback", "IndexUnavailable", "IngestError", "InvalidFeedback", "InvalidQuestion", "InvalidSessionId", "NotFound", "OPCError", "Settings", "Turn",
]
