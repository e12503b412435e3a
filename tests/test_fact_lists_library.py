"""Lists over a library: verified facts of added documents take part in list answers
when the question (or the request) is scoped to them, or when they are the home jurisdiction's and in force; each
under its issuer and cited, never inside the plan's lines."""

from __future__ import annotations

import pytest

from assistant import Assistant, Settings
from assistant.settings import LLMSettings

# Notices written for these tests.
# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


SZ_NOTICE = """深圳市工业和信息化局关于人工智能企业算力支持的通知
深工信规〔2026〕5号
各有关单位：
第一条 为降低人工智能企业算力成本，制定本通知。
第二条 对在深圳注册的人工智能企业，发放算力补贴券，每家每年最高30万元。
第三条 对毕业5年内的高校毕业生在深圳创办的人工智能企业，给予一次性创业补贴3万元。
第四条 本通知自2026年2月1日起施行，有效期3年。
深圳市工业和信息化局
2026年2月1日
"""

XINGLAN_EN = """Xinglan City Measures for AI Start-up Vouchers
Issued by: Xinglan City Science and Technology Bureau

Article 1 These measures support artificial intelligence start-ups in Xinglan City.
Article 2 AI start-ups registered in Xinglan City receive compute vouchers of up to 150,000 yuan per year.
Article 3 Start-ups renting space in a Xinglan incubator receive a rent subsidy of 3,000 yuan per month.
Article 4 These measures take effect on 1 April 2026 and are valid for three years.
"""


def _fact(clause, zh, en, kind, amount):
    return {"clause": clause, "names": {"zh": zh, "en": en}, "kind": kind, "amount": amount}


# What a model reads from them (the scripted OpenAI-compatible server); every field is verified at the add.
SZ_READ = {"facts": [_fact("art2", "算力补贴券", "Compute subsidy voucher", "voucher",
                           {"value": 300000, "unit": "yuan", "per": "year", "bound": "cap",
                            "quote": {"zh": "每家每年最高30万元"}}),
                   dict(_fact("art3", "毕业生创业补贴", "Graduate start-up grant", "cash_grant",
                              {"value": 30000, "unit": "yuan", "per": "one_off", "quote": {"zh": "一次性创业补贴3万元"}}),
                        conditions=[{"field": "years_since_graduation", "op": "le", "value": 5,
                                     "quote": {"zh": "毕业5年内"}}])]}
XINGLAN_READ = {"facts": [
    _fact("art2", "算力券", "Compute voucher", "voucher",
          {"value": 150000, "unit": "yuan", "per": "year", "bound": "cap",
           "quote": {"en": "up to 150,000 yuan per year"}}),
    _fact("art3", "孵化器租金补贴", "Incubator rent subsidy", "space",
          {"value": 3000, "unit": "yuan", "per": "month", "quote": {"en": "3,000 yuan per month"}})]}


@pytest.fixture(scope="module")
def library(seeded_data_dir, tmp_path_factory, llm):
    settings = Settings(data_dir=seeded_data_dir("opc-fact-lists"),
                        llm=LLMSettings(base_url=llm.base_url, model="scripted-facts", timeout=2))
    bot = Assistant.load(settings)
    folder = tmp_path_factory.mktemp("list-notices")
    ids = {}
    for name, text, reply in (("sz.txt", SZ_NOTICE, SZ_READ), ("xinglan.txt", XINGLAN_EN, XINGLAN_READ)):
        (folder / name).write_text(text, encoding="utf-8")
        llm.script(llm.reply(reply))
        info = bot.add_document(folder / name)
        kept = [f for f in bot.corpus.facts if f.doc_id == info.id and f.provenance.extracted_by == "model"]
        assert len(kept) == len(reply["facts"]), info.warnings  # every fact the model read verified
        ids[name] = info.id
    return bot, ids


def _cited(answer) -> set[str]:
    return {c.doc_id for c in answer.citations}


def test_home_list_adds_the_home_notice_under_its_issuer_after_the_plan(library):
    bot, ids = library
    answer = bot.ask("有哪些券？", mode="extractive")
    assert answer.answerable
    text = answer.answer
    assert "sz-ai-opc-plan" in _cited(answer) and ids["sz.txt"] in _cited(answer)
    assert ids["xinglan.txt"] not in _cited(answer)  # another city's notice: not in "what is there here"
    plan_part, _, others = text.partition("其他文件中的支持措施")
    assert others and "深圳市工业和信息化局" in others and "30万元" in others
    assert "30万元" not in plan_part  # never mixed into the plan's lines
    n = next(c.n for c in answer.citations if c.doc_id == ids["sz.txt"])
    assert f"[{n}]" in others


def test_a_list_naming_an_added_document_lists_its_facts_in_english(library):
    bot, ids = library
    answer = bot.ask("Which subsidies do the Xinglan City Measures for AI Start-up Vouchers offer?",
                     mode="extractive")
    assert answer.answerable and _cited(answer) == {ids["xinglan.txt"]}, answer.answer
    # under the document (its English page names no issuer we read), not under the plan
    assert "Xinglan City Measures" in answer.answer.splitlines()[1]
    assert "Compute voucher: up to 150,000 yuan per year [1]" in answer.answer
    assert "3,000 yuan per month" not in answer.answer  # space, not money: the family filter holds for them too
    assert "plan's benefits" not in answer.answer


def test_a_request_narrowed_to_a_document_lists_only_its_facts(library):
    bot, ids = library
    answer = bot.ask("有哪些补贴？", mode="extractive", documents=[ids["sz.txt"]])
    assert answer.answerable and _cited(answer) == {ids["sz.txt"]}, answer.answer
    assert "深圳市工业和信息化局" in answer.answer and "30万元" in answer.answer


def test_comparisons_take_the_scoped_documents_in_and_name_their_issuer(library):
    bot, ids = library
    home = bot.ask("哪项券金额最高？", mode="extractive")
    assert home.answer.startswith("所涉文件所列金额中最高的是1000万元：训练算力券"), home.answer  # the plan's still wins
    narrowed = bot.ask("哪项补贴金额最高？", mode="extractive", documents=[ids["sz.txt"]])
    # like with like: the one-off amounts are ranked; the compute voucher's 30万元 a year is named apart, not ranked
    assert narrowed.answer.startswith("所涉文件所列金额中最高的是3万元：毕业生创业补贴（深圳市工业和信息化局）"), narrowed.answer
    assert "按期（每月、每年）或按比例计算的金额未与一次性金额比较" in narrowed.answer
    assert "算力补贴券：最高30万元/年" in narrowed.answer
    assert _cited(narrowed) == {ids["sz.txt"]}
    named = bot.ask("Which benefit of the Xinglan City Measures for AI Start-up Vouchers is the smallest?",
                    mode="extractive")
    # money benefits are compared (the rent subsidy is space), as for the plan's; amounts all stated per year are
    # ranked together, each shown with its period
    assert named.answer.startswith("The smallest amount the documents in question state is 150,000 yuan: "
                                   "Compute voucher (Xinglan City Measures for AI Start-up Vouchers) [1]."), named.answer
    assert "up to 150,000 yuan per year" in named.answer
    assert _cited(named) == {ids["xinglan.txt"]}


def test_a_founders_story_rules_out_a_home_notices_benefit_by_its_issuer(library):
    bot, ids = library
    answer = bot.ask("我硕士毕业已经7年了，还能申请创业补贴吗？", mode="extractive")
    assert answer.answerable, answer.answer
    ruled = [line for line in answer.answer.splitlines() if "毕业生创业补贴" in line]
    assert ruled and "深圳市工业和信息化局" in ruled[0] and "该文件要求“毕业5年内”" in ruled[0], answer.answer
    assert ids["sz.txt"] in _cited(answer)
