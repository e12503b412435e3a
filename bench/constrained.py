#!/usr/bin/env python3
"""What a founder reads in the constrained design on the golden questions, printed as ONE JSON object.

A scripted model (the loopback OpenAI-compatible server) answers every golden question that expects clauses, in
the constrained design: it chooses the records of the expected clauses that the question names (the mapping of
assistant/evaluate/constrained_cases.py; the clause itself when the question names none of its records) with an
empty framing. Measured against the extractive answer of the same question (what the founder reads without a
model, and after any fallback): the share shown, the answer's length in characters, and the share of answers
stating every expected figure (normalised as `opc eval` does). Questions answered without calling the model
(lists, stories, refusals, "the plan does not say") are counted apart. Run from the repository root:

    python -m bench.constrained
"""

from __future__ import annotations

import json
import logging
import statistics

from assistant.evaluate.checks import figures_present
from assistant.evaluate.constrained_cases import constrained_form
from assistant.evaluate.dataset import load_dataset
from assistant.evaluate.scripted_llm import ScriptedLLM
from assistant.service import Assistant
from assistant.settings import LLMSettings, Settings
from assistant.understanding.text import detect_language


def main() -> None:
    logging.getLogger("assistant").setLevel(logging.ERROR)
    cases = [c for c in load_dataset() if c.answerable and c.expected_clauses and c.category != "followup"]
    rows, not_via_model = [], 0
    with ScriptedLLM() as llm:
        bot = Assistant.load(Settings().model_copy(update={"llm": LLMSettings(
            base_url=llm.base_url, model="scripted", api_key="x", timeout=5, design="constrained")}))
        for c in cases:
            hits = [h.clause_id for h in bot.retriever.search(c.question, detect_language(c.question)).hits]
            cited = "".join(f"[{hits.index(x) + 1}]" for x in c.expected_clauses if x in hits)
            form, _ = constrained_form(c.question + cited, hits, bot.corpus)
            form["framing"] = ""
            llm.script(llm.reply(form), llm.reply(form))
            before = len(llm.requests)
            shown = bot.ask(c.question, mode="llm")
            if len(llm.requests) == before:
                not_via_model += 1
                continue
            quoted = bot.ask(c.question, mode="extractive")
            rows.append({"shown": shown.mode == "llm", "chars": len(shown.answer), "quoted_chars": len(quoted.answer),
                         "figures": figures_present(c.expected_figures, shown.answer),
                         "quoted_figures": figures_present(c.expected_figures, quoted.answer)})

    def share(key: str) -> float | None:
        vals = [r[key] for r in rows if r[key] is not None]
        return round(sum(vals) / len(vals), 4) if vals else None

    print(json.dumps({
        "questions": len(cases), "via_model": len(rows), "not_via_model": not_via_model,
        "constrained_shown": share("shown"),
        "constrained_chars_median": statistics.median(r["chars"] for r in rows) if rows else None,
        "extractive_chars_median": statistics.median(r["quoted_chars"] for r in rows) if rows else None,
        "constrained_all_figures": share("figures"), "extractive_all_figures": share("quoted_figures"),
        "with_expected_figures": sum(r["figures"] is not None for r in rows),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
