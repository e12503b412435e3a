"""Questions about documents an operator added, in wordings and places the documents evaluation does not use:
a city and a district no gazetteer knows (云岫市, 青榆区), written here and laid out as published
(harness/govdocs.py). An English question about the city's Chinese-only rules is answered from them, not from
the district's translated page; a document named by the tail of its title ("数据券管理办法") is the one answered
from; what the documents leave unstated is declared of them by title, never of "the plan"."""

from __future__ import annotations

import datetime as dt

import pytest

from harness import govdocs as g

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system

DATA_VOUCHERS = {  # the city's rules: Chinese only, a PDF notice
    "issuer": "云岫市数据管理局",
    "number": "云数规〔2026〕1号",
    "title": "云岫市人工智能数据券管理办法",
    "addressee": "各区数据管理部门，各有关单位：",
    "wrapper": "现将《云岫市人工智能数据券管理办法》印发给你们，请认真贯彻执行。",
    "signed": "2026年1月10日",
    "articles": [
        "第一条 为降低人工智能企业获取高质量数据的成本，制定本办法。",
        "第二条 数据券的申领对象为在本市注册、从事人工智能研发的企业。",
        "第三条 数据券用于购买数据标注、数据清洗和语料采购服务，每家企业每年最高15万元。",
        "第四条 数据券自发放之日起6个月内有效，逾期作废。",
        "第五条 本办法自2026年2月1日起施行，有效期4年。",
    ],
}
QINGYU = {  # a district of the city, with an English translation
    "issuer": "云岫市青榆区经济发展局",
    "number": "青经发〔2026〕2号",
    "title": "云岫市青榆区支持人工智能一人公司若干措施",
    "addressee": "区各有关单位：",
    "wrapper": "现将《云岫市青榆区支持人工智能一人公司若干措施》印发给你们，请认真贯彻执行。",
    "signed": "2026年1月20日",
    "articles": [
        "第一条 为支持人工智能一人公司在青榆区发展，制定本措施。",
        "第二条 办公租金补贴。对入驻区内孵化载体的一人公司，给予每年最高6万元的办公租金补贴，最长3年。",
        "第三条 数据服务补贴。对购买数据服务的一人公司，按实际费用的30%给予补贴，每家每年最高25万元。",
        "第四条 本措施自2026年2月1日起施行，有效期3年。",
    ],
}
QINGYU_EN = {
    "title": "Measures of Qingyu District, Yunxiu City, to Support AI One-Person Companies",
    "issuer": "Qingyu District Economic Development Bureau",
    "articles": [
        "Article 1 These measures are formulated to support AI one-person companies in Qingyu District.",
        "Article 2 Office rent subsidy. One-person companies settling in an incubator of the district receive an "
        "office rent subsidy of up to 60,000 yuan per year, for up to 3 years.",
        "Article 3 Data service subsidy. One-person companies buying data services receive 30% of the actual cost, "
        "up to 250,000 yuan per company per year.",
        "Article 4 These measures take effect on February 1, 2026 and are valid for three years.",
    ],
}


@pytest.fixture(scope="module")
def city(seeded_data_dir, tmp_path_factory):
    from assistant import Assistant, Settings

    # a Shenzhen deployment (the home default) whose operator added another city's documents; a day they are
    # in force
    settings = Settings(data_dir=seeded_data_dir("opc-yunxiu"), today=dt.date(2026, 6, 15))
    bot = Assistant.load(settings)
    folder = tmp_path_factory.mktemp("yunxiu")
    for name, data, options in [("yunxiu-data-vouchers.pdf", g.notice_pdf(DATA_VOUCHERS), {}),
                                ("qingyu-measures.pdf", g.notice_pdf(QINGYU), {}),
                                ("qingyu-measures-en.html", g.english_page(QINGYU_EN),
                                 {"translation_of": "qingyu-measures", "lang": "en"})]:
        path = folder / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        bot.add_document(str(path), **options)
    return bot


def cited(answer) -> set[str]:
    return {c.doc_id for c in answer.citations}


@pytest.mark.parametrize("question", ["How much are Yunxiu's data vouchers worth per company per year?",
                                      "What is the yearly cap of a Yunxiu City data voucher for one company?"])
def test_english_question_about_chinese_only_rules_is_answered_from_them(city, question):
    # The district's English page matches an English question more closely than the city's Chinese rules do;
    # the city named is still answered from its own rules.
    a = city.ask(question, mode="extractive")
    assert a.answerable and a.language == "en"
    assert "yunxiu-data-vouchers" in cited(a), a.answer
    assert "15万元" in a.answer or "150,000" in a.answer, a.answer
    assert "250,000" not in a.answer and "25万元" not in a.answer, a.answer


def test_traditional_question_about_the_city_rules(city):
    a = city.ask("雲岫市的數據券每家企業每年最高多少？", mode="extractive")
    assert a.language == "zh-Hant" and "yunxiu-data-vouchers" in cited(a), a.answer
    assert "15萬元" in a.answer, a.answer


@pytest.mark.parametrize("question, figure", [("数据券管理办法有效期几年？", "4年"),
                                              ("數據券管理辦法從哪天開始施行？", "2026年2月1日"),
                                              ("一人公司若干措施的有效期是多久？", "3年")])
def test_document_named_by_the_tail_of_its_title(city, question, figure):
    a = city.ask(question, mode="extractive")
    want = "qingyu-measures" if "措施" in question else "yunxiu-data-vouchers"
    assert a.citations and a.citations[0].doc_id == want, a.answer
    assert figure in a.answer, a.answer


def test_a_bare_kind_of_document_names_none(city):
    scoper = city.retriever.scoper
    assert scoper.named("管理办法有效期几年") == set()
    assert scoper.named("若干措施什么时候施行") == set()
    assert scoper.named("数据券管理办法有效期几年") == {"yunxiu-data-vouchers"}


@pytest.mark.parametrize("question, lang, said, issuer", [
    ("青榆区办公租金补贴每年最多多少？到哪里申请？", "zh", "《云岫市青榆区支持人工智能一人公司若干措施》没有说明在哪里", "云岫市青榆区经济发展局"),
    ("青榆區辦公租金補貼每年最多多少？申請截止時間是什麼時候？", "zh-Hant", "《雲岫市青榆區支持人工智能一人公司若干措施》沒有規定申請截止時間",
     "雲岫市青榆區經濟發展局"),
    ("What is the office rent subsidy cap in Qingyu District per year, and where should I apply?", "en",
     "Measures of Qingyu District, Yunxiu City, to Support AI One-Person Companies does not say where",
     "云岫市青榆区经济发展局"),  # a translation's issuer is not the document's: its own, as it signs
])
def test_unstated_part_is_declared_of_the_documents_answered_from(city, question, lang, said, issuer):
    a = city.ask(question, mode="extractive")
    assert a.answerable and a.language == lang and "qingyu-measures" in cited(a), a.answer
    assert said in a.answer, a.answer
    assert issuer in a.answer, a.answer
    for plan in ("行动计划", "The plan", "the plan", "計畫", "行動計劃"):
        assert plan not in a.answer, a.answer
    assert a.unstated and said in a.unstated[0].text
