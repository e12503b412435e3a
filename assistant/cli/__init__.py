"""The `opc` command line (typer): a thin front end over `Assistant`."""

from assistant.cli.main import app, main

__all__ = ["app", "main"]
