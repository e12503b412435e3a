"""A question naming several benefits or targets of the plan is answered with a sentence for each, not only the
best-scoring one (assistant/answering/extractive.py). Through the real Assistant; wordings written for this test."""

from __future__ import annotations

import pytest

# Starts the real assistant with its index: not in the fast tier.
pytestmark = pytest.mark.system


@pytest.mark.parametrize("question, figures", [
    # the community sentence alone outscores the rest; the talent target named is quoted too
    ("How big will each OPC community be by 2027, and how many AI talents does Shenzhen want to attract?",
     ["10,000 square meters", "10,000 professionals"]),
    ("到2027年底要建成多少个OPC社区？又要吸引多少人工智能创新创业人才？", ["10个", "1万名"]),
])
def test_each_named_target_gets_its_sentence(bot, question, figures):
    a = bot.ask(question, mode="extractive")
    assert a.answerable and all(f in a.answer for f in figures), a.answer


def test_one_named_benefit_is_quoted_as_before(bot):
    a = bot.ask("住房补贴每月多少？", mode="extractive")
    assert a.answer.count("[") <= 2 and "1250" in a.answer
