"""The chat page's pure render functions: answers, citations, refusals and notices as escaped HTML."""

from __future__ import annotations

import pytest

from assistant.types import Answer, Citation, ClauseRef
from ui.render import (
    answer_body,
    answer_html,
    citation_html,
    esc,
    header_html,
    notice_html,
    paragraphs,
    safe_url,
    streaming_html,
)
from ui.texts import INTERFACE, interface_text

URL = "https://www.sz.gov.cn/plan.html"


def cite(**over) -> Citation:
    base = dict(n=1, clause_id="sz-ai-opc-plan:m4", label="（四）", title="提供住房保障",
                text="符合条件的青年创业者……每月税前1250元。", parallel_text="1,250 yuan before tax per month.",
                parallel_label="(4)", doc_id="sz-ai-opc-plan", doc_title="深圳市行动计划", source_url=URL,
                authority="plan", is_translation=True, page=None)
    return Citation(**{**base, **over})


def answer(**over) -> Answer:
    base = dict(question="住房补贴每月多少？", answer="每月税前1250元。[1]", language="zh", answerable=True,
                citations=[cite()])
    return Answer(**{**base, **over})


@pytest.mark.parametrize("text, expected", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('say "hi" & \'bye\'', "say &quot;hi&quot; &amp; &#x27;bye&#x27;"),
    (None, ""),
    ("每月1250元", "每月1250元"),
])
def test_esc(text, expected):
    assert esc(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("1,250 yuan [1]", '1,250 yuan <sup class="opc-ref">[1]</sup>'),
    ("a [1] b [12]", 'a <sup class="opc-ref">[1]</sup> b <sup class="opc-ref">[12]</sup>'),
    ("line one\nline two", "line one<br>line two"),
    ("<b>[x]</b>", "&lt;b&gt;[x]&lt;/b&gt;"),  # not a marker, and the tags are escaped
])
def test_answer_body(text, expected):
    assert answer_body(text) == expected


@pytest.mark.parametrize("url, expected", [
    (URL, URL),
    ("http://example.org/x", "http://example.org/x"),
    ("javascript:alert(1)", None),
    ("data:text/html,hi", None),
    ("", None),
    (None, None),
])
def test_safe_url(url, expected):
    assert safe_url(url) == expected


@pytest.mark.parametrize("text, expected", [
    ("one", "<p>one</p>"),
    ("one\n\ntwo", "<p>one</p><p>two</p>"),
    ("one\ntwo\n\n\n<three>", "<p>one<br>two</p><p>&lt;three&gt;</p>"),
    ("", ""),
])
def test_paragraphs(text, expected):
    assert paragraphs(text) == expected


@pytest.mark.parametrize("citation, lang, parallel_translated, present, absent", [
    # Chinese answer: our translation, English published text beside it.
    (cite(), "zh", False,
     ["<summary>[1] （四） 提供住房保障</summary>", "本项目译文", "英文版 (4)", "1,250 yuan before tax", URL, "原文链接"],
     ["第", "新闻背景"]),
    # English answer: published text; the Chinese beside it is marked as our translation.
    (cite(label="(4)", title="Provide housing", text="1,250 yuan.", parallel_text="1250元。", parallel_label="（四）",
          doc_title="Shenzhen plan", is_translation=False), "en", True,
     ["[1] (4) Provide housing", "published text", "Chinese version （四） · our translation", "1250元"],
     ["本项目译文"]),
    # News background with a page and no parallel text.
    (cite(n=2, authority="background", page=3, parallel_text="", is_translation=False), "zh", False,
     ["[2]", "新闻背景资料", "第3页", "官方发布文本"], ["opc-parallel"]),
    # Traditional Chinese labels; a non-http source link is dropped.
    (cite(source_url="javascript:alert(1)"), "zh-Hant", False, ["本項目譯文", "英文版"],
     ["javascript:", "<a "]),
    # Clause text is escaped like everything else.
    (cite(title="<img src=x onerror=alert(1)>"), "zh", False, ["&lt;img src=x onerror=alert(1)&gt;"], ["<img"]),
])
def test_citation_html(citation, lang, parallel_translated, present, absent):
    out = citation_html(citation, lang, parallel_translated)
    assert out.startswith('<details class="opc-citation">') and out.endswith("</details>")
    for s in present:
        assert s in out
    for s in absent:
        assert s not in out


REFUSAL = answer(answer="The plan does not cover this.", language="en", answerable=False, citations=[],
                 suggestions=[ClauseRef(clause_id="sz-ai-opc-plan:m3", label="(3)", title="Provide workspaces",
                                        doc_title="Shenzhen plan", score=0.03)])


@pytest.mark.parametrize("ans, translated, present, absent", [
    (answer(), frozenset(), ["每月税前1250元。", '<sup class="opc-ref">[1]</sup>', "来源", "[1] （四） 提供住房保障"],
     ["opc-refusal", "opc-suggestions", "opc-warnings"]),
    (REFUSAL, frozenset(), ["opc-refusal", "Nearest clauses:", "<li>(3) Provide workspaces", "Shenzhen plan"],
     ["Sources", "<details class=\"opc-citation\""]),
    (answer(warnings=["The model's answer failed the grounding check; showing the quoted clause."]), frozenset(),
     ['<details class="opc-warnings">', "提示", "grounding check"], []),
    (answer(question="那硕士呢？", standalone_question="硕士落户补贴多少？ 那硕士呢？"), frozenset(),
     ["按以下问题检索：", "硕士落户补贴多少？"], []),
    # An answer quoting hostile input stays inert.
    (answer(answer='You asked "<script>x()</script>" [1]', language="en"), frozenset(),
     ["&lt;script&gt;x()&lt;/script&gt;", "Sources"], ["<script>"]),
    # English answer whose Chinese parallel is our translation.
    (answer(language="en", answer="1,250 yuan. [1]", citations=[cite(is_translation=False)]),
     frozenset({("sz-ai-opc-plan", "zh")}), ["Chinese version (4) · our translation"], []),
])
def test_answer_html(ans, translated, present, absent):
    out = answer_html(ans, translated)
    # No blank line: the chatbot's Markdown renderer must pass the block through untouched.
    assert "\n\n" not in out and out.startswith('<div class="opc-answer') and out.endswith("</div>")
    for s in present:
        assert s in out
    for s in absent:
        assert s not in out


@pytest.mark.parametrize("text, present", [
    ("", '<div class="opc-text"></div>'),
    ("每月税前1250元。[1]", '每月税前1250元。<sup class="opc-ref">[1]</sup>'),
    ("<i>", "&lt;i&gt;"),
])
def test_streaming_html(text, present):
    out = streaming_html(text)
    assert "opc-streaming" in out and present in out


@pytest.mark.parametrize("ui_lang, url, present, absent", [
    ("中文", URL, ["不构成法律意见", "查看官方原文", f'href="{URL}"'], []),
    ("English", URL, ["not legal advice", "Read the official text", f'href="{URL}"'], ["法律"]),
    ("English", None, ["not legal advice"], ["<a "]),
    ("English", "javascript:void(0)", ["not legal advice"], ["<a ", "javascript"]),
])
def test_notice_html(ui_lang, url, present, absent):
    out = notice_html(ui_lang, url)
    for s in present:
        assert s in out
    for s in absent:
        assert s not in out


@pytest.mark.parametrize("ui_lang, code", [("中文", "zh"), ("English", "en"), ("zh", "zh"), ("en", "en"),
                                           ("klingon", "zh")])
def test_interface_text_follows_the_toggle(ui_lang, code):
    assert interface_text(ui_lang) is INTERFACE[code]
    assert esc(INTERFACE[code].title) in header_html(ui_lang)


def test_both_interfaces_offer_examples_in_both_languages():
    for t in INTERFACE.values():
        assert any("\u4e00" <= ch <= "\u9fff" for q in t.example_questions for ch in q)
        assert any(q.isascii() for q in t.example_questions)
