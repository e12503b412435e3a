"""Adding documents through the service, end to end on real files, a real index and a real HTTP server:
a Chinese PDF and its English web page answer in either language, cited by clause number and page;
every bad input leaves the data directory and the answers exactly as they were."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from assistant.errors import (
    CorruptDocument,
    DocumentTooLarge,
    DuplicateDocument,
    EmptyDocument,
    EncryptedDocument,
    FetchFailed,
    IndexUnavailable,
    IngestError,
    NoExtractableText,
    NotFound,
    ProtectedDocument,
    UnsupportedDocument,
)
from assistant.ingest.align import figure_mismatches
from harness import docfactory as f
from harness.docserver import ERROR_PAGE

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


PLAN_QUESTIONS = ["住房补贴每月多少钱？", "How big is the training power voucher?"]


def state(settings) -> dict[str, str]:
    """Every file of the added documents (by hash) and the index in use."""
    root = Path(settings.data_dir)
    files = {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted((root / "documents").rglob("*")) if p.is_file() and p.name != ".lock"}
    files["index/CURRENT"] = (root / "index" / "CURRENT").read_text()
    return files


def answers(bot) -> list[tuple[str, list[str]]]:
    return [(a.answer, [c.clause_id for c in a.citations]) for a in map(bot.ask, PLAN_QUESTIONS)]


@pytest.fixture()
def unchanged(ingest_bot, ingest_settings):
    """Assert, after the test body, that nothing on disk changed and the plan answers as before."""
    before_state, before_answers = state(ingest_settings), answers(ingest_bot)
    docs_before = [d.id for d in ingest_bot.documents()]
    yield
    assert state(ingest_settings) == before_state
    assert answers(ingest_bot) == before_answers
    assert [d.id for d in ingest_bot.documents()] == docs_before


BAD_FILES = [
    ("locked.pdf", f.encrypted_pdf_bytes, EncryptedDocument, "password-protected"),
    ("scan.pdf", f.scanned_pdf_bytes, NoExtractableText, "no extractable text; OCR is not supported"),
    ("broken.pdf", f.corrupt_pdf_bytes, CorruptDocument, "damaged PDF"),
    ("broken.docx", lambda: f.docx_bytes()[:300], CorruptDocument, "damaged"),
    ("empty.txt", lambda: b"", EmptyDocument, "is empty"),
    ("photo.png", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 64, UnsupportedDocument, "OCR is not supported"),
    ("sheet.xlsx", lambda: b"some,cells\n", UnsupportedDocument, "Unsupported file type .xlsx"),
    ("huge.pdf", lambda: b"%PDF-1.7\n" + b"0" * 2_100_000, DocumentTooLarge, "the limit is 2 MB"),
    ("gone.html", lambda: ERROR_PAGE.encode(), FetchFailed, "error page"),
]


@pytest.mark.parametrize("name, make, error, words", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_changes_nothing(ingest_bot, unchanged, tmp_path, name, make, error, words):
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(error) as info:
        ingest_bot.add_document(str(path))
    assert words in str(info.value)
    assert isinstance(info.value, IngestError) and info.value.exit_code == 7


BAD_URLS = [("/missing.html", FetchFailed, "Could not fetch"), ("/error-page.html", FetchFailed, "error page"),
            ("/slow.html", FetchFailed, "Could not fetch"), ("/huge.pdf", DocumentTooLarge, "2 MB"),
            ("/photo.png", UnsupportedDocument, "not return a document we can read")]


@pytest.mark.parametrize("path, error, words", BAD_URLS, ids=[b[0] for b in BAD_URLS])
def test_bad_url_changes_nothing(ingest_bot, unchanged, doc_server, path, error, words):
    with pytest.raises(error, match=words):
        ingest_bot.add_document(doc_server.url(path))


def test_unreachable_url_and_missing_file_change_nothing(ingest_bot, unchanged, tmp_path):
    with pytest.raises(FetchFailed, match="Could not fetch"):
        ingest_bot.add_document("http://127.0.0.1:9/policy.html")
    with pytest.raises(IngestError, match="No such file"):
        ingest_bot.add_document(str(tmp_path / "nowhere.pdf"))
    with pytest.raises(DocumentTooLarge):
        ingest_bot.add_document(b"x" * 2_100_000, filename="upload.txt")


def test_pairing_with_unknown_or_builtin_document_changes_nothing(ingest_bot, unchanged, doc_server):
    with pytest.raises(NotFound):
        ingest_bot.add_document(doc_server.url("/policies/nanshan-measures-en.html"), translation_of="no-such-doc")
    with pytest.raises(ProtectedDocument, match="built-in"):
        ingest_bot.add_document(doc_server.url("/policies/nanshan-measures-en.html"), translation_of="sz-ai-opc-plan")


# --- the "done when": a Chinese PDF and its English web page ------------------------------------------------
@pytest.fixture(scope="module")
def nanshan(ingest_bot, doc_server, tmp_path_factory):
    pdf = tmp_path_factory.mktemp("files") / "南山区措施.pdf"
    pdf.write_bytes(f.zh_policy_pdf())
    zh = ingest_bot.add_document(str(pdf))
    en = ingest_bot.add_document(doc_server.url("/policies/nanshan-measures-en.html"), translation_of=zh.id)
    yield zh, en, pdf


def test_added_documents_are_listed_with_metadata(ingest_bot, ingest_settings, nanshan):
    zh, en, _ = nanshan
    assert zh.id == en.id and zh.authority == "document" and zh.languages == ["zh"]
    assert en.languages == ["en", "zh"] and en.title == {"zh": f.ZH_TITLE, "en": f.EN_TITLE}
    assert en.clauses == 8  # seven articles, plus the English page's preamble that the PDF lacks
    assert any("no counterpart" in w for w in en.warnings)
    assert en.sources["en"].endswith("/policies/nanshan-measures-en.html") and en.sources["zh"] == "original-zh.pdf"
    folder = Path(ingest_settings.data_dir) / "documents" / zh.id
    assert sorted(p.name for p in folder.iterdir()) == ["document.yaml", "en.yaml", "facts.yaml",
                                                        "original-en.html", "original-zh.pdf", "zh.yaml"]
    # the facts were extracted again when the translation came: each quotes both versions
    facts = yaml.safe_load((folder / "facts.yaml").read_text(encoding="utf-8"))["facts"]
    assert facts and all(set(f["amount"]["quote"]) == {"en", "zh"} for f in facts)
    assert [d.id for d in ingest_bot.documents()][-1] == zh.id


def test_chinese_question_cites_article_and_page(ingest_bot, nanshan):
    zh, _, _ = nanshan
    a = ingest_bot.ask("办公租金补贴每年最高多少钱？")
    assert a.answerable and "8万元" in a.answer
    top = a.citations[0]
    assert (top.doc_id, top.label, top.page, top.title) == (zh.id, "第三条", 1, "办公租金补贴")
    assert "第三条（第1页）" in a.answer
    assert "80,000 yuan" in top.parallel_text and top.parallel_label == "Article 3"


def test_english_question_answers_from_the_same_clause(ingest_bot, nanshan):
    zh, _, _ = nanshan
    a = ingest_bot.ask("What reward does an enterprise get for its first equity investment?")
    assert a.answerable and "200,000 yuan" in a.answer and a.language == "en"
    top = a.citations[0]
    assert (top.doc_id, top.label, top.page) == (zh.id, "Article 6", 3)  # the page in the original PDF
    assert "Article 6 (p. 3)" in a.answer and "最高20万元" in top.parallel_text


def test_traditional_chinese_question(ingest_bot, nanshan):
    a = ingest_bot.ask("人才公寓最長可以租住多久？")
    assert a.language == "zh-Hant" and a.answerable and "5年" in a.answer
    assert a.citations[0].label == "第五條" and a.citations[0].page == 2


def test_plan_answers_are_unchanged_by_added_documents(ingest_bot, nanshan):
    for question, clause in zip(PLAN_QUESTIONS, ("sz-ai-opc-plan:m4", "sz-ai-opc-plan:m6")):
        a = ingest_bot.ask(question)
        assert a.citations[0].clause_id == clause and a.citations[0].page is None
        assert "页）" not in a.answer and "(p." not in a.answer


def test_translation_figures_agree(ingest_bot, nanshan):
    zh, _, _ = nanshan
    assert figure_mismatches(ingest_bot.corpus, zh.id) == []


def test_duplicates_are_refused(ingest_bot, ingest_settings, nanshan, doc_server, tmp_path):
    zh, _, pdf = nanshan
    before = state(ingest_settings)
    copy = tmp_path / "same-content-other-name.pdf"
    shutil.copy(pdf, copy)
    with pytest.raises(DuplicateDocument, match=f"already in the corpus as '{zh.id}'"):
        ingest_bot.add_document(str(copy))
    with pytest.raises(DuplicateDocument):  # the same page again, now as a document of its own
        ingest_bot.add_document(doc_server.url("/policies/nanshan-measures-en.html"))
    with pytest.raises(IngestError, match="already has a en version"):
        ingest_bot.add_document(doc_server.url("/policies/futian-guidelines.pdf"), translation_of=zh.id)
    assert state(ingest_settings) == before


def test_failed_index_update_rolls_the_document_back(ingest_bot, ingest_settings, nanshan, tmp_path):
    data = Path(ingest_settings.data_dir)
    before_state, before_docs = state(ingest_settings), [d.id for d in ingest_bot.documents()]
    question = "办公租金补贴每年最高多少钱？"
    before_answer = ingest_bot.ask(question).answer
    docx = tmp_path / "futian-data.docx"
    docx.write_bytes(f.docx_bytes())
    # Make the index folder unusable (a file where the folder must be): the build after the add fails.
    (data / "index").rename(data / "index.away")
    (data / "index").write_text("not a folder")
    try:
        with pytest.raises(IndexUnavailable):
            ingest_bot.add_document(str(docx))
    finally:
        (data / "index").unlink()
        (data / "index.away").rename(data / "index")
    assert state(ingest_settings) == before_state
    assert [d.id for d in ingest_bot.documents()] == before_docs
    assert ingest_bot.ask(question).answer == before_answer


def test_other_formats_join_the_corpus(ingest_bot, tmp_path, doc_server):
    docx = tmp_path / "futian-data.docx"
    docx.write_bytes(f.docx_bytes())
    gbk = tmp_path / "baoan.txt"
    gbk.write_bytes(f.gbk_text_bytes())
    added = [ingest_bot.add_document(docx.read_bytes(), filename=docx.name),  # as an upload would arrive
             ingest_bot.add_document(str(gbk)),
             ingest_bot.add_document(doc_server.url("/policies/futian-guidelines.pdf"))]
    assert added[0].id == "futian-data" and added[0].sources == {"zh": "original-zh.docx"}
    try:
        a = ingest_bot.ask("数据标注券最高多少？")
        assert "15万元" in a.answer and a.citations[0].label == "（一）" and a.citations[0].doc_id == added[0].id
        a = ingest_bot.ask("免租工位的免租期最长多久？")
        assert "6个月" in a.answer and a.citations[0].doc_id == added[1].id
        a = ingest_bot.ask("How many hours of free legal consultation can a startup book?")
        assert "10 hours" in a.answer and (a.citations[0].label, a.citations[0].page) == ("(2)", 1)
    finally:
        for info in added:
            ingest_bot.remove_document(info.id)


def test_remove(ingest_bot, ingest_settings, nanshan):
    zh, _, _ = nanshan
    with pytest.raises(ProtectedDocument, match="cannot be removed"):
        ingest_bot.remove_document("sz-ai-opc-plan")
    with pytest.raises(NotFound):
        ingest_bot.remove_document("no-such-doc")
    ingest_bot.remove_document(zh.id)
    assert [d.id for d in ingest_bot.documents()] == ["sz-ai-opc-plan", "opc-news-summary"]
    assert not (Path(ingest_settings.data_dir) / "documents" / zh.id).exists()
    a = ingest_bot.ask("办公租金补贴每年最高多少钱？")
    assert all(c.doc_id != zh.id for c in a.citations) and "8万元" not in a.answer
