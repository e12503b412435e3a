"""Traditional output in the variant the reader writes: Taiwan's standard forms by default, Hong Kong's for a
question asked the Hong Kong way (Cantonese or HK-only forms); never the character-level 爲/牀."""

from __future__ import annotations

import pytest

from assistant.understanding.text import for_reader, localise, to_region, traditional_region

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


@pytest.mark.parametrize("question,region", [
    ("住房補貼每月多少？", "tw"),
    ("過渡性住房可以住多久？", "tw"),
    ("住房補貼每個月有幾多錢？", "hk"),  # 幾多: Cantonese
    ("我喺香港讀書，可唔可以攞補貼？", "hk"),
    ("租房補貼係咪每月發放？", "hk"),
])
def test_the_region_is_read_from_the_question(question, region):
    assert traditional_region(question) == region


def test_readers_get_standard_forms_in_both_regions():
    simplified = "为符合条件的人才提供床位，住在里面"
    tw, hk = for_reader(simplified, "tw"), for_reader(simplified, "hk")
    for text in (tw, hk, localise(simplified, "zh-Hant")):
        assert "為" in text and "床" in text
        assert "爲" not in text and "牀" not in text
    assert "裡" in tw and "裏" in hk  # the forms that do differ follow the region


def test_hong_kong_rerendering_keeps_standard_forms():
    text = to_region(localise("为创业者提供过渡性住房床位", "zh-Hant"), "hk")
    assert "為" in text and "床" in text and "爲" not in text and "牀" not in text
    assert to_region("為", "tw") == "為"


def test_answers_follow_the_question_variant(bot):
    tw = bot.ask("過渡性住房可以住多久？", mode="extractive")
    hk = bot.ask("過渡性住房可以住幾耐？喺邊度申請？", mode="extractive")
    for answer in (tw, hk):
        assert answer.language == "zh-Hant"
        assert "爲" not in answer.answer and "牀" not in answer.answer
