"""Open-world questions: places from gazetteers (a founder's origin answered, another place's
policy refused in every script), document jurisdiction as metadata, misspellings and homophone typos,
and the adversarial gate evaluation through the scripted OpenAI-compatible server."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from assistant.knowledge.corpus import load_corpus
from assistant.settings import BUILTIN_CORPUS
from assistant.understanding.spelling import Speller

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
def places():
    return load_corpus(BUILTIN_CORPUS).places


@pytest.mark.parametrize("text, names", [
    ("臺北市的創業補貼", ["Taipei"]),
    ("What does Hangzhou offer?", ["Hangzhou"]),
    ("Does Texas fund solo founders?", ["Texas"]),
    ("东京的补贴", ["Tokyo"]),
    ("美国和日本", ["United States", "Japan"]),
    ("How much is the housing subsidy?", []),
    ("Reading the plan on my mobile", []),   # town names that are English words are not places
    ("东方的智慧", []),
])
def test_gazetteer_finds_places_in_every_script(places, text, names):
    assert sorted({p.en for p in places.find(text)}) == sorted(names)


def test_jurisdiction_is_document_metadata(places):
    shenzhen = places.jurisdiction_of(SimpleNamespace(jurisdiction=None), "深圳市")   # the home, a setting
    guangzhou = places.jurisdiction_of(SimpleNamespace(jurisdiction="广州市"))
    assert shenzhen == "440300" and guangzhou == "440100"
    assert places.other_jurisdictions("天河区的补贴", guangzhou) == []
    assert [p.zh for p in places.other_jurisdictions("天河区的补贴", shenzhen)] == ["天河区"]
    # a district of the jurisdiction, and the regions containing it, are not other places
    assert places.other_jurisdictions("南山区和广东省的OPC社区", shenzhen) == []
    # nor are the places government.yaml lists under the city though the tables lack them (a district made later,
    # a zone): they lie inside it, and so inside its province and China
    for text in ("光明区的OPC社区", "前海和河套是做什么的", "Does Qianhai have an OPC community?"):
        assert places.other_jurisdictions(text, shenzhen) == [], text
    guangming = places.find("光明区")[0]
    assert places.within(guangming, "440000") and not places.within(guangming, "440100")


ORIGIN = [
    ("我在北京读的博士，来深圳落户能拿多少补贴？", "sz-ai-opc-plan:m2"),
    ("I graduated from a university in Shanghai. How large a personal startup loan can I get in Shenzhen?",
     "sz-ai-opc-plan:m5"),
    ("我從香港過來深圳創業，住房補貼每月多少？", "sz-ai-opc-plan:m4"),
]


@pytest.mark.parametrize("question, clause", ORIGIN, ids=[q for q, _ in ORIGIN])
def test_a_founder_from_elsewhere_is_answered(bot, question, clause):
    answer = bot.ask(question)
    assert answer.answerable and answer.citations[0].clause_id == clause


ELSEWHERE = [
    ("杭州对一人公司有什么补贴？", "只适用于深圳市"),
    ("臺北市的OPC創業補貼有多少？", "只適用於深圳市"),
    ("How much is the housing subsidy in Chengdu?", "covers Shenzhen only"),
    ("What grants does Texas give solo founders?", "covers Shenzhen only"),
]


@pytest.mark.parametrize("question, says", ELSEWHERE, ids=[q for q, _ in ELSEWHERE])
def test_another_places_policy_is_refused_naming_the_plans_place(bot, question, says):
    answer = bot.ask(question)
    assert not answer.answerable and says in answer.answer and answer.citations == []


def test_speller_fixes_typos_but_not_out_of_scope_words():
    s = Speller({"housing", "subsidy", "training", "voucher", "model", "personal"}, ["住房补贴", "训练算力券"],
                {"visa"})
    assert s.correct("how much is the houseing subsity") == "how much is the housing subsidy"
    assert s.correct("trainning vouchr, modle") == "training voucher, model"
    assert s.correct("住房不贴每月多少") == "住房补贴每月多少"
    assert s.correct("训练算利券") == "训练算力券"
    assert s.correct("visa policy") == "visa policy"
    assert s.correct("住房补贴") == "住房补贴"


def test_speller_reads_look_alike_characters_of_plan_terms():
    s = Speller(set(), ["模型券", "数据语料券", "住房补贴"], set(), ["券卷", "贴帖"])
    assert s.correct("数据语料卷和模形卷") == "数据语料券和模型券"  # a look-alike, and a homophone with one
    assert s.correct("數據語料卷") == "數據語料券"  # in the script it was typed in
    assert s.correct("住房補貼") == "住房補貼"  # Traditional is no typo
    assert s.correct("問卷模形") == "問卷模形"  # no term: nothing changes
    assert Speller(set(), ["模型券"], set()).correct("模型卷") == "模型卷"  # without the table, no look-alikes


def test_speller_never_cuts_a_written_word_in_two():
    # 人才方 sounds like 人才房, but 方面 is a word of the text; 住房不贴 cuts no word (不 and 贴 stand alone)
    s = Speller(set(), ["人才房", "住房补贴", "落户补贴"], set())
    assert s.correct("企业和人才方面的目标是多少") == "企业和人才方面的目标是多少"
    assert s.correct("人才方面有什么支持") == "人才方面有什么支持"
    assert s.correct("我想申请住房不贴") == "我想申请住房补贴"
    assert s.correct("落护补贴多少钱") == "落户补贴多少钱"


@pytest.mark.parametrize("text", ["What share of the contract does it cover?", "What is the yearly cap?",
                                  "Is there a grant for a startup team?", "How early can I apply?"])
def test_speller_leaves_real_english_words_alone(text):
    # "share" is one edit from "shared", "yearly" from "early": words of the language are not typos.
    s = Speller({"shared", "early", "grants", "startups", "apply"}, [], set())
    assert s.correct(text) == text


@pytest.mark.parametrize("question, clause, figure", [
    ("how much is the houseing subsidy", "sz-ai-opc-plan:m4", "1,250 yuan"),
    ("trainning vouchr", "sz-ai-opc-plan:m6", "10 million yuan"),
    ("住房不贴每月多少", "sz-ai-opc-plan:m4", "1250元"),
    ("住房補帖每月多少？", "sz-ai-opc-plan:m4", "1250元"),
])
def test_misspelt_questions_lead_with_their_topic(bot, question, clause, figure):
    answer = bot.ask(question)
    assert answer.answerable and answer.citations[0].clause_id == clause and figure in answer.answer


def test_adversarial_gate_evaluation_through_the_llm_path(bot, settings, tmp_path):
    from assistant.evaluate import adversarial as adv

    items = yaml.safe_load((Path(__file__).resolve().parent.parent / "eval" / "gate.yaml").read_text("utf-8"))
    picked = [i for i in items if i["id"].startswith("m6-")][:24]
    result = adv.run(settings, [adv.GateItem.model_validate(i) for i in picked])
    assert result.passed and result.items == len(picked) and result.lies_blocked["all"] == 1.0
    # mislabel a lie as a truth: the evaluation must notice, and fail
    wrong = [adv.GateItem.model_validate({**i, "truthful": True}) if i["kind"] == "subject" else
             adv.GateItem.model_validate(i) for i in picked]
    failed = adv.run(settings, wrong)
    assert not failed.passed and failed.failures and all("subject" in f["id"] for f in failed.failures)
    paths = adv.write_reports(tmp_path, failed)
    assert "FAILED" in paths["gate_html"].read_text("utf-8")


def test_opc_eval_adversarial_reports_and_gates(bot, data_dir, tmp_path):
    """`opc eval --adversarial` as a real process: gate.json/html written; a mislabelled item fails the run."""
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    items = yaml.safe_load((root / "eval" / "gate.yaml").read_text("utf-8"))
    picked = [i for i in items if i["id"].startswith("m2-en-")][:6]
    golden = [{"id": "hukou", "question": "How much is the hukou subsidy?", "language": "en", "category": "figure",
               "answerable": True, "expected_clauses": ["sz-ai-opc-plan:m2"], "expected_figures": ["100,000 yuan"]}]
    (tmp_path / "golden.yaml").write_text(yaml.safe_dump(golden), encoding="utf-8")
    env = {**os.environ, "OPC_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    opc = str(Path(sys.executable).parent / "opc")

    def run(gate_items, out):
        (tmp_path / "gate.yaml").write_text(yaml.safe_dump(gate_items, allow_unicode=True), encoding="utf-8")
        return subprocess.run([opc, "eval", "--mode", "extractive", "--dataset", tmp_path / "golden.yaml",
                               "--adversarial", tmp_path / "gate.yaml", "--out", tmp_path / out],
                              capture_output=True, text=True, env=env, timeout=600)

    ok = run(picked, "ok")
    assert ok.returncode == 0, ok.stderr
    report = json.loads((tmp_path / "ok" / "gate.json").read_text("utf-8"))
    assert report["passed"] and report["items"] == len(picked) and (tmp_path / "ok" / "gate.html").exists()
    lie = next(i for i in picked if not i["truthful"])
    bad = run([{**i, "truthful": True} if i is lie else i for i in picked], "bad")
    assert bad.returncode == 1 and lie["id"] in bad.stderr and "Adversarial gate evaluation FAILED" in bad.stderr


def test_out_of_scope_mentions_follow_each_documents_own_text():
    """Out-of-scope terms the corpus mentions are found per document and remembered by the document's text: the
    same answer as searching every clause at once, and a changed or added document is searched again."""
    from dataclasses import replace

    from assistant.library.retrieve import _folded, _mentioned_terms, _term_pattern

    corpus = load_corpus(BUILTIN_CORPUS)
    terms = tuple(corpus.out_of_scope)
    haystack = "\n".join(_folded(t) for c in corpus.clauses for t in c.text.values())
    whole = {t for t in terms if _term_pattern(t).search(haystack)}
    assert _mentioned_terms(corpus.clauses, terms) == whole
    free = next(t for t in terms if t not in whole and not t.isascii())  # a Chinese term the plan never says
    base = corpus.clauses[0]
    notice = replace(base, doc_id="district-notice", text={"zh": f"本区另行制定{free}相关办法。"})
    assert _mentioned_terms([*corpus.clauses, notice], terms) == whole | {free}
    reworded = replace(notice, text={"zh": "本区另行制定人才住房相关办法。"})
    assert _mentioned_terms([*corpus.clauses, reworded], terms) == whole  # its new text, not the cached one


# study or work told with the school or employer between the verb and the place: the founder's story
@pytest.mark.parametrize("text, other", [
    ("I did a PhD at HKUST in Hong Kong and now I'm starting up here. How much is the model voucher?", []),
    ("I did a master's at NUS in Singapore; what is the housing subsidy?", []),
    ("Then I worked at a Beijing LLM startup. What loans are there?", []),
    ("我在新加坡念的硕士，落户补贴多少？", []),
    ("What does Hong Kong offer AI startups?", ["Hong Kong"]),            # another place's policy asked
    ("Is the PhD subsidy in Singapore larger?", ["Singapore"]),
])
def test_a_place_of_study_or_work_in_a_story_is_no_policy_asked(places, text, other):
    shenzhen = places.jurisdiction_of(SimpleNamespace(jurisdiction=None), "深圳市")
    assert [p.en for p in places.other_jurisdictions(text, shenzhen)] == other
