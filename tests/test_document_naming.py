"""How added documents are named, without an index: by the tail of their title, their places in English, the
glossary's terms in the plural, and the sentence declaring what they leave unstated (by title, in the reader's
language)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.answering.not_stated import documents_not_stated
from assistant.knowledge.places import Gazetteer
from assistant.library.retrieve import Glossary
from assistant.types import Document
from assistant.understanding.scope import Scoper


def doc(doc_id: str, title: dict[str, str], issuer: str, place: str) -> Document:
    return Document(id=doc_id, title=title, short_title={}, issuer={"zh": issuer}, authority="document",
                    effective_date=None, valid_until=None, official_url=None, versions={}, jurisdiction=place)


RULES = doc("rules", {"zh": "云岫市人工智能数据券管理办法"}, "云岫市数据管理局", "云岫市")
MEASURES = doc("measures", {"zh": "云岫市青榆区支持人工智能一人公司若干措施",
                            "en": "Measures of Qingyu District, Yunxiu City, to Support AI One-Person Companies"},
               "云岫市青榆区经济发展局", "青榆区")
FINANCE = doc("finance", {"zh": "松桥区一人公司融资支持实施细则"}, "松桥区金融工作局", "松桥区")


@pytest.fixture(scope="module")
def scoper():
    return Scoper(SimpleNamespace(documents=[RULES, MEASURES, FINANCE]), "深圳市")


@pytest.mark.parametrize("text, named", [
    ("数据券管理办法有效期几年", {"rules"}),
    ("一人公司若干措施什么时候施行", {"measures"}),
    ("融资支持实施细则的贴息比例", {"finance"}),
    ("管理办法有效期几年", set()),     # a bare kind of document names none
    ("实施细则什么时候施行", set()),
    ("支持实施细则", set()),           # two words: too short a tail to name a document
])
def test_a_title_is_named_by_its_tail(scoper, text, named):
    assert scoper.named(text) == named


def test_places_only_documents_govern_are_found_in_english_and_nested():
    places = Gazetteer.local().with_documents([RULES, MEASURES, FINANCE])
    assert places.named("How much are Yunxiu's data vouchers worth?") == {"云岫市"}
    assert places.named("office rent in Songqiao District") == {"松桥区"}
    assert places.named("云岫的数据券") == {"云岫市"}  # the short form; Traditional is folded before
    assert places.related("青榆区", "云岫市") and not places.related("松桥区", "云岫市")


@pytest.mark.parametrize("text", ["computing power vouchers", "Computing power voucher", "compute vouchers"])
def test_glossary_terms_match_in_the_plural(text):
    glossary = Glossary([{"en": ["computing power voucher", "compute voucher"], "zh": ["算力券"]}])
    assert "算力券" in glossary.expand(text)


def test_glossary_terms_still_match_whole_words_only():
    glossary = Glossary([{"en": ["fee"], "zh": ["费用"]}, {"en": ["subsidy"], "zh": ["补贴"]}])
    assert glossary.expand("feedback on the form") == []
    assert "补贴" in glossary.expand("what subsidies are there") and "费用" in glossary.expand("fees")


@pytest.mark.parametrize("docs, base, want", [
    ([RULES], "zh", "《云岫市人工智能数据券管理办法》没有说明在哪里、向哪个部门申请。"),
    ([RULES, FINANCE], "zh", "《云岫市人工智能数据券管理办法》和《松桥区一人公司融资支持实施细则》没有说明在哪里、向哪个部门申请。"),
    ([MEASURES], "en", "Measures of Qingyu District, Yunxiu City, to Support AI One-Person Companies does not say "
                       "where or at which office to apply."),
    ([RULES, MEASURES], "en", "《云岫市人工智能数据券管理办法》 and Measures of Qingyu District, Yunxiu City, to Support "
                              "AI One-Person Companies do not say where or at which office to apply."),
])
def test_unstated_sentence_names_the_documents(docs, base, want):
    assert documents_not_stated("where", docs, base) == want


def test_a_part_only_the_plan_speaks_of_has_no_document_sentence():
    assert documents_not_stated("ranking", [RULES], "en") is None
    assert documents_not_stated("where", [], "zh") is None
