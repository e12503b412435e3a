"""Every error a reader can see, in their language: the question's own, else Accept-Language; Simplified,
Traditional (Taiwan's standard forms) or English. Through the API (a real server on loopback) and the chat page."""

from __future__ import annotations

import re

import httpx
import pytest

from assistant import Settings
from assistant.api import create_app
from assistant.errors import InvalidQuestion
from harness.servers import serve

pytestmark = pytest.mark.system

CJK = re.compile(r"[\u4e00-\u9fff]")
LONG_ZH = "住房补贴每月多少" * 275  # 2,200 characters
LONG_HANT = "住房補貼每月多少" * 275
HEADERS = {"zh": {"Accept-Language": "zh-CN"}, "zh-Hant": {"Accept-Language": "zh-TW"}, "en": {}}


def chinese(text: str) -> bool:
    return len(CJK.findall(text)) >= 4 and not re.search(r"[A-Za-z]{5,} [A-Za-z]{3,}", text)


@pytest.fixture(scope="module")
def url(data_dir, bot):
    settings = Settings(data_dir=data_dir, ui=False, rate_limit="10000/minute", rate_limit_per_user="3/minute")
    with serve(create_app(settings, bot)) as base:
        yield base


def test_an_over_long_chinese_question_is_refused_in_chinese(url):
    for question, header, check in [(LONG_ZH, HEADERS["zh"], "问题共 2,200 个字符"),
                                    (LONG_ZH, {}, "问题共 2,200 个字符"),  # the question's language alone
                                    (LONG_HANT, HEADERS["zh-Hant"], "問題共 2,200 個字符"),
                                    ("How much " * 250, HEADERS["zh"], "The question is 2,249 characters")]:
        r = httpx.post(f"{url}/v1/chat", json={"question": question}, headers=header, timeout=30)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == "invalid_question"
        assert check in r.json()["error"]["message"], r.json()


@pytest.mark.parametrize("lang", ["zh", "zh-Hant", "en"])
def test_validation_errors_name_the_field_in_the_readers_language(url, lang):
    r = httpx.post(f"{url}/v1/chat", json={"question": 42}, headers=HEADERS[lang], timeout=30)
    assert r.status_code == 422, r.text
    message = r.json()["error"]["message"]
    assert "question" in message
    assert chinese(message) == (lang != "en"), message
    if lang == "zh-Hant":
        assert "須" in message or "必" in message
    r = httpx.post(f"{url}/v1/chat", json={"question": "住房补贴？", "mode": "poetry"}, headers=HEADERS["en"],
                   timeout=30)  # a Chinese question: the question's language wins over no header
    assert r.status_code == 422 and "mode" in r.json()["error"]["message"]
    assert chinese(r.json()["error"]["message"]), r.json()


@pytest.mark.parametrize("lang", ["zh", "zh-Hant", "en"])
def test_http_errors_in_the_readers_language(url, lang):
    with httpx.Client(base_url=url, headers=HEADERS[lang], timeout=30) as http:
        missing = http.get("/v1/no-such-route")
        wrong_method = http.delete("/v1/chat")
        not_json = http.post("/v1/chat", content=b"not json", headers={"Content-Type": "application/json"})
        too_large = http.post("/v1/chat", content=b'{"question": "' + b"x" * 200_000 + b'"}',
                              headers={"Content-Type": "application/json"})
    for response, status in [(missing, 404), (wrong_method, 405), (not_json, 400), (too_large, 413)]:
        assert response.status_code == status, response.text
        message = response.json()["error"]["message"]
        assert chinese(message) == (lang != "en"), (status, message)
        if lang == "zh-Hant":
            assert "請" in message or "體" in message or "不" in message, message


def test_rate_limit_in_chinese(url):
    user = {"X-Client-User-Id": "limited-zh", **HEADERS["zh"]}
    statuses = [httpx.post(f"{url}/v1/chat", json={"question": "住房补贴每月多少？", "mode": "extractive"},
                           headers=user, timeout=60) for _ in range(4)]
    limited = statuses[-1]
    assert limited.status_code == 429
    assert "请求太频繁" in limited.json()["error"]["message"] and "秒后再试" in limited.json()["error"]["message"]


def test_the_chat_page_says_it_in_the_questions_language(bot):
    import gradio as gr

    from ui.chat import ChatHandlers, in_readers_language

    with pytest.raises(InvalidQuestion) as caught:
        bot.ask(LONG_ZH)
    assert in_readers_language(caught.value, LONG_ZH) == "问题共 2,200 个字符，上限为 2,000 个，请缩短后再问。"
    with pytest.raises(InvalidQuestion) as caught:
        bot.ask(LONG_HANT)
    assert "問題共 2,200 個字符" in in_readers_language(caught.value, LONG_HANT)
    warned = []
    handlers = ChatHandlers(bot)
    original, gr.Warning = gr.Warning, warned.append
    try:
        out = list(handlers.ask(LONG_ZH, [], None, {}))
    finally:
        gr.Warning = original
    assert warned == ["问题共 2,200 个字符，上限为 2,000 个，请缩短后再问。"]
    assert out[-1][1] == LONG_ZH  # the text stays in the box to be fixed


def test_an_empty_question_is_refused_in_the_interface_language(bot):
    import gradio as gr

    from ui.chat import ChatHandlers

    warned = []
    original, gr.Warning = gr.Warning, warned.append
    try:
        for ui_lang in ("中文", "English"):
            list(ChatHandlers(bot).ask("   ", [], None, {}, None, ui_lang))
    finally:
        gr.Warning = original
    assert warned == ["问题是空的，请输入关于政策的问题。", "The question is empty. Please type a question about the plan."]
