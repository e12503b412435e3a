"""Adversarial gate evaluation: model answers from eval/gate.yaml, served by the scripted
OpenAI-compatible server on loopback, asked through the real LLM path (`Assistant.ask`, mode llm).

A lie is blocked when the user gets the extractive fallback (the same lie is served for the retry
too); a truth is accepted when the model's answer is shown on the first try. Scored per kind and
language; the gate requires every lie blocked and >= 98 % of truths accepted in each language.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from assistant.errors import InvalidDataset
from assistant.settings import LLMSettings, Settings
from assistant.understanding.text import detect_language
from assistant.service import Assistant
from assistant.evaluate.scripted_llm import ScriptedLLM

LIES_BLOCKED_MIN = 1.0
TRUTHS_ACCEPTED_MIN = 0.98


class GateItem(BaseModel):
    id: str
    lang: str
    kind: str = Field(description="'truth', or the kind of lie: subject, attribute, condition, place, figure.")
    truthful: bool
    question: str
    cite: list[str] = Field(description="Clause ids the answer cites; [n] in the answer is replaced by their numbers.")
    answer: str
    citations: list[int] | None = Field(None, description="Citation numbers the reply lists, when not those of `cite`.")


class GateEvalResult(BaseModel):
    items: int
    lies_blocked: dict[str, float] = Field(description="Per language (and 'all'): share of lies blocked.")
    truths_accepted: dict[str, float] = Field(description="Per language (and 'all'): share of truths shown.")
    per_kind: dict[str, dict[str, float]] = Field(description="kind -> language -> share handled correctly.")
    failures: list[dict] = Field(default_factory=list, description="Items the gate got wrong.")
    passed: bool


def load_items(path: Path) -> list[GateItem]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return [GateItem.model_validate(x) for x in raw]
    except (OSError, yaml.YAMLError, TypeError, ValueError) as exc:
        raise InvalidDataset(f"The gate dataset {path} is unreadable or malformed: {str(exc).splitlines()[0]}") from None


def run(settings: Settings, items: list[GateItem]) -> GateEvalResult:
    outcome: dict[str, bool] = {}
    failures: list[dict] = []
    with ScriptedLLM() as llm:
        bot = Assistant.load(settings.model_copy(update={
            "llm": LLMSettings(base_url=llm.base_url, model="scripted", api_key="x", timeout=5)}))
        for it in items:
            hits = [h.clause_id for h in bot.retriever.search(it.question, detect_language(it.question)).hits]
            if any(c not in hits for c in it.cite):
                raise InvalidDataset(f"gate item {it.id}: {it.cite} not among the sources retrieved for its question")
            text = it.answer.replace("[n]", f"[{hits.index(it.cite[0]) + 1}]")
            cites = it.citations if it.citations is not None else [hits.index(c) + 1 for c in it.cite]
            reply = llm.reply({"answered": True, "answer": text, "citations": cites})
            llm.script(reply, reply)
            answer = bot.ask(it.question, mode="llm")
            shown = answer.mode == "llm"
            ok = shown == it.truthful
            outcome[it.id] = ok
            if not ok:
                failures.append({"id": it.id, "answer": text, "shown": shown, "warnings": answer.warnings})
    return score(items, outcome, failures)


def score(items: list[GateItem], outcome: dict[str, bool], failures: list[dict]) -> GateEvalResult:
    def share(sel) -> float:
        sel = list(sel)
        return round(sum(outcome[i.id] for i in sel) / len(sel), 4) if sel else 1.0

    langs = sorted({i.lang for i in items})
    lies = {lang: share(i for i in items if not i.truthful and i.lang == lang) for lang in langs}
    truths = {lang: share(i for i in items if i.truthful and i.lang == lang) for lang in langs}
    lies["all"] = share(i for i in items if not i.truthful)
    truths["all"] = share(i for i in items if i.truthful)
    per_kind = {k: {lang: share(i for i in items if i.kind == k and i.lang == lang) for lang in langs}
                for k in sorted({i.kind for i in items})}
    passed = all(v >= LIES_BLOCKED_MIN for v in lies.values()) and all(v >= TRUTHS_ACCEPTED_MIN for v in truths.values())
    return GateEvalResult(items=len(items), lies_blocked=lies, truths_accepted=truths, per_kind=per_kind,
                          failures=failures, passed=passed)


def write_reports(out_dir: Path, result: GateEvalResult) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    js = out_dir / "gate.json"
    js.write_text(json.dumps(result.model_dump(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    rows = "".join(f"<tr><th>{k}</th>" + "".join(f"<td>{v:.1%}</td>" for v in d.values()) + "</tr>"
                   for k, d in result.per_kind.items())
    langs = next(iter(result.per_kind.values()), {}).keys()
    html = out_dir / "gate.html"
    html.write_text(
        "<!doctype html><meta charset='utf-8'><title>Grounding gate evaluation</title>"
        f"<h1>Grounding gate: {'passed' if result.passed else 'FAILED'}</h1>"
        f"<p>{result.items} model answers. Lies blocked: {result.lies_blocked}. Truths accepted: "
        f"{result.truths_accepted}.</p><table border=1><tr><th>kind</th>"
        + "".join(f"<th>{lang}</th>" for lang in langs) + f"</tr>{rows}</table>"
        + "".join(f"<p>✗ {f['id']}: {f['answer']}</p>" for f in result.failures), encoding="utf-8")
    return {"gate_json": js, "gate_html": html}
