"""The built-in corpus: structure, bilingual alignment and identical figures in both languages."""

from __future__ import annotations

import shutil

import pytest
import yaml

from assistant.errors import CorpusError
from assistant.knowledge.corpus import load_corpus
from assistant.knowledge.figures import extract_figures, same_figures
from assistant.knowledge.government import load_government
from assistant.settings import BUILTIN_CORPUS
from assistant.understanding.text import split_sentences

CORPUS = load_corpus(BUILTIN_CORPUS)
PLAN = CORPUS.document("sz-ai-opc-plan")
ALL_CLAUSES = [c for d in CORPUS.documents for c in d.clauses]


def test_plan_has_its_natural_clauses_in_order():
    assert [c.local_id for c in PLAN.clauses] == ["intro", "goals"] + [f"m{i}" for i in range(1, 11)]
    assert PLAN.clauses[5].label == {"en": "(4)", "zh": "（四）"}
    assert PLAN.clauses[11].label == {"en": "(10)", "zh": "（十）"}
    assert PLAN.clauses[5].title == {"en": "Provide housing support", "zh": "提供住房保障"}


def test_document_metadata():
    assert PLAN.authority == "plan"
    assert PLAN.effective_date == "2026-01-01" and PLAN.valid_until == "2027-12-31"
    assert PLAN.official_url.startswith("https://www.sz.gov.cn/")
    assert PLAN.issuer["zh"] == "深圳市工业和信息化局"
    assert PLAN.versions["zh"]["translation"] is True and PLAN.versions["en"]["translation"] is False
    news = CORPUS.document("opc-news-summary")
    assert news.authority == "background"
    # The plan's own text is listed before news background.
    assert [d.id for d in CORPUS.documents][0] == "sz-ai-opc-plan"


@pytest.mark.parametrize("clause", ALL_CLAUSES, ids=lambda c: c.id)
def test_each_clause_has_both_languages_and_titles(clause):
    assert set(clause.text) == {"en", "zh"}
    assert clause.title.get("en") and clause.title.get("zh")
    assert clause.label.get("en") and clause.label.get("zh")


@pytest.mark.parametrize("clause", ALL_CLAUSES, ids=lambda c: c.id)
def test_each_clause_carries_the_same_figures_in_both_languages(clause):
    only_en, only_zh = same_figures(clause.text["en"], clause.text["zh"])
    assert not only_en and not only_zh, f"{clause.id}: en-only {only_en}, zh-only {only_zh}"


@pytest.mark.parametrize("clause", ALL_CLAUSES, ids=lambda c: c.id)
def test_translation_is_sentence_aligned(clause):
    # Sentence i of the Chinese text translates sentence i of the English one.
    en, zh = split_sentences(clause.text["en"]), split_sentences(clause.text["zh"])
    assert len(en) == len(zh)
    for a, b in zip(en, zh):
        assert same_figures(a, b) == (set(), set()), (a, b)


def test_every_plan_figure_is_found():
    # Guards the figure extractor against silently losing figures from the plan itself.
    figures = {f.key for c in PLAN.clauses for f in extract_figures(c.text["en"])}
    for key in [("yuan", 100000), ("yuan", 1250), ("yuan", 1000), ("month", 36), ("month", 24), ("%", 60),
                ("m2", 50), ("m2", 10000), ("m2", 500000), ("yuan", 50000), ("yuan", 1000000),
                ("yuan", 600000), ("yuan", 5000000), ("yuan", 10000000), ("yuan", 2000000),
                ("yuan", 30000000), ("date", 20260101), ("month", 60)]:
        assert key in figures, key


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: (d / "sz-ai-opc-plan" / "zh.yaml").write_text("clauses: [unclosed", "utf-8"), "not valid UTF-8 YAML"),
        (lambda d: (d / "sz-ai-opc-plan" / "en.yaml").write_text("clauses:\n  - id: x\n", "utf-8"), "non-empty 'text'"),
        (lambda d: (d / "sz-ai-opc-plan" / "zh.yaml").unlink(), "Corpus file missing"),
        (lambda d: (d / "sz-ai-opc-plan" / "zh.yaml").write_bytes(b"\xff\xfe\x00bad"), "not valid UTF-8 YAML"),
        (lambda d: (d / "sz-ai-opc-plan" / "zh.yaml").write_text(
            "clauses:\n  - id: not-in-english\n    text: 文本\n", "utf-8"), "no counterpart"),
        (lambda d: shutil.copytree(d / "sz-ai-opc-plan", d / "copy"), "share the id"),
    ],
)
def test_malformed_corpus_gives_a_clear_error(tmp_path, mutate, message):
    root = tmp_path / "corpus"
    shutil.copytree(BUILTIN_CORPUS, root)
    mutate(root)
    with pytest.raises(CorpusError, match=message):
        load_corpus(root)


@pytest.mark.parametrize("text, message", [
    ("places:\n  - en: Nanshan\n", r"government.yaml: places.0.zh: Field required"),
    ("places:\n  - zh: ' '\n", r"government.yaml: places.0.zh: .*every place needs a 'zh' name"),
    ("- a list\n", r"government.yaml: the whole file: Input should be a valid dictionary"),
    ("places: [unclosed\n", r"government.yaml is not valid UTF-8 YAML"),
])
def test_malformed_government_data_names_the_file_and_the_field(tmp_path, text, message):
    path = tmp_path / "government.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        load_government(path)


def test_government_data_is_kept_as_written():
    """Every part of government.yaml reaches its reader as written, not only the places this loader checks."""
    path = BUILTIN_CORPUS / "government.yaml"
    assert load_government(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_empty_corpus_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="No documents"):
        load_corpus(tmp_path)
