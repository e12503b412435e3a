"""Costly questions: the embedding reads a message's asks up to a token cap, and the limiter counts what questions
cost (processor time) per key or address, end user and address, as well as how many there are."""

from __future__ import annotations

import httpx
import pytest

from assistant.understanding.asks import embed_text, estimate_tokens
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


BACKGROUND_ZH = "我是一名在深圳创业的人工智能工程师，公司刚刚成立，团队只有我一个人，平时主要做大模型应用。"
LONG_ZH = BACKGROUND_ZH * 40 + "请问住房补贴每月多少钱？"


def test_the_embedding_reads_the_asks_within_the_cap(bot):
    count = bot.retriever._count
    read = bot.retriever.embed_text(LONG_ZH)
    assert read.endswith("请问住房补贴每月多少钱？") and count(read) <= bot.settings.retrieval.query_embed_tokens
    assert bot.retriever.embed_text("住房补贴每月多少钱？") == "住房补贴每月多少钱？"  # short questions: whole
    # the asks, wherever they stand; without any, the last sentences
    text = "How much is the monthly housing subsidy? " + "I worked at a big company for ten years before. " * 40
    assert embed_text(text, 40, estimate_tokens) == "How much is the monthly housing subsidy?"
    told = "I worked at a big company for ten years before. " * 40 + "I want the housing subsidy."
    assert embed_text(told, 40, estimate_tokens).endswith("I want the housing subsidy.")
    assert estimate_tokens(embed_text("x" * 5000, 64, estimate_tokens)) <= 64  # one endless sentence: its end


def test_a_long_message_is_searched_by_its_ask(bot):
    """Dense search of a message buried in background finds what its ask finds (the keywords still see it all)."""
    import numpy as np

    index = bot.retriever.index

    def nearest(text: str) -> str:
        vector = np.asarray(bot.embedder.embed_query(text), dtype=np.float32)
        return index.entries[int(np.argmax(index.vectors @ vector))].clause_id

    query = bot.retriever.make_query(LONG_ZH, "zh")
    assert index.entries[int(np.argmax(index.vectors @ query.vector))].clause_id == "sz-ai-opc-plan:m4"
    assert nearest("请问住房补贴每月多少钱？") == "sz-ai-opc-plan:m4"


@pytest.fixture(scope="module")
def flood_server(bot):
    from assistant.api import create_app

    settings = bot.settings.model_copy(update={
        "ui": False, "api_keys": [], "rate_limit": "120/minute", "rate_limit_per_user": "",
        "cost_limit": "", "cost_limit_per_user": "", "cost_limit_per_address": "300/minute",
        "trusted_proxies": ["127.0.0.1"]})
    with serve(create_app(settings, bot)) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http


def test_the_flooding_address_is_refused_once_its_budget_is_spent(flood_server):
    http = flood_server
    flooder, other = {"X-Forwarded-For": "203.0.113.7"}, {"X-Forwarded-For": "198.51.100.9"}
    statuses = []
    for n in range(40):  # well inside 120 requests a minute: only their cost counts against them
        # each ask different, as a flood meant to cost is: a repeated ask is answered from caches, cheaply
        question = f"{BACKGROUND_ZH * 40}请问第{n}号社区的住房补贴每月多少钱？"
        r = http.post("/v1/ask", headers=flooder, json={"question": question, "mode": "extractive"})
        statuses.append(r.status_code)
        if r.status_code == 429:
            break
    assert statuses[0] == 200 and statuses[-1] == 429, statuses
    body = r.json()["error"]
    assert body["code"] == "rate_limited" and "此地址" in body["message"] and "300毫秒" in body["message"]
    assert int(r.headers["Retry-After"]) >= 1 and r.headers["X-Cost-Limit"] == "300"
    en = http.post("/v1/ask", headers=flooder, json={"question": "How much is the housing subsidy?"})
    assert en.status_code == 429 and "this address" in en.json()["error"]["message"]
    # everyone else is still served, short questions and long
    ok = http.post("/v1/ask", headers=other, json={"question": "住房补贴每月多少钱？", "mode": "extractive"})
    assert ok.status_code == 200 and "1250元" in ok.json()["answer"]
    assert http.post("/v1/ask", headers=other, json={"question": LONG_ZH, "mode": "extractive"}).status_code == 200


def test_turning_rate_limits_off_turns_cost_limits_off(bot):
    from assistant.api.security import Guard

    guard = Guard(bot.settings.model_copy(update={"rate_limit": ""}))
    assert guard.costs == [] and guard.max_in_flight == 0
    assert Guard(bot.settings).costs and Guard(bot.settings).max_in_flight == 2


def test_cost_limits_are_settings_checked_at_start(bot):
    from assistant.api import create_app
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError, match="OPC_COST_LIMIT"):
        create_app(bot.settings.model_copy(update={"ui": False, "cost_limit": "lots"}), bot)


def test_an_address_has_few_questions_in_flight(llm, data_dir, bot):
    """Three slow answers at once from one address: two are answered, the third is refused at once (its
    language), and another address is served meanwhile; places are given back when answers end."""
    import threading

    from assistant import Assistant
    from assistant.api import create_app
    from assistant.settings import LLMSettings

    settings = bot.settings.model_copy(update={
        "ui": False, "api_keys": [], "rate_limit": "1000/minute", "rate_limit_per_user": "", "cost_limit": "",
        "cost_limit_per_user": "", "cost_limit_per_address": "", "trusted_proxies": ["127.0.0.1"],
        "llm": LLMSettings(base_url=llm.base_url, model="scripted", timeout=10)})
    slow = Assistant.load(settings)
    reply = llm.reply({"answered": True, "citations": [1], "answer": "每月税前1250元[1]。"})
    llm.script(*[{"delay": 2, **reply}] * 2, reply)
    flooder = {"X-Forwarded-For": "203.0.113.7"}
    with serve(create_app(settings, slow)) as url, httpx.Client(base_url=url, timeout=60) as http:
        results: list[int] = []
        threads = [threading.Thread(target=lambda: results.append(http.post(
            "/v1/ask", headers=flooder, json={"question": "住房补贴每月多少钱？", "mode": "llm"}).status_code))
            for _ in range(2)]
        for t in threads:
            t.start()
        import time

        time.sleep(1.0)  # both are waiting on the model now
        third = http.post("/v1/ask", headers=flooder, json={"question": "住房补贴每月多少钱？", "mode": "extractive"})
        assert third.status_code == 429 and "此地址已有2个问题正在回答" in third.json()["error"]["message"]
        other = http.post("/v1/ask", headers={"X-Forwarded-For": "198.51.100.9"},
                          json={"question": "住房补贴每月多少钱？", "mode": "extractive"})
        assert other.status_code == 200
        for t in threads:
            t.join(timeout=30)
        assert results == [200, 200]
        again = http.post("/v1/ask", headers=flooder, json={"question": "住房补贴每月多少钱？", "mode": "extractive"})
        assert again.status_code == 200
