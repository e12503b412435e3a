"""Serve the chat page alone: ``python -m ui [--host 127.0.0.1] [--port 7860]``.

The full app (``opc serve``) mounts the same page at "/" beside the HTTP API; this is for trying
the page on its own. Settings come from the OPC_* environment as everywhere else.
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI

from assistant import Assistant, Settings
from ui.chat import mount_ui


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ui", description="Serve the OPC chat page.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    args = parser.parse_args()
    bot = Assistant.load(Settings())
    uvicorn.run(mount_ui(FastAPI(title="OPC Policy Assistant"), bot, path="/"), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
