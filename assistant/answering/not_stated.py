"""What an added document leaves unstated, said of that document by name.

"The plan does not say where to apply" is true of the built-in plan; an answer quoted from a district's notice
says it of that notice, by its title, in the reader's language ("《星澜市东滨区…若干措施》没有说明…",
"Measures of Dongbin District … does not say …"), and sends the reader to its issuer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.types import Document

DOCS_NOT_STATED = {
    "en": {
        "deadline": "{docs} {do} not state an application deadline.",
        "where": "{docs} {do} not say where or at which office to apply.",
        "documents": "{docs} {do} not list the documents to submit.",
        "contact": "{docs} {do} not give a phone number or contact person.",
        "interest_rate": "{docs} {do} not state an interest rate.",
        "tax_rate": "{docs} {do} not state a tax rate or tax relief.",
        "when_paid": "{docs} {do} not say when or in what instalments it is paid.",
        "processing_time": "{docs} {do} not say how long approval takes.",
        "price": "{docs} {do} not state a price or rent per square metre.",
    },
    "zh": {
        "deadline": "{docs}没有规定申请截止时间。",
        "where": "{docs}没有说明在哪里、向哪个部门申请。",
        "documents": "{docs}没有列出需要提交的材料。",
        "contact": "{docs}没有给出联系电话或联系人。",
        "interest_rate": "{docs}没有规定利率。",
        "tax_rate": "{docs}没有规定税率或税收优惠。",
        "when_paid": "{docs}没有说明何时发放、是否分期发放。",
        "processing_time": "{docs}没有说明审批需要多长时间。",
        "price": "{docs}没有规定每平方米的价格或租金。",
    },
}
DOCS_ASK_ISSUER = {"en": "For what is left open, ask the issuer: {issuer}.",
                   "zh": "未规定的事项，请咨询发布部门：{issuer}。"}


def document_names(docs: Sequence[Document], base: str) -> str:
    """The documents by title in the reader's language (the Chinese title in 《》 when there is no English one),
    joined as a sentence's subject."""
    names = []
    for d in docs:
        title = d.title.get(base) or next(iter(d.title.values()), d.id)
        names.append(title if base == "en" and d.title.get("en") else f"《{title}》")
    if len(names) == 1:
        return names[0]
    if base == "en":
        return ", ".join(names[:-1]) + " and " + names[-1]
    return "、".join(names[:-1]) + "和" + names[-1]


def documents_not_stated(key: str, docs: Sequence[Document], base: str) -> str | None:
    """The sentence declaring ``key`` (an unstated part: "where", "deadline" …) unstated by ``docs``; None for
    a part only the plan's own sentences cover."""
    template = DOCS_NOT_STATED[base].get(key)
    if template is None or not docs:
        return None
    return template.format(docs=document_names(docs, base), do="does" if len(docs) == 1 else "do")


def issuers(docs: Sequence[Document], base: str) -> str:
    names = [d.issuer.get(base) or next(iter(d.issuer.values()), "") for d in docs]
    return ("; " if base == "en" else "；").join(dict.fromkeys(n for n in names if n))
