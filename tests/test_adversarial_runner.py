"""The adversarial runner's bookkeeping: markers, bare clause ids, per-kind counts and items never tested."""

from __future__ import annotations

import pytest

from assistant.evaluate.adversarial import GateItem, _numbered, score

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


def item(i: str, kind: str, truthful: bool, lang: str = "en") -> GateItem:
    return GateItem(id=i, lang=lang, kind=kind, truthful=truthful, question="q", cite=["m4"], answer="a [n]")


def test_markers_follow_the_cite_order_and_bare_ids_name_the_plan():
    assert _numbered("A[n1] and B[n2], again [n].", [3, 1]) == "A[3] and B[1], again [3]."
    # written as a model writes: [k] is the k-th id of cite; a number outside cite is kept (a bad citation)
    assert _numbered("A[1] and B[2][1].", [4, 2]) == "A[4] and B[2][4]."
    assert _numbered("A[0], B[3].", [4, 2]) == "A[0], B[3]."
    assert item("x", "truth", True).cite == ["sz-ai-opc-plan:m4"]
    assert GateItem(id="y", lang="yue", kind="truth", truthful=True, question="q", cite=["doc:c1"],
                    answer="a").cite == ["doc:c1"]


def test_not_tested_items_are_counted_apart_and_a_set_with_nothing_tested_fails():
    items = [item("l1", "list_extra", False), item("l2", "list_extra", False), item("t1", "truth", True),
             item("t2", "truth", True, "zh")]
    skipped = [{"id": "l2", "kind": "list_extra", "why": "answered without calling the model"}]
    result = score(items, {"l1": True, "t1": True, "t2": False}, [], skipped)
    assert result.counts["list_extra"] == {"right": 1, "tested": 1, "not_tested": 1}
    assert result.lies_blocked["all"] == 1.0 and result.truths_accepted["all"] == 0.5 and not result.passed
    assert result.tested == 3 and result.not_tested == skipped
    nothing = score(items, {}, [], [{"id": i.id, "kind": i.kind, "why": "-"} for i in items])
    assert not nothing.passed and nothing.tested == 0


def test_floors_lies_all_blocked_truths_at_least_97_percent():
    truths = [item(f"t{i}", "truth", True) for i in range(40)]
    lies = [item(f"l{i}", "condition", False) for i in range(5)]
    ok = {i.id: True for i in truths + lies}
    assert score(truths + lies, {**ok, "t0": False}, []).passed          # 39/40 = 97.5 %
    assert not score(truths + lies, {**ok, "t0": False, "t1": False}, []).passed   # 95 %
    assert not score(truths + lies, {**ok, "l0": False}, []).passed


def test_the_sources_scripted_are_those_the_model_is_given(tmp_path):
    """The runner numbers a case's citations by ``sources_for``: the order of the sources in the model's request;
    ``gate_findings`` judges a reply against those sources as the live path does."""
    import re

    from assistant.evaluate.scripted_llm import ScriptedLLM
    from assistant.service import Assistant
    from assistant.settings import LLMSettings, Settings

    question = "到2027年底，这个计划想达到什么成果？深圳要建成多少个OPC社区？"
    with ScriptedLLM() as llm:
        bot = Assistant.load(Settings(data_dir=tmp_path, llm=LLMSettings(base_url=llm.base_url, model="scripted",
                                                                         api_key="x", timeout=5)))
        ids = bot.questions.sources_for(question)
        reply = llm.reply({"answered": True, "answer": "到2027年底，深圳将建成10个以上OPC社区[1]。", "citations": [1]})
        llm.script(reply, reply)
        shown = bot.ask(question, mode="llm")
        user = [m for m in llm.requests[0]["messages"] if m["role"] == "user"][-1]["content"]
        # the gate alone judges a reply as the live path did: the true one shown, a list padded with a lie blocked
        assert shown.mode == "llm" and bot.questions.gate_findings(question, "到2027年底，深圳将建成10个以上OPC社区[1]。") == []
        lie = "到2027年底，深圳将建成10个以上OPC社区，并为每家入驻企业免费提供办公场地[1]。"
        llm.script(llm.reply({"answered": True, "answer": lie, "citations": [1]}),
                   llm.reply({"answered": True, "answer": lie, "citations": [1]}))
        assert bot.ask(question, mode="llm").mode != "llm" and bot.questions.gate_findings(question, lie)
    titles = re.findall(r"<source n=\"(\d+)\"[^>]*>\n\[\d+\] ([^\n]*)", user)
    assert [int(n) for n, _ in titles] == list(range(1, len(ids) + 1))
    for (_, title), clause_id in zip(titles, ids, strict=True):
        clause = bot.corpus.clause(clause_id)
        assert clause.title["zh"] in title, (title, clause_id)
