"""Bad input gets a clear, specific error (a ValueError) and changes nothing; language detection."""

from __future__ import annotations

import pytest

from assistant import InvalidQuestion
from assistant.understanding.text import detect_language, split_sentences, tokenize, validate_question


@pytest.mark.parametrize(
    "question, message",
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 2001, "2,001 characters long; the limit is 2,000"),
        ("住房补贴\x00多少", "control characters"),
        ("housing\x07subsidy", "control characters"),
        ("abc\x1b[31m", "control characters"),
        ("broken \ufffd bytes", "control characters or binary"),
        (b"\x89PNG\r\n\x1a\n", "not binary"),
        (None, "must be text"),
        (42, "must be text"),
    ],
    ids=["empty", "whitespace", "too-long", "nul", "bell", "escape", "replacement-char", "bytes", "none", "int"],
)
def test_bad_questions_raise_a_value_error_with_a_clear_message(bot, question, message):
    with pytest.raises(InvalidQuestion, match=message) as info:
        bot.ask(question)
    assert isinstance(info.value, ValueError)


def test_a_question_at_the_limit_is_accepted(bot):
    answer = bot.ask("住房补贴每月多少钱？" + " " * 10 + "x" * (2000 - 20))
    assert answer.question  # answered (or refused), not rejected


@pytest.mark.parametrize("question", ["🙂🙂🙂", "？？？", "!!! ...", "👍", "—…—"])
def test_emoji_or_punctuation_only_is_not_answerable(bot, question):
    answer = bot.ask(question)
    assert answer.answerable is False
    assert answer.citations == [] and answer.suggestions == []
    assert "question" in answer.answer.lower() or "问题" in answer.answer


def test_bad_input_leaves_the_assistant_working(bot):
    with pytest.raises(InvalidQuestion):
        bot.ask("\x00\x01\x02")
    assert bot.ask("住房补贴每月多少钱？").answerable


@pytest.mark.parametrize(
    "text, lang",
    [
        ("How much is the housing subsidy?", "en"),
        ("住房补贴每月多少钱？", "zh"),
        ("住房補貼每月多少錢？", "zh-Hant"),
        ("How big is the 训练算力券?", "en"),
        ("OPC社区的面积目标是多少？", "zh"),
        ("hukou补贴最高多少钱？", "zh"),
        ("訓練算力券 最高多少？", "zh-Hant"),
        ("What is the OPC plan?", "en"),
        ("12345", "en"),
    ],
)
def test_language_detection(text, lang):
    assert detect_language(text) == lang


def test_validate_question_strips_whitespace():
    assert validate_question("  hello \n", 2000) == "hello"


def test_sentences_keep_abbreviations_together():
    text = "The plan took effect on Jan. 1, 2026, and remains valid for two years. Its goal is clear."
    assert split_sentences(text) == [
        "The plan took effect on Jan. 1, 2026, and remains valid for two years.", "Its goal is clear."]
    assert split_sentences("第一句。第二句！第三句？") == ["第一句。", "第二句！", "第三句？"]


def test_tokens_fold_scripts_and_separators():
    assert "1250" in tokenize("1,250 yuan") and "1250" in tokenize("1250元")
    assert "补贴" in tokenize("住房補貼")
    assert "voucher" in tokenize("Vouchers") and "community" in tokenize("communities")
