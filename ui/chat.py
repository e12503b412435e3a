"""The founders' chat page (Gradio Blocks), calling the ``Assistant`` in-process.

``build_ui(bot)`` makes the page; ``mount_ui(app, bot)`` mounts it on a FastAPI app with its style
sheet (``gr.mount_gradio_app`` replaces a Blocks' CSS with what it is given, so mount through here).
Each browser tab has its own conversation (gr.State), created by the server and bound to the tab's Gradio
session, so follow-ups work and tabs never mix. Asking and rating go through the API's rate limits (the
``Guard`` of the app the page is mounted on): per client address and per browser session.
``/?embed=1`` is the same page without its header, for a mini-program <web-view> or another site's iframe.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import gradio as gr

from assistant.errors import OPCError
from assistant.store.sessions import LOCAL_OWNER
from assistant.understanding.text import detect_language
from ui.render import answer_html, esc, header_html, notice_html, streaming_html
from ui.texts import UI_LANGS, interface_text

log = logging.getLogger(__name__)

CSS_PATH = Path(__file__).resolve().parent / "static" / "chat.css"
EXAMPLE_SLOTS = 4
# Answers run concurrently for up to this many tabs (Gradio's default is one at a time for everyone);
# they are CPU-bound, so more than a few on a small machine only adds waiting.
ANSWER_CONCURRENCY = 4
# Embed mode (/?embed=1, for a mini-program <web-view> or an iframe): marked on <html> before the page draws,
# so the style sheet drops the header without a flash. ?lang=en picks the interface language.
EMBED_HEAD = ("<script>if (/[?&]embed=(1|true)(&|$)/.test(location.search)) "
              "document.documentElement.classList.add('opc-embed');</script>")


def official_url(bot) -> str | None:
    """The plan's official text: the first 'plan' document with an official URL."""
    docs = sorted(bot.documents(), key=lambda d: d.authority != "plan")
    return next((d.official_url for d in docs if d.official_url), None)


def translated_versions(bot) -> frozenset[tuple[str, str]]:
    """(document id, language) pairs whose text is our translation rather than a published one."""
    return frozenset((doc.id, lang) for doc in bot.corpus.documents
                     for lang, version in doc.versions.items() if (version or {}).get("translation"))


def question_html(question: str) -> str:
    # Wrapped and escaped so the question shows literally, never as Markdown or HTML.
    return f'<div class="opc-question">{esc(question)}</div>'


def page_owner(request: gr.Request | None) -> str:
    """Whose conversation: the browser's Gradio session (in-process callers without a request: local)."""
    return f"page:{request.session_hash}" if request is not None and request.session_hash else LOCAL_OWNER


def in_readers_language(exc: OPCError, question: object, ui_lang: str | None = None) -> str:
    """The error in the language the founder wrote the question in (else the interface's)."""
    lang = exc.reader
    if lang is None and isinstance(question, str) and question.strip():
        lang = detect_language(question[:300])
    return exc.in_language(lang or UI_LANGS.get(ui_lang or "", "en"))


class ChatHandlers:
    """The page's event handlers, kept apart from layout so they can be called directly."""

    def __init__(self, bot, guard=None) -> None:
        self.bot = bot
        self.guard = guard  # the API's rate limiter (None when the page runs without the API)
        self.translated = translated_versions(bot)

    def _limit(self, request: gr.Request | None, question: str | None = None):
        if self.guard is not None and request is not None:
            address = request.client.host if request.client else "unknown"
            self.guard.limit_page(address, request.session_hash)
            if question:  # the page's questions spend the same work budgets as the API's
                from assistant.api.meter import Meter, turns
                from assistant.understanding.text import detect_language

                browser = ("page", address, request.session_hash) if request.session_hash else None
                budgets = self.guard.cost_idents(address, address, browser)
                lang = detect_language(question)
                self.guard.check_cost(budgets, lang)
                # the page's questions take the same fair turns as the API's, per browser session
                return Meter(self.guard, budgets, self.guard.enter(address, lang), turns(self.guard, self.bot),
                             f"{address}|page:{request.session_hash or ''}")
        return None

    def ask(self, question: str, history: list | None, session_id: str | None,
            answer_ids: dict | None, issuers: list[str] | None = None, ui_lang: str | None = None,
            request: gr.Request = None) -> Iterator[tuple]:
        """Stream one answer into the chat; yields (history, textbox, session id, answer ids). ``issuers``: the
        narrowing control's choice (answers only from those issuers' documents); ``ui_lang``: the interface toggle,
        the language of an error when the question has none (an empty one)."""
        history = list(history or [])
        answer_ids = dict(answer_ids or {})
        owner = page_owner(request)
        try:
            meter = self._limit(request, question)
            try:
                events = self.bot.stream(question, session_id=session_id, owner=owner, new_session=True,
                                         issuers=list(issuers or []) or None)
            except BaseException:
                if meter is not None:
                    meter.done()
                raise
            if meter is not None:
                events = meter.events(events)
        except OPCError as exc:  # bad input: say why, keep the text so it can be fixed, change nothing
            gr.Warning(in_readers_language(exc, question, ui_lang))
            yield history, question, session_id, answer_ids
            return
        history += [{"role": "user", "content": question_html(question)},
                    {"role": "assistant", "content": streaming_html("")}]
        yield list(history), "", session_id, dict(answer_ids)  # the question shows at once, while retrieval runs
        streamed = ""
        try:
            for event in events:
                if event.type == "delta":
                    streamed += event.text
                    history[-1] = {"role": "assistant", "content": streaming_html(streamed)}
                else:
                    # The final answer replaces the streamed text (the gate may have corrected it).
                    history[-1] = {"role": "assistant", "content": answer_html(event.answer, self.translated)}
                    answer_ids[len(history) - 1] = event.answer.id
                    session_id = event.answer.session_id  # the server's id, when this started the conversation
                yield list(history), "", session_id, dict(answer_ids)
        except OPCError as exc:
            log.warning("answer failed: %s", exc)
            message = in_readers_language(exc, question, ui_lang)
            history[-1] = {"role": "assistant", "content": f'<div class="opc-error">{esc(message)}</div>'}
            yield history, question, session_id, answer_ids

    def like(self, data: gr.LikeData, answer_ids: dict | None, ui_lang: str, request: gr.Request = None) -> None:
        """Store 👍/👎 against the answer shown in that message (retracting a vote stores nothing)."""
        try:
            self._limit(request)
        except OPCError as exc:
            gr.Warning(exc.in_language(UI_LANGS.get(ui_lang, "zh")))
            return
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        answer_id = (answer_ids or {}).get(index)
        if answer_id is None or not isinstance(data.liked, bool):
            return
        self.bot.feedback(answer_id, useful=data.liked, source="ui")
        gr.Info("谢谢反馈！" if UI_LANGS.get(ui_lang) == "zh" else "Thanks for the feedback!")

    def issuer_choices(self) -> list[str]:
        """Issuers of the library's documents, for the narrowing control (read again when the page loads)."""
        return sorted({name for d in self.bot.corpus.documents for name in d.issuer.values() if name})

    @staticmethod
    def new_conversation() -> tuple:
        """A fresh conversation: empty chat, no session id (one is made at the next question)."""
        return [], "", None, {}


from ui.eligibility import build_panel as build_eligibility_panel  # noqa: E402


def build_ui(bot, guard=None) -> gr.Blocks:
    """The chat page for ``bot`` (an ``Assistant``), limited by ``guard`` (the API's). Mount it with
    ``mount_ui`` to get its styles."""
    handlers = ChatHandlers(bot, guard)
    url = official_url(bot)
    zh = interface_text("zh")
    # Gradio's temporary files (none expected: the page takes no uploads) are swept hourly, kept ≤ 1 hour.
    with gr.Blocks(title=zh.title, analytics_enabled=False, delete_cache=(3600, 3600)) as blocks:
        with gr.Row(elem_id="opc-top"):
            header = gr.HTML(header_html("zh"), elem_id="opc-header")
            ui_lang = gr.Radio(list(UI_LANGS), value="中文", show_label=False, container=False,
                               elem_id="opc-lang", scale=0, min_width=210)
        notice = gr.HTML(notice_html("zh", url), elem_id="opc-notice")
        chatbot = gr.Chatbot(
            elem_id="opc-chat", height="60vh", min_height=320, show_label=False, placeholder=esc(zh.empty_chat),
            feedback_options=("Like", "Dislike"), latex_delimiters=[], buttons=["copy"],
        )
        with gr.Row(elem_id="opc-input", equal_height=True):
            textbox = gr.Textbox(show_label=False, placeholder=zh.placeholder, container=False, scale=5,
                                 min_width=0, max_lines=6, elem_id="opc-question", autofocus=True)
            send = gr.Button(zh.send, variant="primary", scale=1, min_width=64, elem_id="opc-send")
        examples_title = gr.HTML(f'<div class="opc-examples-title">{esc(zh.examples)}</div>')
        with gr.Row(elem_id="opc-examples"):
            example_buttons = [gr.Button(q, size="sm", min_width=0, scale=0, elem_classes=["opc-example"])
                               for q in zh.example_questions[:EXAMPLE_SLOTS]]
        new_chat = gr.Button(zh.new_chat, size="sm", variant="secondary", elem_id="opc-new")
        narrow = gr.Dropdown(handlers.issuer_choices(), value=[], multiselect=True, label=zh.narrow,
                             elem_id="opc-narrow")
        build_eligibility_panel(bot, ui_lang)  # "what can I get?"
        session_id = gr.State(None)
        answer_ids = gr.State({})

        state = [chatbot, session_id, answer_ids]
        ask_outputs = [chatbot, textbox, session_id, answer_ids]
        # One shared limit ("answer") across every way of asking.
        queue = dict(concurrency_limit=ANSWER_CONCURRENCY, concurrency_id="answer")
        textbox.submit(handlers.ask, [textbox, *state, narrow, ui_lang], ask_outputs, **queue)
        send.click(handlers.ask, [textbox, *state, narrow, ui_lang], ask_outputs, **queue)
        for button in example_buttons:  # an example button's value is its question
            button.click(handlers.ask, [button, *state, narrow, ui_lang], ask_outputs, **queue)
        chatbot.like(handlers.like, [answer_ids, ui_lang], None)
        reset_outputs = [chatbot, textbox, session_id, answer_ids]
        new_chat.click(handlers.new_conversation, None, reset_outputs)
        chatbot.clear(handlers.new_conversation, None, reset_outputs)  # the chat's own 🗑 button

        def switch_language(choice: str):
            t = interface_text(choice)
            return [
                header_html(choice), notice_html(choice, url),
                gr.update(placeholder=t.placeholder), gr.update(value=t.send), gr.update(value=t.new_chat),
                f'<div class="opc-examples-title">{esc(t.examples)}</div>',
                gr.update(placeholder=esc(t.empty_chat)), gr.update(label=t.narrow),
                *[gr.update(value=q) for q in t.example_questions[:EXAMPLE_SLOTS]],
            ]

        ui_lang.change(switch_language, ui_lang,
                       [header, notice, textbox, send, new_chat, examples_title, chatbot, narrow, *example_buttons])
        blocks.load(language_from_query, None, ui_lang)
        blocks.load(lambda: gr.update(choices=handlers.issuer_choices()), None, narrow)  # documents added since
    return blocks


def language_from_query(request: gr.Request):
    """?lang=en|zh in the page's address sets the interface language (a host site or web-view knows it)."""
    wanted = (request.query_params.get("lang") or "").lower() if request else ""
    for choice in UI_LANGS:
        if wanted and UI_LANGS[choice] == wanted[:2]:
            return gr.update(value=choice)
    return gr.update()


def mount_ui(app, bot, path: str = "/", guard=None):
    """Mount the chat page on a FastAPI ``app`` at ``path`` (same process, no HTTP between them)."""
    from ui.closed_routes import ClosedGradioRoutes

    # Gradio's upload, recording and dev routes are closed: the page takes text only.
    app.add_middleware(ClosedGradioRoutes, prefix=path)
    return gr.mount_gradio_app(app, build_ui(bot, guard), path=path, css_paths=[CSS_PATH], head=EMBED_HEAD,
                               footer_links=[], run_history=False, ssr_mode=False, max_file_size=1024)
