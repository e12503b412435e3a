"""The services behind the ``Assistant`` facade: asking, conversations, the library."""

from assistant.services.conversations import ConversationService
from assistant.services.library import LibraryService
from assistant.services.questions import QuestionService

__all__ = ["ConversationService", "LibraryService", "QuestionService"]
