"""Feedback on answers: stored against answers the assistant really gave, personal data redacted."""

from __future__ import annotations

import pytest

from assistant.errors import InvalidFeedback, NotFound


def test_feedback_is_stored_against_a_real_answer(bot):
    answer = bot.ask("How long is the free workspace?")
    stored = bot.feedback(answer.id, useful=True, comment="clear, thanks", source="ui")
    assert stored.answer_id == answer.id and stored.useful is True and stored.source == "ui"
    again = bot.feedback(answer.id, useful=False)
    assert [f.useful for f in bot.feedback_store.list(answer.id)] == [True, False]
    assert again.comment is None
    # The recorded answer is the one the founder saw.
    assert bot.feedback_store.answer(answer.id).answer == answer.answer


def test_feedback_for_an_unknown_answer_is_refused(bot):
    before = len(bot.feedback_store.list())
    with pytest.raises(NotFound, match="No answer with id"):
        bot.feedback("f" * 32, useful=True)
    assert len(bot.feedback_store.list()) == before


@pytest.mark.parametrize("useful, comment, message", [
    ("yes", None, "true or false"),
    (True, "x" * 2001, "at most 2000"),
])
def test_bad_feedback_changes_nothing(bot, useful, comment, message):
    answer = bot.ask("What is the loan limit?")
    with pytest.raises(InvalidFeedback, match=message):
        bot.feedback(answer.id, useful=useful, comment=comment)
    assert bot.feedback_store.list(answer.id) == []


def test_personal_data_is_redacted_in_stored_questions_and_comments(bot):
    answer = bot.ask("我的手机13812345678，租房补贴多少？")
    assert "13812345678" not in bot.feedback_store.answer(answer.id).question
    stored = bot.feedback(answer.id, useful=False, comment="call me on 13812345678")
    assert "13812345678" not in (stored.comment or "")
