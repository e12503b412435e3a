"""The "what can I get?" panel: a few facts about the founder -> the benefits of the home jurisdiction's
policies in force (the plan first), decided by ``Assistant.eligibility`` (met / not met / to decide), each with its
amount, issuer and cited clause."""

from __future__ import annotations

from html import escape as esc

import gradio as gr

from assistant.knowledge.eligibility import validate_profile
from assistant.errors import OPCError

from ui.texts import UI_LANGS

# Labels are bilingual so the panel reads in either interface language without extra wiring;
# the results follow the interface language.
YES_NO = [("是 / Yes", True), ("否 / No", False), ("不确定 / Not sure", None)]
DEGREES = [("不确定 / Not sure", None), ("博士 / Doctorate", "doctoral"), ("硕士 / Master's", "master"),
           ("学士 / Bachelor's", "bachelor"), ("无 / None", "none")]
SIZES = [("不确定 / Not sure", None), ("尚未注册 / Not registered yet", "none"), ("微型 / Micro", "micro"),
         ("小型 / Small", "small"), ("中型 / Medium", "medium"), ("大型 / Large", "large")]
QUESTIONS = [  # (profile field, label)
    ("newly_arrived", "新来深圳、尚无深圳户口？/ New to Shenzhen (no Shenzhen hukou yet)?"),
    ("is_founder", "正在创业？/ Founding a startup?"),
    ("in_opc_community", "在OPC社区内？/ In an OPC community?"),
    ("overseas_educated", "留学归国？/ Educated abroad?"),
    ("works_in_ai", "从事人工智能？/ Working in AI?"),
    ("selected_kunpeng", "入选鲲鹏项目？/ Selected for Kunpeng projects?"),
]
STATUS = {"zh": {"met": "✓ 符合", "unknown": "? 待确认", "not_met": "✗ 不符合"},
          "en": {"met": "✓ Fits", "unknown": "? To decide", "not_met": "✗ Ruled out"}}
WORDS = {"zh": {"needed": "尚需：", "confirm": "需向发布部门确认：", "requires": "计划要求：", "clause": "条款",
                "shown": "本地现行政策中的福利：显示 {n} 项，共 {total} 项"},
         "en": {"needed": "Still needed: ", "confirm": "Confirm with the issuer: ", "requires": "The plan requires: ",
                "clause": "Clause", "shown": "Benefits of the local policies in force: {n} shown of {total}"}}


def results_html(result, lang: str) -> str:
    s, w = STATUS[lang], WORDS[lang]
    rows = []
    for b in result.benefits:
        if b.status == "not_met":
            why = w["requires"] + "；".join(f"“{esc(c.says)}”" for c in b.conditions if c.status == "not_met")
        else:
            parts = ([w["needed"] + ", ".join(map(esc, b.needed))] if b.needed else []) + \
                    ([w["confirm"] + "；".join(map(esc, b.to_confirm))] if b.to_confirm else [])
            why = "<br>".join(parts)
        cite = f'{esc(b.citation.label)} {esc(b.citation.title)}'
        rows.append(f'<tr class="opc-elig-{b.status}" data-fact="{esc(b.fact_id)}"><td>{s[b.status]}</td>'
                    f'<td>{esc(b.name)}<br><small class="opc-elig-issuer">{esc(b.issuer)}</small></td>'
                    f'<td>{esc(b.amount) or "—"}</td>'
                    f'<td title="{esc(b.citation.text)}">{cite}</td><td>{why}</td></tr>')
    # the check covers the home jurisdiction's documents in force (the plan first): say how many there are
    caption = f'<caption>{esc(w["shown"].format(n=len(result.benefits), total=result.total))}</caption>'
    return f'<table class="opc-eligibility">{caption}<tbody>' + "".join(rows) + "</tbody></table>"


def build_panel(bot, ui_lang) -> None:
    """Lay out the panel inside the current Blocks; ``ui_lang`` is the interface language radio."""
    with gr.Accordion("我能拿到什么？/ What can I get?", open=False, elem_id="opc-eligibility"):
        with gr.Row():
            degree = gr.Dropdown(DEGREES, value=None, label="最高学历 / Highest degree", elem_id="opc-elig-degree")
            year = gr.Number(None, label="毕业年份 / Graduation year", precision=0, elem_id="opc-elig-year")
            size = gr.Dropdown(SIZES, value=None, label="公司规模 / Company size", elem_id="opc-elig-size")
        answers = [gr.Radio(YES_NO, value=None, label=label, elem_id=f"opc-elig-{field}")
                   for field, label in QUESTIONS]
        check = gr.Button("查看 / Check", variant="primary", elem_id="opc-elig-check")
        output = gr.HTML(elem_id="opc-elig-results")

    def decide(lang_choice, degree_v, year_v, size_v, *flags):
        lang = UI_LANGS.get(lang_choice, "zh")
        raw = {"degree": degree_v, "graduation_year": int(year_v) if year_v not in (None, "") else None,
               "company_size": size_v, **{field: v for (field, _), v in zip(QUESTIONS, flags)}}
        try:
            profile = validate_profile({k: v for k, v in raw.items() if v is not None})
        except OPCError as exc:  # an impossible value: say which, show nothing decided
            return f'<div class="opc-error">{esc(exc.in_language(lang))}</div>'
        return results_html(bot.eligibility(profile, lang), lang)

    check.click(decide, [ui_lang, degree, year, size, *answers], output)
