"""Words the chat page shows: interface labels (中文 / English toggle) and the labels around an answer.

Interface labels follow the toggle; the labels around an answer follow the answer's own language,
so an English answer in the Chinese interface still reads as one piece.
"""

from __future__ import annotations

from dataclasses import dataclass

UI_LANGS = {"中文": "zh", "English": "en"}


@dataclass(frozen=True)
class InterfaceText:
    """Labels of the page itself."""

    title: str
    subtitle: str
    notice: str  # HTML-free; the link is added by render.notice_html
    official_link: str
    placeholder: str
    send: str
    new_chat: str
    examples: str
    empty_chat: str
    example_questions: tuple[str, ...]
    narrow: str = ""  # the control that narrows answers to chosen issuers


@dataclass(frozen=True)
class AnswerText:
    """Labels around one answer, in the answer's language."""

    sources: str
    our_translation: str
    published: str
    page: str
    source_link: str
    other_en: str  # heading of the parallel text when it is the English version
    other_zh: str
    background: str
    not_covered: str
    searched_as: str
    note: str


INTERFACE = {
    "zh": InterfaceText(
        title="深圳 AI OPC 政策助手",
        subtitle="就《深圳市打造人工智能OPC创业生态引领地行动计划（2026—2027年）》提问，每个回答都引用计划原文条款。",
        notice="回答仅供参考，不构成法律意见；以官方发布的计划原文为准。",
        official_link="查看官方原文",
        placeholder="例：住房补贴每月多少？",
        send="发送",
        new_chat="新对话",
        narrow="只看这些发文机关的文件（不选则全部）",
        examples="示例问题",
        empty_chat="用中文或英文提问关于深圳 AI OPC 行动计划的问题。",
        example_questions=(
            "住房补贴每月多少？",
            "过渡性住房可以住多久？",
            "创业贷款最高多少？",
            "How big is the training power voucher?",
        ),
    ),
    "en": InterfaceText(
        title="Shenzhen AI OPC Policy Assistant",
        subtitle="Ask about Shenzhen's Action Plan for Building a Pioneer AI OPC Entrepreneurship Ecosystem "
                 "(2026–2027). Every answer cites the plan's clauses.",
        notice="Answers are for information only and are not legal advice; the official text of the plan prevails.",
        official_link="Read the official text",
        placeholder="e.g. What loans can I get?",
        send="Send",
        new_chat="New conversation",
        narrow="Only documents of these issuers (none chosen: all)",
        examples="Example questions",
        empty_chat="Ask about the Shenzhen AI OPC action plan, in English or Chinese.",
        example_questions=(
            "How much is the housing subsidy per month?",
            "What loans can graduates get?",
            "How much is the hukou subsidy?",
            "算力券最高多少？",
        ),
    ),
}

ANSWER = {
    "zh": AnswerText(
        sources="来源", our_translation="本项目译文，非官方措辞", published="官方发布文本", page="第{page}页",
        source_link="原文链接", other_en="英文版", other_zh="中文版", background="新闻背景资料（效力低于计划原文）",
        not_covered="可参考的相近条款：", searched_as="按以下问题检索：", note="提示",
    ),
    "zh-Hant": AnswerText(
        sources="來源", our_translation="本項目譯文，非官方措辭", published="官方發佈文本", page="第{page}頁",
        source_link="原文連結", other_en="英文版", other_zh="中文版", background="新聞背景資料（效力低於計劃原文）",
        not_covered="可參考的相近條款：", searched_as="按以下問題檢索：", note="提示",
    ),
    "en": AnswerText(
        sources="Sources", our_translation="our translation, not the official wording", published="published text",
        page="page {page}", source_link="source", other_en="English version", other_zh="Chinese version",
        background="news background (lower authority than the plan)", not_covered="Nearest clauses:",
        searched_as="Searched as:", note="Note",
    ),
}


def interface_text(ui_lang: str) -> InterfaceText:
    """Labels for a toggle value ('中文' / 'English') or a language code; Chinese by default."""
    return INTERFACE.get(UI_LANGS.get(ui_lang, ui_lang), INTERFACE["zh"])


def answer_text(lang: str) -> AnswerText:
    return ANSWER.get(lang, ANSWER["en"])
