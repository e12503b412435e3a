"""Every user-facing sentence the assistant writes itself, keyed by language.

LLM prompts join this module with the conversation work; the extractive answerer only
needs the fixed phrases below. zh-Hant strings are derived from zh with OpenCC so the
two scripts never drift apart.
"""

from __future__ import annotations

from .text import to_traditional


def _with_hant(table: dict[str, str]) -> dict[str, str]:
    return {**table, "zh-Hant": to_traditional(table["zh"])}


# Refusals state no figure at all: nothing here may be mistaken for the plan's numbers.
NOT_COVERED = _with_hant({
    "en": (
        "The action plan does not cover this question, so I can't answer it from the plan's clauses. "
        "The nearest clauses are listed below as suggestions; for anything else, please check the official "
        "text or ask the issuing bureau."
    ),
    "zh": "行动计划没有涉及这个问题，无法依据计划条款作答。下方列出了最相近的条款供参考；其他事项请查阅官方原文或咨询发布部门。",
})

NO_CONTENT = _with_hant({
    "en": "I couldn't find a question in that message. Ask me about the plan, for example: "
          "\u201cHow much is the housing subsidy?\u201d",
    "zh": "没有识别到问题。请询问与行动计划有关的问题，例如：“住房补贴是多少？”",
})

PREMISE_NOTE = _with_hant({
    "en": "(Note: a figure in your question does not match the plan; the figures quoted above are the plan's own.)",
    "zh": "（提示：您问题中的数字与计划不符，以上引用的数字为计划原文所载。）",
})

# How a quoted clause is introduced: {doc} short document title, {label} clause label, {title} clause title.
LEAD = _with_hant({
    "en": "{doc} {label} \u201c{title}\u201d: ",
    "zh": "{doc}{label}\u201c{title}\u201d：",
})
LEAD_BACKGROUND = _with_hant({
    "en": "News background (not the plan text), \u201c{title}\u201d: ",
    "zh": "新闻背景资料（非计划原文）\u201c{title}\u201d：",
})
