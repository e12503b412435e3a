"""The "what can I get?" panel: a few facts about the founder -> the benefits of the home jurisdiction's
policies in force (the plan first), decided by ``Assistant.eligibility`` (met / not met / to decide), each with its
amount, issuer and cited clause."""

from __future__ import annotations

from html import escape as esc

import gradio as gr

from assistant.errors import InvalidProfile, OPCError
from assistant.knowledge.eligibility import choices_between
from assistant.knowledge.profile_fields import profile_words
from assistant.understanding.text import base_lang, localise
from ui.texts import UI_LANGS

# Controls and their labels come from corpus/profile.yaml (reviewed words, one entry per profile field);
# labels are bilingual so the panel reads in either interface language without extra wiring; the results
# follow the interface language.
NOT_SURE = {"zh": "不确定", "en": "Not sure"}
STATUS = {"zh": {"met": "✓ 符合", "unknown": "? 待确认", "not_met": "✗ 不符合"},
          "en": {"met": "✓ Fits", "unknown": "? To decide", "not_met": "✗ Ruled out"}}
WORDS = {"zh": {"needed": "尚需告知：", "confirm": "需向发布部门确认：", "requires": "计划要求：", "clause": "条款",
                "one_of": "（二选一）", "choose": "二选一：“{a}”与“{b}”只能享受其中一项",
                "year": "毕业年份应为四位数字，例如 2023；不清楚可留空。",
                "team": "团队人数应为整数，例如 3；不清楚可留空。",
                "shown": "本地现行政策中的福利：显示 {n} 项，共 {total} 项"},
         "en": {"needed": "Tell us: ", "confirm": "Confirm with the issuer: ", "requires": "The plan requires: ",
                "clause": "Clause", "one_of": " (choose one)", "choose": "Choose one: “{a}” or “{b}”, not both",
                "year": "The graduation year should be four digits, e.g. 2023; leave it empty if unsure.",
                "team": "The team size should be a whole number, e.g. 3; leave it empty if unsure.",
                "shown": "Benefits of the local policies in force: {n} shown of {total}"}}


def both(words) -> str:
    """'中文 / English' for a bilingual label."""
    return f"{words.zh} / {words.en}"


def _words(lang: str) -> dict:
    return {k: localise(v, lang) for k, v in WORDS[base_lang(lang)].items()}


def results_html(result, lang: str) -> str:
    s = {k: localise(v, lang) for k, v in STATUS[base_lang(lang)].items()}
    w, words = _words(lang), profile_words()
    sep = "；" if base_lang(lang) == "zh" else "; "
    choose = choices_between(result)
    rows = []
    for b in result.benefits:
        if b.status == "not_met":
            why = w["requires"] + "；".join(f"“{esc(c.says)}”" for c in b.conditions if c.status == "not_met")
        else:
            parts = ([w["needed"] + sep.join(esc(words.ask(n, lang)) for n in b.needed)] if b.needed else []) + \
                    ([w["confirm"] + "；".join(map(esc, b.to_confirm))] if b.to_confirm else []) + \
                    [f'<strong class="opc-elig-choose">{esc(w["choose"].format(a=b.name, b=other))}</strong>'
                     for other in choose.get(b.fact_id, [])]
            why = "<br>".join(parts)
        cite = f'{esc(b.citation.label)} {esc(b.citation.title)}'
        mark = s[b.status] + (w["one_of"] if b.fact_id in choose else "")
        rows.append(f'<tr class="opc-elig-{b.status}" data-fact="{esc(b.fact_id)}"><td>{mark}</td>'
                    f'<td>{esc(b.name)}<br><small class="opc-elig-issuer">{esc(b.issuer)}</small></td>'
                    f'<td>{esc(b.amount) or "—"}</td>'
                    f'<td title="{esc(b.citation.text)}">{cite}</td><td>{why}</td></tr>')
    # the check covers the home jurisdiction's documents in force (the plan first): say how many there are
    caption = f'<caption>{esc(w["shown"].format(n=len(result.benefits), total=result.total))}</caption>'
    return f'<table class="opc-eligibility">{caption}<tbody>' + "".join(rows) + "</tbody></table>"


def _control(name, field):
    eid = f"opc-elig-{name}"
    label = both(field.label)
    hint = both(field.placeholder) if field.placeholder else None
    if field.type == "bool":
        yes_no = [("是 / Yes", True), ("否 / No", False), (f"{NOT_SURE['zh']} / {NOT_SURE['en']}", None)]
        return gr.Radio(yes_no, value=None, label=label, elem_id=eid)
    if field.type == "choice":
        options = [(f"{NOT_SURE['zh']} / {NOT_SURE['en']}", None)] + \
                  [(both(words), value) for value, words in field.options.items()]
        return gr.Dropdown(options, value=None, label=label, elem_id=eid)
    # Years, counts and places are text boxes: empty means unknown (a number box shows 0, which is a claim).
    return gr.Textbox(value="", label=label, placeholder=hint, elem_id=eid, max_length=60)


def _number(text, lang: str, key: str):
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise InvalidProfile(WORDS["en"][key], translations={"zh": WORDS["zh"][key],
                                                             "zh-Hant": localise(WORDS["zh"][key], "zh-Hant")})
    return int(text)


def build_panel(bot, ui_lang) -> None:
    """Lay out the panel inside the current Blocks; ``ui_lang`` is the interface language radio."""
    fields = profile_words().fields
    with gr.Accordion("我能拿到什么？/ What can I get?", open=False, elem_id="opc-eligibility"):
        controls = {}
        names = list(fields)
        for row in (names[:4], names[4:8], names[8:]):
            with gr.Row():
                for name in row:
                    controls[name] = _control(name, fields[name])
        check = gr.Button("查看 / Check", variant="primary", elem_id="opc-elig-check")
        output = gr.HTML(elem_id="opc-elig-results")

    def decide(lang_choice, *values):
        lang = UI_LANGS.get(lang_choice, "zh")
        raw = dict(zip(controls, values))
        try:
            raw["graduation_year"] = _number(raw.get("graduation_year"), lang, "year")
            raw["team_size"] = _number(raw.get("team_size"), lang, "team")
            raw["origin"] = (raw.get("origin") or "").strip() or None
            profile = bot.profile({k: v for k, v in raw.items() if v is not None})
        except OPCError as exc:  # an impossible value: say which, show nothing decided
            return f'<div class="opc-error">{esc(exc.in_language(lang))}</div>'
        return results_html(bot.eligibility(profile, lang), lang)

    check.click(decide, [ui_lang, *controls.values()], output)
