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


def _fresh(bot, question: str, tag: str):
    """An answer of the bot's under an id its own log never saw (so only the store under test holds it)."""
    answer = bot.ask(question)
    return answer.model_copy(update={"id": tag * 16})


def _logged(bot, answer_id: str) -> int:
    from sqlalchemy import text
    return bot.db.run(lambda c: c.execute(text("SELECT COUNT(*) FROM answers WHERE id = :i"), {"i": answer_id})
                      .scalar_one())


def test_answers_are_logged_off_the_request_path_and_never_lost_to_feedback(bot):
    from assistant.store.feedback import FeedbackStore
    # A long interval: the answer waits in memory (the reply did not wait for a write) ...
    slow = FeedbackStore(bot.db, flush_seconds=5.0)
    answer = _fresh(bot, "How long is the free workspace?", "a1")
    slow.record_answer(answer)
    assert _logged(bot, answer.id) == 0
    # ... yet feedback in the same worker finds it at once (what waits is written first),
    vote = slow.add(answer.id, useful=True)
    assert vote.answer_id == answer.id and _logged(bot, answer.id) == 1
    # and a graceful stop writes whatever still waits.
    other = _fresh(bot, "What is the loan limit?", "a2")
    slow.record_answer(other)
    slow.close()
    assert slow.answer(other.id).answer == other.answer


def test_feedback_on_another_workers_answer_waits_for_its_writer(bot):
    from assistant.store.feedback import FeedbackStore
    writer, reader = FeedbackStore(bot.db, flush_seconds=0.2), FeedbackStore(bot.db, flush_seconds=0.2)
    answer = _fresh(bot, "博士落户补贴最高多少？", "f0")
    writer.record_answer(answer)
    assert reader.add(answer.id, useful=False, comment="想知道申请时间").answer_id == answer.id
    with pytest.raises(NotFound):  # an id no worker gave is still refused (after a short look)
        reader.add("e1" * 16, useful=True)
