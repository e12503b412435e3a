"""Conversations and feedback: sessions, retention, 👍/👎 on answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.errors import NotFound, StorageFull
from assistant.store.database import open_database
from assistant.store.feedback import FeedbackStore
from assistant.store.sessions import LOCAL_OWNER, NO_SUCH_SESSION, SessionStore
from assistant.store.sessions import purge_expired as purge_stores
from assistant.store.storage import STORAGE_FULL, is_storage_error
from assistant.types import Feedback, Turn

if TYPE_CHECKING:  # the facade imports this module
    from assistant.service import Assistant
    from assistant.settings import Settings


class ConversationService:
    """Sessions and feedback over the ``Assistant``'s stores."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot

    # --- conversations -----------------------------------------------------------------------
    def new_session(self, owner: str = LOCAL_OWNER) -> str:
        """Start a conversation for ``owner`` (the server picks the id; clients never do)."""
        return self.bot.sessions.create(owner)

    def session(self, session_id: str, owner: str = LOCAL_OWNER) -> list[Turn]:
        """The turns of ``owner``'s conversation, oldest first (NotFound if it has none or is not theirs)."""
        return self.bot.sessions.get(session_id, owner)

    def delete_session(self, session_id: str, owner: str | None = LOCAL_OWNER, must_exist: bool = False) -> bool:
        """Forget ``owner``'s conversation (``owner=None``: anyone's, for admins). False if there was none
        (``must_exist``: NotFound instead)."""
        if not self.bot.sessions.delete(session_id, owner):
            if must_exist:
                raise NotFound(NO_SUCH_SESSION)
            return False
        return True

    def purge(self, days: float | None = None) -> dict[str, int]:
        """Delete conversations idle, and answers and feedback older, than ``days`` (OPC_RETENTION_DAYS)."""
        return purge_stores(self.bot.sessions, self.bot.feedback_store,
                            self.bot.settings.retention_days if days is None else days)

    @staticmethod
    def purge_database(settings: Settings, days: float | None = None) -> dict[str, int]:
        """``purge`` straight on the configured database, without opening the index (the CLI's purge)."""
        db = open_database(settings)
        return purge_stores(SessionStore(db), FeedbackStore(db), settings.retention_days if days is None else days)

    # --- feedback -------------------------------------------------------------------------------
    def feedback(self, answer_id: str, useful: bool, comment: str | None = None, source: str = "api") -> Feedback:
        """Store a 👍/👎 (and optional comment) on an answer this assistant gave (NotFound otherwise)."""
        try:
            return self.bot.feedback_store.add(answer_id, useful, comment, source)
        except Exception as exc:
            if is_storage_error(exc):
                raise StorageFull(STORAGE_FULL) from None
            raise

