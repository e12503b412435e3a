"""Pure functions turning answers into the HTML the chat shows.

Everything from the answer is escaped: answers quote the question, so they carry user input.
The HTML has no blank lines, so the chatbot's Markdown renderer passes it through as one block.
"""

from __future__ import annotations

import html
import re

from assistant.answering.citations import source_line
from assistant.types import Answer, Citation, ClauseRef
from ui.texts import AnswerText, answer_text, interface_text

_MARKER = re.compile(r"\[(\d+)\]")


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def paragraphs(text: str) -> str:
    """Clause text as <p> paragraphs (blank-line separated in the corpus), line breaks kept."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(f"<p>{esc(p).replace(chr(10), '<br>')}</p>" for p in parts)


def answer_body(text: str) -> str:
    """The answer text, escaped, with [n] markers set apart so they read as references."""
    body = esc(text).replace("\n", "<br>")
    return _MARKER.sub(r'<sup class="opc-ref">[\1]</sup>', body)


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are shown; anything else (javascript:, data:) is dropped."""
    return url if url and re.match(r"^https?://", url, flags=re.I) else None


def citation_html(c: Citation, lang: str, parallel_is_translation: bool = False) -> str:
    """One numbered source: '[n] label title' that expands to the clause in both languages."""
    t = answer_text(lang)
    meta = [esc(c.doc_title)]
    if c.issuer or c.doc_number or c.status != "in_force":  # issuer · number · in force / expired
        meta.append(esc(source_line(c, lang)))
    meta.append(esc(t.our_translation if c.is_translation else t.published))
    if c.authority == "background":
        meta.append(esc(t.background))
    if c.page is not None:
        meta.append(esc(t.page.format(page=c.page)))
    url = safe_url(c.source_url)
    if url:
        meta.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(t.source_link)}</a>')
    parallel = ""
    if c.parallel_text:
        mark = f" · {esc(t.our_translation)}" if parallel_is_translation else ""
        heading = t.other_en if lang.startswith("zh") else t.other_zh
        parallel = (f'<div class="opc-parallel"><div class="opc-parallel-label">{esc(heading)} '
                    f'{esc(c.parallel_label)}{mark}</div>{paragraphs(c.parallel_text)}</div>')
    return (
        f'<details class="opc-citation">'
        f'<summary>[{c.n}] {esc(c.label)} {esc(c.title)}</summary>'
        f'<div class="opc-clause">{paragraphs(c.text)}</div>'
        f'{parallel}'
        f'<div class="opc-meta">{" · ".join(meta)}</div>'
        f'</details>'
    )


def suggestions_html(refs: list[ClauseRef], t: AnswerText) -> str:
    if not refs:
        return ""
    items = "".join(f"<li>{esc(r.label)} {esc(r.title)} <small>— {esc(r.doc_title)}</small></li>" for r in refs)
    return f'<div class="opc-suggestions"><div>{esc(t.not_covered)}</div><ul>{items}</ul></div>'


def answer_html(answer: Answer, translated: frozenset[tuple[str, str]] = frozenset()) -> str:
    """The whole answer: text, numbered sources, suggestions (refusals), discreet notes.

    ``translated`` holds (document id, language) pairs whose text is our translation, so the
    parallel-language text can be marked too (a Citation only marks its main text).
    """
    t = answer_text(answer.language)
    kind = "opc-answer" if answer.answerable else "opc-answer opc-refusal"
    parts = [f'<div class="{kind}">',
             f'<div class="opc-text">{answer_body(answer.answer)}</div>']
    if answer.standalone_question and answer.standalone_question != answer.question:
        parts.append(f'<div class="opc-searched"><small>{esc(t.searched_as)} '
                     f'{esc(answer.standalone_question)}</small></div>')
    if answer.citations:
        other = "en" if answer.language.startswith("zh") else "zh"
        items = "".join(citation_html(c, answer.language, (c.doc_id, other) in translated)
                        for c in answer.citations)
        parts.append(f'<div class="opc-sources"><div class="opc-sources-title">{esc(t.sources)}</div>{items}</div>')
    if not answer.answerable:
        parts.append(suggestions_html(answer.suggestions, t))
    if answer.warnings:
        notes = "".join(f"<li>{esc(w)}</li>" for w in answer.warnings)
        parts.append(f'<details class="opc-warnings"><summary><small>{esc(t.note)}</small></summary>'
                     f'<ul>{notes}</ul></details>')
    parts.append("</div>")
    return "".join(parts)


def streaming_html(text: str) -> str:
    """The answer while it is being written (no sources yet)."""
    return f'<div class="opc-answer opc-streaming"><div class="opc-text">{answer_body(text)}</div></div>'


def notice_html(ui_lang: str, official_url: str | None) -> str:
    """The 'not legal advice' notice with a link to the official text."""
    t = interface_text(ui_lang)
    url = safe_url(official_url)
    link = (f' <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(t.official_link)}</a>'
            if url else "")
    return f'<div class="opc-notice" role="note">{esc(t.notice)}{link}</div>'


def header_html(ui_lang: str) -> str:
    t = interface_text(ui_lang)
    return f'<div class="opc-header"><h1>{esc(t.title)}</h1><p>{esc(t.subtitle)}</p></div>'
