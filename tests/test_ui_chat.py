"""The chat page's handlers on the real assistant: streaming, conversations, feedback, bad input.

The browser test (test_ui_browser.py) drives the same handlers through a real page; these call them
directly, so each behaviour is checked without a browser.
"""

from __future__ import annotations

import gradio as gr
import pytest

from assistant import Assistant, Settings
from assistant.errors import NotFound
from assistant.settings import LLMSettings
from assistant.understanding.text import detect_language
from harness.llm_server import ScriptedLLM
from ui.chat import ChatHandlers, build_ui, official_url, translated_versions

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
def handlers(bot):
    return ChatHandlers(bot)


def run(handlers, question, history=None, session_id=None, answer_ids=None):
    """Every (history, textbox, session id, answer ids) the handler yields for one question."""
    return list(handlers.ask(question, history, session_id, answer_ids))


def like(index, liked) -> gr.LikeData:
    return gr.LikeData(None, {"index": index, "value": ["..."], "liked": liked})


def test_answer_streams_then_shows_sources(handlers, bot):
    steps = run(handlers, "住房补贴每月多少？")
    assert len(steps) >= 3  # the question at once, then deltas, then the final answer
    assert steps[0][0][-1]["content"] == '<div class="opc-answer opc-streaming"><div class="opc-text"></div></div>'
    assert "opc-streaming" in steps[1][0][-1]["content"] and "1250元" in steps[1][0][-1]["content"]
    history, textbox, session_id, answer_ids = steps[-1]
    assert [m["role"] for m in history] == ["user", "assistant"] and textbox == ""
    assert "住房补贴每月多少？" in history[0]["content"]
    final = history[1]["content"]
    assert "1250元" in final and "[1] （四）" in final and '<details class="opc-citation">' in final
    # The message index maps to the stored answer, which feedback will name.
    stored = bot.feedback_store.answer(answer_ids[1])
    assert stored.session_id == session_id and "1250元" in stored.answer


def test_follow_up_uses_the_same_conversation(handlers, bot):
    *_, (history, _, session_id, answer_ids) = run(handlers, "博士落户补贴有多少？")
    *_, (history, _, same_id, answer_ids) = run(handlers, "那硕士呢？", history, session_id, answer_ids)
    assert same_id == session_id and len(history) == 4 and set(answer_ids) == {1, 3}
    assert "10万元" in history[3]["content"] and "按以下问题检索" in history[3]["content"]
    assert [t.question for t in bot.session(session_id)] == ["博士落户补贴有多少？", "那硕士呢？"]


def test_each_new_conversation_gets_its_own_session(handlers):
    *_, (_, _, first, _) = run(handlers, "How long is the free office space?")
    *_, (_, _, second, _) = run(handlers, "How long is the free office space?")
    assert first != second
    assert ChatHandlers.new_conversation() == ([], "", None, {})


def test_refusal_shows_nearest_clauses(handlers):
    *_, (history, *_rest) = run(handlers, "What does Shanghai offer one-person companies?")
    assert "opc-refusal" in history[-1]["content"] and "Nearest clauses:" in history[-1]["content"]


@pytest.mark.parametrize("question, message", [
    ("   ", "empty"),
    ("x" * 2001, "limit is 2,000"),
])
def test_bad_input_warns_and_changes_nothing(handlers, bot, question, message):
    history = [{"role": "user", "content": "earlier"}, {"role": "assistant", "content": "reply"}]
    sid = bot.new_session()
    with pytest.warns(UserWarning, match=message):
        steps = run(handlers, question, history, sid, {1: "a"})
    assert steps == [(history, question, sid, {1: "a"})]
    with pytest.raises(NotFound, match="No such conversation"):
        bot.session(sid)  # still no turns


def test_likes_are_stored_against_the_answer(handlers, bot):
    *_, (_, _, _, answer_ids) = run(handlers, "How big is the training power voucher?")
    answer_id = answer_ids[1]
    handlers.like(like(1, True), answer_ids, "English")
    handlers.like(like(1, False), answer_ids, "中文")
    handlers.like(like(1, ""), answer_ids, "中文")  # a vote taken back stores nothing
    handlers.like(like(0, True), answer_ids, "中文")  # the question itself is not an answer
    assert [(f.useful, f.source) for f in bot.feedback_store.list(answer_id)] == [(True, "ui"), (False, "ui")]


def test_page_links_the_official_text_and_knows_our_translations(bot):
    assert official_url(bot).startswith("https://www.sz.gov.cn/")
    assert ("sz-ai-opc-plan", "zh") in translated_versions(bot)
    assert ("sz-ai-opc-plan", "en") not in translated_versions(bot)
    assert isinstance(build_ui(bot), gr.Blocks)


def test_streamed_text_rejected_by_the_gate_is_replaced(bot, data_dir):
    question = "How much is the monthly housing subsidy?"
    with ScriptedLLM() as llm:
        llm_bot = Assistant.load(Settings(data_dir=data_dir,
                                          llm=LLMSettings(base_url=llm.base_url, model="scripted", timeout=2)))
        hits = llm_bot.retriever.search(question, detect_language(question)).hits
        n = [h.clause_id for h in hits].index("sz-ai-opc-plan:m4") + 1
        bad = {"answered": True, "citations": [n], "answer": f"The housing subsidy is 1,500 yuan per month [{n}]."}
        llm.script(llm.reply(bad), llm.reply(bad))
        steps = run(ChatHandlers(llm_bot), question)
    shown = [h[-1]["content"] for h, *_ in steps]
    assert any("1,500 yuan" in s for s in shown[:-1])  # streamed as it came ...
    text, notes = shown[-1].split('<div class="opc-sources">')
    assert "1,500" not in text and "1,250 yuan" in text  # ... then replaced by the gated answer
    assert '<details class="opc-warnings">' in notes
