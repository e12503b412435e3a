"""Multi-turn conversations: a follow-up naming another benefit switches topic, an ellipsis keeps it and changes the
slot, the founder profile accumulates as one merged FounderProfile, the language follows the latest turn, and a
follow-up is answered as its resolved question would be as a first turn. The same behaviour through the three
doors: a stored session (/v1/chat with session_id), OpenAI-style ``messages`` (/v1/chat/completions, a real
server) and the chat page's handlers."""

from __future__ import annotations

import httpx
import openai
import pytest

from assistant import Settings
from assistant.answering.framed import read_frame
from assistant.api import create_app
from assistant.knowledge.figures import normalise
from assistant.types import Answer, FounderProfile
from assistant.understanding.followup import Conversation
from harness.servers import serve
from tests.conversation_turns import turns as _turns
from ui.chat import ChatHandlers

# Starts a server: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system

PLAN = "sz-ai-opc-plan:"

# (message, answer language, clause cited first, figures stated): written for these tests, not taken from any
# evaluation set. A switch by name, an ellipsis changing the slot, then the language changes twice.
VOUCHERS = [
    ("训练算力券最高补贴多少？", "zh", "m6", ["1000万元"]),
    ("模型券呢？", "zh", "m6", ["200万元"]),
    ("Can I use it for API calls?", "en", "m6", []),
    ("咁數據語料券呢？", "zh-Hant", "m6", ["200萬元"]),
]


def _figures_in(answer: Answer, figures: list[str]) -> bool:
    return all(normalise(f) <= normalise(answer.answer) for f in figures)


def _check(answer: Answer, lang: str, clause: str, figures: list[str], step: int) -> None:
    assert answer.language == lang, (step, answer.language)
    assert answer.answerable, (step, answer.standalone_question, answer.answer)
    assert answer.citations[0].clause_id == PLAN + clause, (step, answer.standalone_question)
    assert _figures_in(answer, figures), (step, figures, answer.answer)


@pytest.fixture(scope="module")
def base(data_dir, bot):
    settings = Settings(data_dir=data_dir, ui=False, rate_limit="", rate_limit_per_user="")
    with serve(create_app(settings, bot)) as url:
        yield url


def _through_sessions(base: str, asks: list[str]) -> list[Answer]:
    out, sid = [], None
    with httpx.Client(base_url=base, timeout=120) as http:
        for ask in asks:
            r = http.post("/v1/chat", json={"question": ask, "mode": "extractive",
                                             **({"session_id": sid} if sid else {})})
            assert r.status_code == 200, r.text
            answer = Answer.model_validate(r.json())
            sid = answer.session_id
            out.append(answer)
        # the stored session reads back each turn as resolved
        turns = http.get(f"/v1/sessions/{sid}").json()["turns"]
        assert [t["standalone_question"] for t in turns] == [a.standalone_question for a in out]
    return out


def _through_messages(base: str, asks: list[str]) -> list[Answer]:
    client = openai.OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0)
    out, messages = [], []
    for ask in asks:
        messages.append({"role": "user", "content": ask})
        done = client.chat.completions.create(model="opc-assistant", messages=messages)
        out.append(Answer.model_validate(done.model_extra["answer"]))
        messages.append({"role": "assistant", "content": done.choices[0].message.content})
    return out


def _through_the_chat_page(bot, asks: list[str]) -> list[Answer]:
    handlers, state = ChatHandlers(bot), (None, None, None)
    for ask in asks:
        for history, _, sid, ids in handlers.ask(ask, *state):
            state = (history, sid, ids)
    return [turn.answer for turn in bot.session(state[1])]


def test_switch_ellipsis_and_language_through_a_stored_session(base):
    for step, (answer, (_, lang, clause, figures)) in enumerate(
            zip(_through_sessions(base, [a for a, *_ in VOUCHERS]), VOUCHERS)):
        _check(answer, lang, clause, figures, step)


def test_the_three_doors_resolve_every_turn_alike(base, bot):
    # a non-benefit topic, a ranking asked as its follow-up; a benefit, an ellipsis, a part the plan leaves unstated
    asks = ["深圳会先在哪些区建OPC社区？", "那哪个区的社区最好？", "过渡性住房最长能住多久？", "租金怎么算？",
            "where do I apply for it?"]
    doors = [_through_sessions(base, asks), _through_messages(base, asks), _through_the_chat_page(bot, asks)]
    for step in range(len(asks)):
        seen = [(a.standalone_question, a.answerable, a.language, [c.clause_id for c in a.citations],
                 sorted(u.kind for u in a.unstated)) for a in (door[step] for door in doors)]
        assert seen[0] == seen[1] == seen[2], (asks[step], seen)
    ranking, where = doors[0][1], doors[0][4]
    assert not ranking.answerable and "ranking" in {u.kind for u in ranking.unstated}
    assert "where_to_apply" in {u.kind for u in where.unstated} and where.language == "en"


@pytest.mark.parametrize("turns", [
    ["新引进的硕士落户补贴最高多少？", "需要准备哪些材料？"],  # a part the plan leaves unstated
    ["How long can I rent the transitional housing?", "and where do I apply?"],
    ["个人创业担保贷款最高能贷多少？", "那小微企业的呢？"],  # the same slot, another benefit
])
def test_a_followup_is_answered_as_its_resolved_question_is_as_a_first_turn(bot, turns):
    """A follow-up on a benefit is framed as resolved: the same answer, citations and declared parts as that
    question asked first (a follow-up on another topic is framed on its own ask: the three doors' test)."""
    sid = bot.new_session()
    for ask in turns:
        followup = bot.ask(ask, session_id=sid, mode="extractive")
    assert followup.standalone_question
    first = bot.ask(followup.standalone_question, mode="extractive")
    assert (followup.answerable, [c.clause_id for c in followup.citations], sorted(u.kind for u in followup.unstated)) \
        == (first.answerable, [c.clause_id for c in first.citations], sorted(u.kind for u in first.unstated))


def test_a_followup_asking_its_own_slot_carries_none(bot, recogniser):
    conversation = Conversation(recogniser, bot.corpus.questions)
    amount = recogniser.spec.carry["amount"]["zh"]
    standalone, state = conversation.resolve("需要准备哪些材料？", _turns("新引进的硕士落户补贴最高多少？"))
    assert standalone and amount not in standalone and state.benefit == "hukou_subsidy"
    # an ellipsis asking nothing new keeps the slot
    standalone, _ = conversation.resolve("那博士呢？", _turns("新引进的硕士落户补贴最高多少？"))
    assert amount in standalone


@pytest.fixture(scope="module")
def recogniser(bot):
    return bot.retriever.recogniser




def test_the_profile_is_one_merged_founder_profile_later_turns_winning(bot, recogniser):
    conversation = Conversation(recogniser, bot.corpus.questions)
    history = _turns("我是海归博士，公司不在OPC社区，在其他产业园。", "住房补贴每月多少？", "我2024年毕业的")
    state = conversation.state(history)
    assert isinstance(state.profile, FounderProfile)
    assert (state.profile.degree, state.profile.overseas_educated, state.profile.in_opc_community,
            state.profile.graduation_year) == ("doctoral", True, False, 2024)
    assert state.benefit == "housing_subsidy"  # a turn that only tells keeps the topic
    standalone, _ = conversation.resolve("那我能申请吗？", history)
    assert "不在OPC社区" in standalone and "2024年毕业" in standalone and "博士" in standalone
    # told the opposite later: the later turn wins, never both, never the earlier one inverted
    history += _turns("现在已经入驻OPC社区了")
    assert conversation.state(history).profile.in_opc_community is True
    assert conversation.state(history).benefit == "housing_subsidy"  # a correction that only tells keeps the topic
    standalone, _ = conversation.resolve("那我能申请吗？", history)
    assert "不在OPC社区" not in standalone and "在OPC社区" in standalone and "住房补贴" in standalone, standalone


def test_a_turn_that_only_tells_is_not_given_the_last_slot(bot, recogniser):
    conversation = Conversation(recogniser, bot.corpus.questions)
    standalone, _ = conversation.resolve("我2024年毕业的", _turns("住房补贴每月多少？"))
    assert recogniser.spec.carry["amount"]["zh"] not in (standalone or "")


def test_a_question_pointing_back_at_a_list_leans_on_it_however_long(bot, recogniser):
    conversation = Conversation(recogniser, bot.corpus.questions)
    history = _turns("计划里一共有哪几种券？")
    standalone, _ = conversation.resolve("它们具体都可以拿来抵扣哪些方面的开支？", history)
    assert standalone is not None and "券" in standalone
    # a question pointing back but naming a benefit of its own is about that benefit
    assert conversation.resolve("那个住房补贴一个月多少钱？", history)[1].benefit == "housing_subsidy"


def test_where_to_apply_is_not_told_as_the_founders_story(bot, recogniser):
    framer = lambda text, lang: read_frame(bot.extractive, text, lang)  # noqa: E731
    conversation = Conversation(recogniser, bot.corpus.questions, framer)
    history = _turns("我是博士，住房补贴每月多少？")
    assert conversation.state(history).profile.degree == "doctoral"
    where, _ = conversation.resolve("and where do I apply for it?", history)
    assert where and "phd" not in where.lower() and "博士" not in where
    qualify, _ = conversation.resolve("那我能申请吗？", history)  # whether they qualify: told with the profile
    assert "博士" in qualify


def test_a_turn_in_characters_both_scripts_share_keeps_the_founders_script(base, bot):
    asks = ["碩士落戶補貼最高有幾多？", "咁博士呢？", "And for a bachelor?", "咁博士呢？"]
    for door in (_through_sessions(base, asks), _through_messages(base, asks)):
        assert [a.language for a in door] == ["zh-Hant", "zh-Hant", "en", "zh"], [a.language for a in door]
        assert all(a.citations[0].clause_id == PLAN + "m2" for a in door)


def test_a_cantonese_followup_asks_its_own_slot(bot, recogniser):
    conversation = Conversation(recogniser, bot.corpus.questions)
    standalone, state = conversation.resolve("可以領幾耐？", _turns("住房補貼每個月有幾多？"))
    assert recogniser.spec.carry["amount"]["zh"] not in standalone and state.attribute == "duration"


@pytest.mark.parametrize("first, followup, lang", [
    ("新引进的硕士落户补贴最高多少？", "那它要交税吗？", "zh"),
    ("How much is the model voucher worth?", "and is that taxable?", "en"),
])
def test_a_yes_no_followup_asks_its_own_predicate_not_the_last_slot(bot, recogniser, first, followup, lang):
    conversation = Conversation(recogniser, bot.corpus.questions)
    carry = recogniser.spec.carry["amount"][lang]
    standalone, _ = conversation.resolve(followup, _turns(first))
    assert standalone and carry not in standalone
    # an ellipsis asking nothing of its own is still given the slot
    ellipsis, _ = conversation.resolve("那博士呢？" if lang == "zh" else "and the data one?", _turns(first))
    assert carry in ellipsis


# Written for these tests: a part the plan leaves open asked alone as a follow-up, and the same kind of part that
# the quoted clause does state (a figure after tax, a share of the market rent).
@pytest.mark.parametrize("turns, declines, part, shown", [
    (["小微企业创业担保贷款最高能贷多少？", "年利率是多少？"], True, "interest_rate", "500万元"),
    (["How much low-cost startup space can I get outside an OPC community?", "is it free?"], True, "price",
     "50 square"),
    (["住房补贴每月多少？", "好的。那钱一般每月几号打到卡里？"], True, "when_paid", "1250元"),
    (["个人创业担保贷款最高多少？", "那贴息比例呢？"], True, "interest_rate", "60万元"),
    (["住房补贴每月多少？", "税后呢？"], False, None, "1000元"),
    (["过渡性住房最长能住多久？", "要收费吗？"], False, None, "60%"),
])
def test_a_followup_asking_only_a_part_the_plan_leaves_open_says_so_first(bot, turns, declines, part, shown):
    sid = bot.new_session()
    for ask in turns:
        answer = bot.ask(ask, session_id=sid, mode="extractive")
    assert answer.standalone_question and shown in answer.answer, (answer.standalone_question, answer.answer)
    assert answer.answerable is not declines, (answer.standalone_question, answer.answer)
    if declines:  # the part not stated leads; what the plan does say follows, cited
        said = next(u for u in answer.unstated if u.kind == part)
        assert answer.answer.startswith(said.text) and answer.citations, answer.answer


def test_a_followup_asking_about_a_topic_of_its_own_starts_anew(bot, recogniser):
    framer = lambda text, lang: read_frame(bot.extractive, text, lang)  # noqa: E731
    conversation = Conversation(recogniser, bot.corpus.questions, framer)
    # the plan's validity is the topic though the recogniser reads no benefit in the question: an ellipsis keeps it
    ended, state = conversation.resolve("and when does it end?", _turns("When did this plan take effect?"))
    assert state.benefit == "plan_validity" and ended and "when does it end" in ended
    # a question of its own about another topic is asked as written, not glued to the plan's validity
    where, state = conversation.resolve("那首批OPC社区建在哪几个区？", _turns("When did this plan take effect?"))
    assert where is None and state.benefit != "plan_validity"
    # a follow-up that only names what changes is an ellipsis, even when what it names is a topic of its own
    talent, state = conversation.resolve("那人才呢？", _turns("到2027年底要培育多少家高成长AI企业？"))
    assert talent is not None and state.benefit == "target_startups"


def test_the_three_doors_agree_on_switches_and_parts_left_open(base, bot):
    asks = ["When did this plan take effect?", "and when does it end?", "那首批OPC社区建在哪几个区？",
            "住房补贴每月多少？", "税后呢？", "那落户补贴要交税吗？"]
    doors = [_through_sessions(base, asks), _through_messages(base, asks), _through_the_chat_page(bot, asks)]
    for step in range(len(asks)):
        seen = [(a.standalone_question, a.answerable, a.language, [c.clause_id for c in a.citations],
                 sorted(u.kind for u in a.unstated)) for a in (door[step] for door in doors)]
        assert seen[0] == seen[1] == seen[2], (asks[step], seen)
    ended, after_tax, taxed = doors[0][1], doors[0][4], doors[0][5]
    assert ended.answerable and PLAN + "intro" in [c.clause_id for c in ended.citations] and "2027" in ended.answer
    assert after_tax.answerable and "1000元" in after_tax.answer
    assert not taxed.answerable and "tax" in {u.kind for u in taxed.unstated} and taxed.language == "zh"


def test_a_followup_asking_its_own_slot_switches_benefit_only_when_the_recogniser_is_sure(bot, recogniser):
    framer = lambda text, lang: read_frame(bot.extractive, text, lang)  # noqa: E731
    conversation = Conversation(recogniser, bot.corpus.questions, framer)
    # "how long" leans towards the plan's validity on the turn alone; the turn asks a slot of the benefit carried
    _, state = conversation.resolve("and how long does approval take?", _turns("过渡性住房最长能住多久？"))
    assert state.benefit == "transitional_housing"
    # a follow-up that only names what changes switches on a fairly sure reading
    _, state = conversation.resolve("and the training one?", _turns("How much is the model voucher worth?"))
    assert state.benefit == "training_voucher"


# Written for these tests: asks that name nothing of their own, read in the context of the topic they fit.
def test_an_ask_naming_nothing_is_read_in_the_topic_it_fits(bot, recogniser):
    framer = lambda text, lang: read_frame(bot.extractive, text, lang)  # noqa: E731
    conversation = Conversation(recogniser, bot.corpus.questions, framer)
    hukou = recogniser.facts["hukou_subsidy"].names.zh
    # no marker, no pronoun: a tier of the benefit just asked about
    tier, state = conversation.resolve("硕士是不是也能拿到最高那一档？", _turns("落户补贴有多少钱？"))
    assert tier is not None and hukou in tier and state.benefit == "hukou_subsidy"
    # "these two" points back at the two housing benefits
    both, _ = conversation.resolve("这两样能同时申请吗？", _turns("住房方面有什么支持？"))
    assert both is not None
    # back to an earlier topic after an aside about something else
    history = _turns("住房补贴每个月多少？", "Is there an age cap on being a young entrepreneur?")
    _, state = conversation.resolve("好，最后一个：补贴最多能领多久？", history)
    assert state.benefit == "housing_subsidy"
    # a topic of its own, named, is asked as written and not glued to the benefit carried
    housing, _ = conversation.resolve("OK. For housing, can I take both the cash subsidy and the transitional "
                                      "apartment?", _turns("落户补贴有多少钱？"))
    assert housing is None or "hukou" not in housing.lower()
    # a short ask beside a description of its own is a question of its own, however few words the ask has
    described, _ = conversation.resolve("Asking for my cofounder: she never finished a master's but maintains a "
                                        "popular open-source library and keeps winning coding contests. Is there "
                                        "anything for people like her?", _turns("落户补贴有多少钱？"))
    assert described is None


def test_what_a_followup_only_says_around_its_ask_neither_hides_its_ellipsis_nor_joins_it(bot):
    sid = bot.new_session()
    bot.ask("个人创业担保贷款最多能贷多少？", session_id=sid, mode="extractive")
    answer = bot.ask("好的我换繁体问。利息可以減免嗎？", session_id=sid, mode="extractive")
    assert answer.standalone_question and "个人创业担保贷款" in answer.standalone_question, answer.standalone_question
    assert "繁体" not in answer.standalone_question
    assert answer.citations and answer.citations[0].clause_id == PLAN + "m5", answer.answer


# Written for these tests: a bare follow-up the recogniser places surely in another clause, unsure which of its
# benefits (rent after the hukou subsidy; vouchers in general), moves to that clause instead of carrying the topic.
@pytest.mark.parametrize("turns, clause", [
    (["落户补贴最高多少？", "房租方面呢？"], "m4"),
    (["How much is the hukou subsidy?", "what about the vouchers?"], "m6"),
])
def test_a_bare_followup_surely_in_another_clause_moves_there(bot, turns, clause):
    sid = bot.new_session()
    for ask in turns:
        answer = bot.ask(ask, session_id=sid, mode="extractive")
    assert answer.answerable and answer.citations[0].clause_id == PLAN + clause, (answer.standalone_question,
                                                                                   answer.answer)
