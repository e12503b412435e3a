"""The HTTP API (FastAPI) and the chat page, served by ``opc serve``."""

from assistant.api.app import create_app

__all__ = ["create_app"]
