"""Facts of added documents extracted at ingestion and stored beside them: by rule, and by a configured
model whose every field is verified against its clause; at load the stored records are verified again, and a
document added by older code (no facts file) is still extracted at load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from assistant import Assistant, Settings
from assistant.ingest.store import documents_root
from assistant.knowledge.corpus import load_corpus
from assistant.settings import LLMSettings
from assistant.types import FounderProfile

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


ROOT = Path(__file__).resolve().parent.parent

# A district notice written for these tests, in the shape Chinese district measures take.
DONGBIN_ZH = """东滨区支持人工智能一人公司发展的若干措施

第一条 为加快培育人工智能一人公司（OPC），结合本区实际，制定本措施。

第二条 对新引进到东滨区创业的全日制硕士及以上学历人才，给予住房补贴每月3000元，最长24个月。

第三条 对在东滨区注册的人工智能小微企业，给予算力券支持，每家每年最高50万元。

第四条 对毕业5年内的高校毕业生创办的企业，给予一次性创业补贴2万元。

第五条 本措施自2026年3月1日起施行，有效期2年。
"""

# An English notice as a city's English site words one.
XINGLAN_EN = """Xinglan City Measures for Supporting AI Start-up Teams

Article 1 These measures support artificial intelligence start-up teams settling in Xinglan City.

Article 2 Start-up teams renting office space in a Xinglan incubator receive a rent subsidy of up to 60,000 yuan per year for up to 3 years.

Article 3 Founders holding a doctoral degree receive a one-off settlement grant of 100,000 yuan.

Article 4 These measures take effect on 1 April 2026 and are valid for three years.
"""


def _q(zh: str | None = None, en: str | None = None) -> dict:
    return {k: v for k, v in (("zh", zh), ("en", en)) if v}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _stored(settings, doc_id: str) -> list[dict]:
    return yaml.safe_load((documents_root(settings.data_dir) / doc_id / "facts.yaml").read_text("utf-8"))["facts"]


def _facts(bot, doc_id: str):
    return {f.id: f for f in bot.corpus.facts if f.doc_id == doc_id}


@pytest.fixture(scope="module")
def rules_bot(seeded_data_dir):
    return Assistant.load(Settings(data_dir=seeded_data_dir("opc-facts-rules")))


@pytest.fixture(scope="module")
def model_bot(seeded_data_dir, llm):
    settings = Settings(data_dir=seeded_data_dir("opc-facts-model"),
                        llm=LLMSettings(base_url=llm.base_url, model="scripted-facts", timeout=2))
    return Assistant.load(settings)


# --- by rule, stored, verified at load -----------------------------------------------------------------------
def test_rule_facts_are_written_at_ingestion_and_verified_at_load(rules_bot, tmp_path):
    info = rules_bot.add_document(_write(tmp_path, "dongbin.txt", DONGBIN_ZH))
    stored = _stored(rules_bot.settings, info.id)
    by_value = {r["amount"]["value"]: r for r in stored}
    assert set(by_value) == {3000, 500000, 20000}
    rent = by_value[3000]
    assert rent["amount"]["per"] == "month" and rent["duration"] == {
        "value": 24, "unit": "month", "bound": "cap", "quote": {"zh": rent["amount"]["quote"]["zh"]}}
    assert rent["provenance"]["extracted_by"] == "rule" and rent["reviewed"] is False
    assert "issuer" not in rent  # filled from document.yaml at load, never frozen into the file
    loaded = _facts(rules_bot, info.id)
    assert {f.amount.value for f in loaded.values()} == {3000, 500000, 20000}
    assert all(f.provenance.extracted_by == "rule" for f in loaded.values())


def test_a_stored_fact_that_no_longer_matches_is_dropped_at_load(rules_bot, tmp_path):
    info = rules_bot.add_document(_write(tmp_path, "dongbin-2.txt", DONGBIN_ZH.replace("东滨区", "西岭区")))
    folder = documents_root(rules_bot.settings.data_dir) / info.id
    rows = _stored(rules_bot.settings, info.id)
    voucher = next(r for r in rows if r["amount"]["value"] == 500000)
    voucher["amount"]["value"] = 800000  # edited by hand: the clause says 50万元
    (folder / "facts.yaml").write_text(yaml.safe_dump({"facts": rows}, allow_unicode=True), "utf-8")
    corpus = load_corpus(rules_bot.settings.corpus_dir, documents_root(rules_bot.settings.data_dir))
    mine = [f for f in corpus.facts if f.doc_id == info.id]
    assert {f.amount.value for f in mine} == {3000, 20000}
    assert any(p.startswith(f"{info.id}: ") and "800,000" in p for p in corpus.fact_problems)


def test_older_folders_without_a_facts_file_are_extracted_at_load(rules_bot, tmp_path):
    info = rules_bot.add_document(_write(tmp_path, "dongbin-3.txt", DONGBIN_ZH.replace("东滨区", "北岸区")))
    folder = documents_root(rules_bot.settings.data_dir) / info.id
    (folder / "facts.yaml").unlink()  # as earlier code wrote it
    corpus = load_corpus(rules_bot.settings.corpus_dir, documents_root(rules_bot.settings.data_dir))
    assert {f.amount.value for f in corpus.facts if f.doc_id == info.id} == {3000, 500000, 20000}
    (folder / "facts.yaml").write_text("facts: [{id: x, clause: nowhere}]\n", "utf-8")  # unreadable
    corpus = load_corpus(rules_bot.settings.corpus_dir, documents_root(rules_bot.settings.data_dir))
    assert {f.amount.value for f in corpus.facts if f.doc_id == info.id} == {3000, 500000, 20000}
    assert any(p.startswith(f"{info.id}: ") and "extracted by rule instead" in p for p in corpus.fact_problems)


# --- by a configured model ----------------------------------------------------------------------------------
def _dongbin_reply() -> dict:
    """What a model that reads the Dongbin notice right answers, plus one lie of each kind."""
    return {"facts": [
        {"clause": "art2", "names": {"zh": "住房补贴", "en": "Housing subsidy"}, "kind": "cash_grant",
         "amount": {"value": 3000, "unit": "yuan", "per": "month", "bound": "exact", "quote": _q("每月3000元")},
         "duration": {"value": 24, "unit": "month", "bound": "cap", "quote": _q("最长24个月")},
         "conditions": [
             {"field": "newly_arrived", "op": "eq", "value": True, "quote": _q("新引进")},
             {"field": "degree", "op": "in", "value": ["master", "doctoral"], "quote": _q("硕士及以上学历")}]},
        {"clause": "art3", "names": {"zh": "算力券", "en": "Computing power voucher"}, "kind": "voucher",
         "amount": {"value": 500000, "unit": "yuan", "per": "year", "bound": "cap", "quote": _q("每家每年最高50万元")},
         "conditions": [
             {"field": "company_size", "op": "in", "value": ["micro", "small"], "quote": _q("小微企业")},
             {"field": "works_in_ai", "op": "eq", "value": True, "quote": _q("人工智能小微企业")}]},
        # lies: an invented figure (the clause says 2万元) ...
        {"clause": "art4", "names": {"zh": "创业补贴", "en": "Start-up grant"}, "kind": "cash_grant",
         "amount": {"value": 50000, "unit": "yuan", "per": "one_off", "quote": _q("一次性创业补贴2万元")}},
        # ... a true figure of the voucher given to the housing subsidy ...
        {"clause": "art3", "names": {"zh": "住房补贴", "en": "Housing subsidy"}, "kind": "cash_grant",
         "amount": {"value": 500000, "unit": "yuan", "per": "year", "bound": "cap", "quote": _q("每家每年最高50万元")}},
        # ... and a condition in words the clause does not have.
        {"clause": "art4", "names": {"zh": "毕业生创业补贴", "en": "Graduate start-up grant"}, "kind": "cash_grant",
         "conditions": [{"field": "degree", "op": "eq", "value": "doctoral", "quote": _q("须具有博士学位")}]},
    ]}


def test_model_facts_are_verified_field_by_field_and_decide_eligibility(model_bot, llm, tmp_path):
    llm.script(llm.reply(_dongbin_reply()))
    info = model_bot.add_document(_write(tmp_path, "dongbin.txt", DONGBIN_ZH))
    assert llm.pending == 0
    asked = llm.requests[-1]["messages"]
    assert "每家每年最高50万元" in asked[-1]["content"] and "years_since_graduation" in asked[0]["content"]
    facts = _facts(model_bot, info.id)
    by_model = {f.names.zh: f for f in facts.values() if f.provenance.extracted_by == "model"}
    assert set(by_model) == {"住房补贴", "算力券"}
    housing = by_model["住房补贴"]
    assert (housing.amount.value, housing.duration.months, len(housing.conditions)) == (3000, 24, 2)
    assert housing.provenance.model == "scripted-facts" and housing.provenance.conditions_complete
    assert by_model["算力券"].amount.value == 500000
    # the grant's true figure still comes from the rules; the invented 5万元 and the misattributed 50万元 do not
    values = sorted(f.amount.value for f in facts.values())
    assert values == [3000, 20000, 500000]
    warned = " | ".join(info.warnings)
    assert "创业补贴" in warned and "50,000" in warned  # invented figure
    assert "'住房补贴'" in warned and "art3" in warned  # misattributed figure
    assert "须具有博士学位" in warned  # quote not in the clause
    stored = {r["names"]["zh"]: r for r in _stored(model_bot.settings, info.id)}
    assert stored["住房补贴"]["provenance"]["extracted_by"] == "model"

    def status(profile, fid):
        result = model_bot.eligibility(FounderProfile(**profile), "zh", documents=[info.id])  # not the home's
        return next(b for b in result.benefits if b.fact_id == fid)

    fit = status({"newly_arrived": True, "degree": "master"}, housing.id)
    assert fit.status == "met" and fit.citation.clause_id == f"{info.id}:art2" and "3000" in fit.amount
    out = status({"newly_arrived": True, "degree": "bachelor"}, housing.id)
    assert out.status == "not_met" and any(c.says == "硕士及以上学历" for c in out.conditions)
    assert status({"degree": "master"}, housing.id).needed == ["newly_arrived"]
    voucher = by_model["算力券"].id
    assert status({"company_size": "micro", "works_in_ai": True}, voucher).status == "met"
    assert status({"company_size": "large", "works_in_ai": True}, voucher).status == "not_met"
    # rule records read no conditions: never called met
    grant = next(f.id for f in facts.values() if f.provenance.extracted_by == "rule")
    assert status({"degree": "doctoral"}, grant).status == "unknown"


def test_english_model_facts_and_a_condition_that_fails(model_bot, llm, tmp_path):
    llm.script(llm.reply({"facts": [
        {"clause": "art2", "names": {"zh": "孵化器租金补贴", "en": "Incubator rent subsidy"}, "kind": "space",
         "amount": {"value": 60000, "unit": "yuan", "per": "year", "bound": "cap", "quote": _q(en="up to 60,000 yuan per year")},
         "duration": {"value": 3, "unit": "year", "bound": "cap", "quote": _q(en="for up to 3 years")}},
        {"clause": "art3", "names": {"zh": "落户补贴", "en": "Settlement grant"}, "kind": "cash_grant",
         "amount": {"value": 100000, "unit": "yuan", "per": "one_off", "quote": _q(en="one-off settlement grant of 100,000 yuan")},
         "conditions": [
             {"field": "degree", "op": "eq", "value": "doctoral", "quote": _q(en="holding a doctoral degree")},
             {"field": "overseas_educated", "op": "eq", "value": True, "quote": _q(en="who studied abroad")}]},
    ]}))
    info = model_bot.add_document(_write(tmp_path, "xinglan.txt", XINGLAN_EN))
    facts = {f.names.en: f for f in _facts(model_bot, info.id).values()}
    rent = facts["Incubator rent subsidy"]
    assert (rent.amount.value, rent.amount.per, rent.duration.months) == (60000, "year", 36)
    grant = facts["Settlement grant"]
    assert [c.field for c in grant.conditions] == ["degree"] and not grant.provenance.conditions_complete
    assert any("overseas_educated" in w and "who studied abroad" in w for w in info.warnings)
    # a condition was dropped: what is left can rule a founder out, but never call the grant met
    result = {b.fact_id: b for b in model_bot.eligibility(FounderProfile(degree="master"), "en",
                                                                   documents=[info.id]).benefits}
    assert result[grant.id].status == "not_met"
    result = {b.fact_id: b for b in model_bot.eligibility(FounderProfile(degree="doctoral"), "en",
                                                                   documents=[info.id]).benefits}
    assert result[grant.id].status == "unknown"


@pytest.mark.parametrize("step, reason", [
    ({"delay": 4, "content": "{}"}, "no reply in time"),
    ({"content": "Sorry, I can't help with extracting policy data."}, "not valid JSON"),
    ({"malformed": True}, ""),
    ({"content": '{"answer": "no facts here"}'}, "no list of facts"),
])
def test_a_failing_model_falls_back_to_rules(model_bot, llm, tmp_path, step, reason):
    llm.script(step)
    text = XINGLAN_EN.replace("Xinglan", f"Qiaoshan {tmp_path.name}")  # a new document each time
    # its own file name too: a title read from a file name shared with an earlier upload is a conflict
    info = model_bot.add_document(_write(tmp_path, f"qiaoshan-{tmp_path.name}.txt", text))
    facts = _facts(model_bot, info.id).values()
    assert {f.amount.value for f in facts} == {60000, 100000}
    assert all(f.provenance.extracted_by == "rule" for f in facts)
    failed = [w for w in info.warnings if "could not read the facts" in w]
    assert failed and reason in failed[0]


def test_facts_by_model_off_uses_rules_only(seeded_data_dir, llm, tmp_path):
    settings = Settings(data_dir=seeded_data_dir("opc-facts-off"), facts_by_model=False,
                        llm=LLMSettings(base_url=llm.base_url, model="scripted-facts", timeout=2))
    assert not settings.facts_model_on and Settings(llm=settings.llm).facts_model_on
    llm.script()
    before = len(llm.requests)
    bot = Assistant.load(settings)
    info = bot.add_document(_write(tmp_path, "dongbin.txt", DONGBIN_ZH))
    assert len(llm.requests) == before
    assert {f.provenance.extracted_by for f in _facts(bot, info.id).values()} == {"rule"}


def test_bulk_add_writes_facts_and_reports_model_warnings(model_bot, llm, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    _write(folder, "a.txt", DONGBIN_ZH.replace("东滨区", "南湖区"))
    _write(folder, "b.txt", XINGLAN_EN.replace("Xinglan", "Riverton"))
    llm.script(llm.reply(_dongbin_reply()), {"status": 503})
    report = model_bot.add_documents([str(folder / "a.txt"), str(folder / "b.txt")], workers=1)
    added = [o for o in report.outcomes if o.status == "added"]
    assert len(added) == 2, report.outcomes
    by_source = {Path(o.source).name: o for o in added}
    assert "须具有博士学位" in by_source["a.txt"].reason
    assert "could not read the facts" in by_source["b.txt"].reason
    for o in added:
        assert (documents_root(model_bot.settings.data_dir) / o.doc_id / "facts.yaml").is_file()
    kinds = {f.provenance.extracted_by for f in model_bot.corpus.facts if f.doc_id == by_source["a.txt"].doc_id}
    assert kinds == {"model", "rule"}


def test_copying_a_document_folder_keeps_its_facts(rules_bot, tmp_path):
    """The facts file travels with the folder (the database stores folders generically): a copy loads the same."""
    info = rules_bot.add_document(_write(tmp_path, "dongbin-4.txt", DONGBIN_ZH.replace("东滨区", "东湖区")))
    copy = tmp_path / "copy"
    shutil.copytree(documents_root(rules_bot.settings.data_dir) / info.id, copy / info.id)
    corpus = load_corpus(ROOT / "corpus", copy)
    assert {f.amount.value for f in corpus.facts if f.doc_id == info.id} == {3000, 500000, 20000}


def test_post_documents_reports_the_models_dropped_facts_and_eligibility_decides_the_rest(seeded_data_dir, llm):
    import httpx

    from assistant.api import create_app
    from harness.servers import serve

    settings = Settings(data_dir=seeded_data_dir("opc-facts-api"), ui=False, api_keys=["k:admin"], rate_limit="",
                        rate_limit_per_user="", llm=LLMSettings(base_url=llm.base_url, model="scripted-facts",
                                                                timeout=2))
    llm.script(llm.reply(_dongbin_reply()))
    with serve(create_app(settings, Assistant.load(settings))) as url, \
            httpx.Client(base_url=url, headers={"Authorization": "Bearer k"}, timeout=120) as http:
        added = http.post("/v1/documents", files={"file": ("dongbin.txt", DONGBIN_ZH.encode(), "text/plain")})
        assert added.status_code == 201, added.text
        warnings = " | ".join(added.json()["warnings"])
        assert "须具有博士学位" in warnings and "50,000" in warnings
        result = http.post("/v1/eligibility", json={"language": "zh", "jurisdictions": ["东滨区"], "profile": {
            "newly_arrived": True, "degree": "doctoral", "company_size": "small", "works_in_ai": True}})
        assert result.status_code == 200, result.text
        mine = [b for b in result.json()["benefits"] if b["citation"]["doc_id"] == added.json()["id"]]
        assert sorted(b["status"] for b in mine) == ["met", "met", "unknown"]
        assert {b["citation"]["label"] for b in mine if b["status"] == "met"} == {"第二条", "第三条"}


def test_a_degree_condition_must_name_its_lowest_degree(llm):
    """"本科及以上" is bachelor and above: a model narrowing it to master's loses the condition."""
    from assistant.answering.llm import ChatModel
    from assistant.knowledge.facts_by_model import read_facts
    from assistant.types import Clause, Document

    text = "对本科及以上学历的新引进人才，给予一次性生活补贴3万元。"
    doc = Document(id="beian", title={"zh": "北岸区人才办法"}, short_title={"zh": "北岸办法"}, issuer={},
                   authority="document", effective_date=None, valid_until=None, official_url=None,
                   versions={"zh": {}}, clauses=[Clause(doc_id="beian", local_id="art2", label={"zh": "第二条"},
                                                        title={}, text={"zh": text})])

    def reply(values):
        return llm.reply({"facts": [{"clause": "art2", "names": {"zh": "生活补贴", "en": "Living subsidy"},
                                     "kind": "cash_grant", "amount": {"value": 30000, "unit": "yuan", "per": "one_off",
                                                                      "quote": _q("一次性生活补贴3万元")},
                                     "conditions": [{"field": "degree", "op": "in", "value": values,
                                                     "quote": _q("本科及以上学历")}]}]})

    rules = load_corpus(ROOT / "corpus").claims
    model = ChatModel(LLMSettings(base_url=llm.base_url, model="scripted-facts", timeout=2))
    llm.script(reply(["master", "doctoral"]), reply(["bachelor", "master", "doctoral"]))
    narrowed = read_facts(doc, rules, model)
    fact = next(f for f in narrowed.facts if f.provenance.extracted_by == "model")
    assert fact.conditions == [] and not fact.provenance.conditions_complete
    assert any("includes master" in w and "bachelor" in w for w in narrowed.warnings)
    right = read_facts(doc, rules, model)
    fact = next(f for f in right.facts if f.provenance.extracted_by == "model")
    assert fact.conditions[0].value == ["bachelor", "master", "doctoral"] and fact.provenance.conditions_complete


def test_a_sloppy_but_true_reply_is_kept_once(llm):
    """A name in one language, `conditions: null`, the same benefit listed twice: one verified fact."""
    from assistant.answering.llm import ChatModel
    from assistant.knowledge.facts_by_model import read_facts

    from .test_facts import _doc

    doc = _doc([("a3", "第三条", {"zh": "对入驻南山OPC社区的企业，每年最高8万元办公租金补贴。",
                                  "en": "Enterprises in a Nanshan OPC community get an office rent subsidy of up to "
                                        "80,000 yuan per year."})])
    rent = {"clause": "a3", "names": {"zh": "办公租金补贴"}, "kind": "cash_grant", "conditions": None,
            "amount": {"value": 80000, "unit": "yuan", "per": "year", "bound": "cap",
                       "quote": _q("每年最高8万元", "up to 80,000 yuan per year")}}
    llm.script(llm.reply({"facts": [rent, rent, "not a fact"]}))
    reading = read_facts(doc, load_corpus(ROOT / "corpus").claims,
                         ChatModel(LLMSettings(base_url=llm.base_url, model="scripted-facts", timeout=2)))
    assert len(reading.facts) == 1 and reading.warnings == []
    fact = reading.facts[0]
    assert (fact.names.en, fact.provenance.extracted_by, fact.amount.quote.en) == \
        ("办公租金补贴", "model", "up to 80,000 yuan per year")
