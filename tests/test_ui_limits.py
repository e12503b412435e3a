"""The chat page's own endpoints (called as a script would, with gradio_client) obey the API's rate limits."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from gradio_client import Client

from harness.servers import serve, ui_app

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


Q = "住房补贴每月多少钱？"


def _asked(client: Client) -> bool:
    """True when the page answered; a limited ask leaves the chat empty and the question in the box."""
    history, textbox = client.predict(Q, None, api_name="/ask")
    return bool(history) and textbox == ""


def test_page_and_api_share_per_address_and_per_browser_limits(bot):
    with serve(ui_app(bot, rate_limit="4/minute", rate_limit_per_user="2/minute")) as url:
        first_tab = Client(url + "/", verbose=False)
        assert [_asked(first_tab) for _ in range(3)] == [True, True, False]  # 2 per browser session
        second_tab = Client(url + "/", verbose=False)  # a new browser session from the same address
        assert [_asked(second_tab) for _ in range(2)] == [True, False]  # every attempt counts: the address's 4 are spent
        # The API without keys counts per address too: the same budget, already used by the page.
        r = httpx.post(f"{url}/v1/ask", json={"question": Q})
        assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"


def test_page_conversations_are_bound_to_the_browser_session(bot):
    with serve(ui_app(bot)) as url:
        tab = Client(url + "/", verbose=False)
        tab.predict(Q, None, api_name="/ask")
        # The id never leaves the server (gr.State); the stored conversation's owner is this tab's session.
        owner = hashlib.sha256(f"page:{tab.session_hash}".encode()).hexdigest()
        from sqlalchemy import text

        count = bot.db.run(lambda c: c.execute(text("SELECT COUNT(*) FROM sessions WHERE owner = :o"),
                                               {"o": owner}).scalar())
        assert count == 1
