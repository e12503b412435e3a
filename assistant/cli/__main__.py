"""`python -m assistant.cli`, as the docs and the gates run it."""

from assistant.cli.main import main

main()
