"""Conversations: follow-ups resolved deterministically in extractive mode, history kept in SQLite."""

from __future__ import annotations

import pytest

from assistant import Assistant, InvalidQuestion, InvalidSessionId, NotFound, Settings
from assistant.knowledge.figures import normalise
from assistant.understanding.followup import is_followup


def _followups(golden):
    return [c for c in golden if c["category"] == "followup"]


def test_golden_followups_are_answered_in_both_languages(bot, golden):
    cases = _followups(golden)
    assert len(cases) >= 12 and {c["language"] for c in cases} >= {"en", "zh"}
    for case in cases:
        sid = bot.new_session()
        for turn in case["turns"]:
            bot.ask(turn, session_id=sid)
        answer = bot.ask(case["question"], session_id=sid)
        assert answer.answerable == case["answerable"], (case["id"], answer.answer)
        assert answer.language == case["language"], case["id"]
        if case["answerable"]:
            cited = {c.clause_id for c in answer.citations}
            assert not case["expected_clauses"] or cited & set(case["expected_clauses"]), (case["id"], cited)
            for figure in case["expected_figures"]:
                assert normalise(figure) <= normalise(answer.answer), (case["id"], figure, answer.answer)


def test_followup_without_history_is_answered_on_its_own(bot):
    answer = bot.ask("那硕士呢？", session_id=bot.new_session())
    assert answer.standalone_question is None


def test_followup_carries_the_topic_and_records_the_standalone_question(bot):
    sid = bot.new_session()
    first = bot.ask("博士落户补贴有多少？", session_id=sid)
    assert first.standalone_question is None
    follow = bot.ask("那硕士呢？", session_id=sid)
    # the benefit by name and the attribute asked, not the whole earlier question
    assert follow.standalone_question == "落户补贴硕士呢最高多少？"
    assert follow.citations[0].clause_id == "sz-ai-opc-plan:m2" and "10万元" in follow.answer
    turns = bot.session(sid)
    assert [t.n for t in turns] == [1, 2] and turns[1].answer.id == follow.id


def test_same_followup_in_a_different_session_does_not_leak(bot):
    a, b = bot.new_session(), bot.new_session()
    bot.ask("How much is the monthly housing subsidy?", session_id=a)
    bot.ask("How big is the training power voucher?", session_id=b)
    assert "24 months" in bot.ask("For how many months?", session_id=a).answer
    assert bot.ask("And for data corpora?", session_id=b).citations[0].clause_id == "sz-ai-opc-plan:m6"


@pytest.mark.slow  # builds a second index: tens of seconds
def test_history_survives_a_restart_and_is_bounded(tmp_path):
    settings = Settings(data_dir=tmp_path / "d", max_turns=3)
    bot = Assistant.load(settings)
    sid = bot.new_session()
    for q in ["住房补贴每月多少钱？", "过渡性住房能住多久？", "训练算力券最高多少钱？", "模型券呢？", "数据语料券呢？"]:
        bot.ask(q, session_id=sid)
    restarted = Assistant.load(settings)
    turns = restarted.session(sid)
    assert [t.n for t in turns] == [3, 4, 5]
    assert turns[-1].question == "数据语料券呢？" and "200万元" in turns[-1].answer.answer
    follow = restarted.ask("模型券呢？", session_id=sid)
    assert follow.standalone_question and "200万元" in follow.answer


def test_bad_input_in_a_session_changes_nothing(bot):
    sid = bot.new_session()
    bot.ask("住房补贴每月多少钱？", session_id=sid)
    with pytest.raises(InvalidQuestion):
        bot.ask("\x00", session_id=sid)
    assert len(bot.session(sid)) == 1


@pytest.mark.parametrize("sid", ["", " ", "a" * 129, "../etc/passwd", "id with spaces", "-leading"])
def test_invalid_session_ids_are_rejected(bot, sid):
    with pytest.raises(InvalidSessionId):
        bot.ask("住房补贴每月多少钱？", session_id=sid)


def test_delete_session(bot):
    sid = bot.new_session()
    bot.ask("住房补贴每月多少钱？", session_id=sid)
    assert bot.delete_session(sid) is True
    with pytest.raises(NotFound):
        bot.session(sid)
    assert bot.delete_session(sid) is False


@pytest.mark.parametrize(
    "question, expected",
    [
        ("那硕士呢？", True),
        ("and at what rent?", True),
        ("what about for a company instead of a person?", True),
        ("For how many months?", True),
        ("这笔钱是依据什么政策给的？", True),
        ("How much is the monthly housing subsidy for young entrepreneurs?", False),
        ("到2027年底全市OPC社区面积预计多大？", False),
        ("Which funds does the plan leverage for early-stage investment?", False),
        # another thing opened: a topic of its own, unless bare or pointing back
        ("另外我们想和高校一起做研发，有支持吗？", False),
        ("另外，我想知道公司備案有沒有人指導？", False),
        ("One more thing: does the plan help with getting a model filed?", False),
        ("另外，博士呢？", True),
        ("此外，这个要交税吗？", True),
    ],
)
def test_followup_detection(question, expected):
    assert is_followup(question) is expected


def test_sessions_are_made_by_the_server_and_belong_to_their_owner(bot):
    sid = bot.new_session("key:abc|user:u1")
    assert len(sid) >= 32 and sid != bot.new_session("key:abc|user:u1")  # unguessable, never reused
    bot.ask("住房补贴每月多少钱？", session_id=sid, owner="key:abc|user:u1")
    for stranger in ("key:abc|user:u2", "key:xyz|user:u1", "local"):
        with pytest.raises(NotFound) as info:  # the same answer as for an id that never existed
            bot.ask("那需要满足什么条件呢？", session_id=sid, owner=stranger)
        with pytest.raises(NotFound):
            bot.session(sid, owner=stranger)
        assert bot.delete_session(sid, owner=stranger) is False
        assert sid not in str(info.value)
    assert len(bot.session(sid, owner="key:abc|user:u1")) == 1  # untouched by the strangers
    with pytest.raises(NotFound):  # a client cannot invent an id
        bot.ask("住房补贴每月多少钱？", session_id="my-own-chosen-id-12345")
    assert bot.delete_session(sid, owner=None) is True  # an admin may delete anyone's


def test_stored_turns_are_redacted(bot, data_dir):
    import sqlite3

    sid = bot.new_session()
    bot.ask("我的手机13812345678，邮箱 founder@example.com，住房补贴每月多少钱？", session_id=sid)
    (turn,) = bot.session(sid)
    assert "13812345678" not in turn.question and "[PHONE]" in turn.question and "[EMAIL]" in turn.question
    raw = sqlite3.connect(data_dir / "opc.sqlite3").execute(
        "SELECT question || answer FROM turns WHERE session_id = ?", (sid,)).fetchone()[0]
    assert "13812345678" not in raw and "founder@example.com" not in raw


def _age(bot, session_id: str, days: float) -> None:
    """Make a conversation look idle for ``days`` (straight in the database, as time passing would)."""
    from sqlalchemy import text

    bot.db.run(lambda c: c.execute(text("UPDATE sessions SET updated = updated - :s WHERE id = :id"),
                                   {"s": days * 86400, "id": session_id}), write=True)


def test_retention_purges_idle_conversations(bot):
    old, fresh = bot.new_session(), bot.new_session()
    bot.ask("住房补贴每月多少钱？", session_id=old)
    bot.ask("住房补贴每月多少钱？", session_id=fresh)
    _age(bot, old, days=40)
    assert bot.purge(days=30)["sessions"] >= 1
    with pytest.raises(NotFound):
        bot.session(old)
    assert len(bot.session(fresh)) == 1


def test_opc_purge_command(bot, data_dir):
    from tests.test_cli import run

    old = bot.new_session()
    bot.ask("住房补贴每月多少钱？", session_id=old)
    _age(bot, old, days=10)
    done = run("purge", "--days", "7", data_dir=data_dir)
    assert done.returncode == 0 and "Purged" in done.stdout, done.stderr
    with pytest.raises(NotFound):
        bot.session(old)


# (turns before, a follow-up asking a part the plan leaves unstated, that part): the part is declared and the answer
# declines, also when the resolved ask names two benefits (whose own terms, "up to 36 months", are no approval time)
# or a benefit whose name holds a figure ("at about 60% of market rent"). Written for this test.
UNSTATED_FOLLOWUPS = [
    (["Can I get both the transitional housing and the monthly housing subsidy?"], "which of the two is approved quicker?",
     "processing_time"),
    (["人才公寓和住房补贴可以一起拿吗？"], "这两个哪个批得快？审批要多久？", "processing_time"),
    (["不在OPC社区的话，低成本创业空间最多多大？"], "那月租多少？", "price"),
    (["What workspace does the plan give outside the OPC communities?"], "what's the rent?", "price"),
]


@pytest.mark.parametrize("before, ask, part", UNSTATED_FOLLOWUPS)
def test_a_followup_asking_an_unstated_part_declines_and_declares_it(bot, before, ask, part):
    sid = bot.new_session()
    for turn in before:
        bot.ask(turn, session_id=sid)
    answer = bot.ask(ask, session_id=sid)
    assert not answer.answerable and part in {u.kind for u in answer.unstated}, answer.answer
