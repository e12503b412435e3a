"""Adversarial gate evaluation: scripted model answers (eval/gate.yaml, the blind sets in eval/blind/) served by
the scripted OpenAI-compatible server on loopback, asked through the real LLM path (`Assistant.ask`, mode llm).

A lie is blocked when the user gets the extractive fallback (the same lie is served for the retry too); a truth
is accepted when the model's answer is shown on the first try. Scored per kind and language. An item whose
question never reaches the model (answered from the records, refused before the model) or whose cited clause
is not among the sources its question retrieves tests nothing end to end: it is counted as NOT TESTED, listed, and
left out of the rates; a set of which nothing was tested fails. Those answered without the model are still judged
by the gate alone (the same sources, the same checks), reported apart as ``every_item``.

    python -m assistant.evaluate.adversarial eval/gate.yaml eval/blind/gate_answers.yaml [--out DIR]
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, field_validator

from assistant.errors import InvalidDataset
from assistant.evaluate.constrained_cases import FIGURE_KINDS, complete, constrained_form
from assistant.evaluate.scripted_llm import ScriptedLLM
from assistant.knowledge.figures import extract_figures
from assistant.service import Assistant
from assistant.settings import LLMSettings, Settings

LIES_BLOCKED_MIN = 1.0
TRUTHS_ACCEPTED_MIN = 0.97
DEFAULT_DOC = "sz-ai-opc-plan"   # a bare clause id ("m4") in a dataset names a clause of the plan
_MARK = re.compile(r"\[n(\d?)\]")
_PLAIN_MARK = re.compile(r"\[(\d+)\]")


class GateItem(BaseModel):
    id: str
    lang: str = Field(description="en, zh, zh-Hant or yue (Cantonese: the answer is in Traditional characters).")
    kind: str = Field(description="'truth', or the kind of lie (subject, attribute, condition, list_extra, ...).")
    subkind: str | None = Field(None, description="Finer label (what a truth states, what a lie changes).")
    truthful: bool
    question: str
    cite: list[str] = Field(description="Clause ids the answer cites; [n] (or [n1], [n2] in cite order) in the "
                                        "answer is replaced by their source numbers.")
    answer: str
    citations: list[int] | None = Field(None, description="Citation numbers the reply lists, when not those of `cite`.")
    why: str | None = Field(None, description="Why the answer is true or false (for the reader of the report).")

    @field_validator("cite")
    @classmethod
    def _qualified(cls, v: list[str]) -> list[str]:
        return [c if ":" in c else f"{DEFAULT_DOC}:{c}" for c in v]


class GateEvalResult(BaseModel):
    name: str = "gate"
    items: int
    tested: int = Field(0, description="Items whose answer reached the gate (the model was called).")
    lies_blocked: dict[str, float] = Field(description="Per language (and 'all'): share of lies blocked.")
    truths_accepted: dict[str, float] = Field(description="Per language (and 'all'): share of truths shown.")
    per_kind: dict[str, dict[str, float]] = Field(description="kind -> language (and 'all') -> share handled "
                                                              "correctly (blocked for lies, shown for truths).")
    counts: dict[str, dict[str, int]] = Field(default_factory=dict, description="kind -> right / tested / not_tested.")
    not_tested: list[dict] = Field(default_factory=list, description="Items that never reached the gate, and why.")
    failures: list[dict] = Field(default_factory=list, description="Items the gate got wrong.")
    reasons: list[dict] = Field(default_factory=list, description="Every tested item: outcome and the gate's "
                                                                  "per-statement findings.")
    passed: bool
    design: str = Field("free", description="The model design measured (OPC_LLM_DESIGN): free or constrained.")
    not_expressible: int = Field(0, description="Constrained: lies shown whose falsehood was only their figures "
                                                "(a figure kind, every figure cut): the founder read the records'.")
    truths_complete: float | None = Field(None, description="Constrained: share of the truths shown whose every "
                                                            "figure is in the rendered answer.")
    answer_chars: float | None = Field(None, description="Mean length of the answers shown for truths.")
    every_item: dict[str, float | int] | None = Field(
        None, description="Free design: lies blocked / truths accepted over the tested items AND those answered "
                          "without the model, judged by the gate alone against the same sources (items: how many).")


def load_items(path: Path) -> list[GateItem]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return [GateItem.model_validate(x) for x in raw]
    except (OSError, yaml.YAMLError, TypeError, ValueError) as exc:
        raise InvalidDataset(f"The gate dataset {path} is unreadable or malformed: {str(exc).splitlines()[0]}") from None


def _numbered(answer: str, numbers: list[int]) -> str:
    """[n] -> the first cited source's number, [nk] -> the k-th's. Sets written as a model writes ([1], [2]: the
    k-th id of ``cite``) are renumbered the same way; a number outside ``cite`` ([0]) stays, as the bad citation."""
    def sub(m: re.Match) -> str:
        k = int(m.group(1) or 1) - 1
        return f"[{numbers[min(k, len(numbers) - 1)]}]"
    if _MARK.search(answer):
        return _MARK.sub(sub, answer)
    return _PLAIN_MARK.sub(lambda m: f"[{numbers[int(m.group(1)) - 1]}]" if 1 <= int(m.group(1)) <= len(numbers)
                           else m.group(), answer)


def run(settings: Settings, items: list[GateItem], name: str = "gate", design: Literal["free", "constrained"] = "free",
        sentences: str = "all") -> GateEvalResult:
    """``design``: the model design served (constrained: each case in its constrained form, see
    constrained_cases.py; ``sentences`` picks which of the answer's sentences become the framing)."""
    outcome: dict[str, bool] = {}
    failures: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    reasons: list[dict[str, Any]] = []
    with ScriptedLLM() as llm:
        bot = Assistant.load(settings.model_copy(update={
            "llm": LLMSettings(base_url=llm.base_url, model="scripted", api_key="x", timeout=5, design=design)}))
        for it in items:
            hits = bot.questions.sources_for(it.question)  # numbered as the model is given them
            missing = [c for c in it.cite if c not in hits]
            if missing:
                skipped.append({"id": it.id, "kind": it.kind, "why": f"{missing} not among the sources retrieved"})
                continue
            numbers = [hits.index(c) + 1 for c in it.cite]
            text = _numbered(it.answer, numbers)
            cites = it.citations if it.citations is not None else numbers
            cut = False
            if design == "constrained":
                form, cut = constrained_form(text, hits, bot.corpus, sentences)
                reply = llm.reply(form)
            else:
                reply = llm.reply({"answered": True, "answer": text, "citations": cites})
            llm.script(reply, reply)
            before = len(llm.requests)
            answer = bot.ask(it.question, mode="llm")
            if len(llm.requests) == before:
                entry: dict[str, Any] = {"id": it.id, "kind": it.kind, "why": f"answered without calling the model ({answer.mode})"}
                if design == "free":   # the founder never sees it, but the gate can still be judged on it
                    found = bot.questions.gate_findings(it.question, text)
                    entry["alone"] = {"shown": not found, "ok": (not found) == it.truthful, "findings": found}
                skipped.append(entry)
                continue
            shown = answer.mode == "llm"
            ok = shown == it.truthful
            outcome[it.id] = ok
            entry = {"id": it.id, "kind": it.kind, "lang": it.lang, "truthful": it.truthful, "shown": shown,
                     "ok": ok, "answer": text, "warnings": answer.warnings, "why": it.why,
                     "shown_text": answer.answer if shown else None}
            if design == "constrained" and shown:
                entry["framing"] = form["framing"]
                entry["not_expressible"] = not it.truthful and cut and it.kind in FIGURE_KINDS \
                    and not extract_figures(form["framing"])
                entry["complete"] = complete(text, answer.answer) if it.truthful else None
            reasons.append(entry)
            if not ok:
                failures.append(entry)
    result = score(items, outcome, failures, skipped, reasons, name)
    alone = {s["id"]: s["alone"]["ok"] for s in skipped if "alone" in s}
    if alone:
        judged = {**outcome, **alone}
        truthful = {i.id: i.truthful for i in items}

        def rate(want: bool) -> float:
            sel = [ok for k, ok in judged.items() if truthful[k] is want]
            return round(sum(sel) / len(sel), 4) if sel else 1.0
        result = result.model_copy(update={"every_item": {"items": len(judged), "lies_blocked": rate(False),
                                                          "truths_accepted": rate(True)}})
    accepted = [r for r in reasons if r["truthful"] and r["shown"]]
    chars = round(sum(len(r["shown_text"]) for r in accepted) / len(accepted), 1) if accepted else None
    extra: dict[str, Any] = {"design": design, "answer_chars": chars}
    if design == "constrained":
        extra["not_expressible"] = sum(bool(r.get("not_expressible")) for r in reasons)
        complete_share = sum(bool(r["complete"]) for r in accepted) / len(accepted) if accepted else None
        extra["truths_complete"] = round(complete_share, 4) if complete_share is not None else None
    return result.model_copy(update=extra)


def score(items: list[GateItem], outcome: dict[str, bool], failures: list[dict], skipped: list[dict] | None = None,
          reasons: list[dict] | None = None, name: str = "gate") -> GateEvalResult:
    tested = [i for i in items if i.id in outcome]

    def share(sel) -> float:
        sel = list(sel)
        return round(sum(outcome[i.id] for i in sel) / len(sel), 4) if sel else 1.0

    langs = sorted({i.lang for i in items})
    lies = {lang: share(i for i in tested if not i.truthful and i.lang == lang) for lang in langs}
    truths = {lang: share(i for i in tested if i.truthful and i.lang == lang) for lang in langs}
    lies["all"] = share(i for i in tested if not i.truthful)
    truths["all"] = share(i for i in tested if i.truthful)
    kinds = sorted({i.kind for i in items})
    per_kind = {k: {**{lang: share(i for i in tested if i.kind == k and i.lang == lang) for lang in langs},
                    "all": share(i for i in tested if i.kind == k)} for k in kinds}
    skipped = skipped or []
    counts = {k: {"right": sum(outcome[i.id] for i in tested if i.kind == k),
                  "tested": sum(1 for i in tested if i.kind == k),
                  "not_tested": sum(1 for s in skipped if s["kind"] == k)} for k in kinds}
    # Lies: every one blocked in every language. Truths: the floor over the whole set (a language holds ~20 truths:
    # one lost would be 95 %, so a per-language floor of 97 % would mean 100 %).
    passed = (bool(tested) and all(v >= LIES_BLOCKED_MIN for v in lies.values())
              and truths["all"] >= TRUTHS_ACCEPTED_MIN)
    return GateEvalResult(name=name, items=len(items), tested=len(tested), lies_blocked=lies, truths_accepted=truths,
                          per_kind=per_kind, counts=counts, not_tested=skipped, failures=failures,
                          reasons=reasons or [], passed=passed)


def write_reports(out_dir: Path, result: GateEvalResult) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = "gate" if result.name == "gate" else f"gate-{result.name}"
    js = out_dir / f"{stem}.json"
    js.write_text(json.dumps(result.model_dump(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    langs = [k for k in next(iter(result.per_kind.values()), {}) if k != "all"] + ["all"]
    rows = "".join(f"<tr><th>{k}</th>" + "".join(f"<td>{d.get(lang, 1.0):.1%}</td>" for lang in langs)
                   + f"<td>{result.counts.get(k, {}).get('right', 0)}/{result.counts.get(k, {}).get('tested', 0)}</td>"
                   f"<td>{result.counts.get(k, {}).get('not_tested', 0)}</td></tr>"
                   for k, d in result.per_kind.items())
    esc = html.escape

    def row(r: dict) -> str:
        verdict = ("shown" if r["shown"] else "blocked") + ("" if r["ok"] else " ✗")
        found = "".join(f"<li>{esc(w)}</li>" for w in r["warnings"]) or "<li>no finding</li>"
        return (f"<tr><td>{esc(r['id'])}</td><td>{'truth' if r['truthful'] else esc(r['kind'])}</td>"
                f"<td>{verdict}</td><td>{esc(r['answer'])}</td><td><ul>{found}</ul></td></tr>")

    page = out_dir / f"{stem}.html"
    page.write_text(
        f"<!doctype html><meta charset='utf-8'><title>Grounding gate evaluation: {esc(result.name)}</title>"
        f"<h1>Grounding gate ({esc(result.name)}): {'passed' if result.passed else 'FAILED'}</h1>"
        f"<p>{result.items} model answers, {result.tested} tested. Lies blocked: {result.lies_blocked}. "
        f"Truths accepted: {result.truths_accepted}.</p><table border=1><tr><th>kind</th>"
        + "".join(f"<th>{lang}</th>" for lang in langs) + f"<th>right/tested</th><th>not tested</th></tr>{rows}</table>"
        + (f"<p>Every item, those answered without the model judged by the gate alone: {result.every_item}</p>"
           if result.every_item else "")
        + "".join(f"<p>NOT TESTED {esc(s['id'])}: {esc(s['why'])}"
                  + (f" — gate alone: {'shown' if s['alone']['shown'] else 'blocked'}"
                     f"{'' if s['alone']['ok'] else ' ✗'} {esc('; '.join(s['alone']['findings']))}" if 'alone' in s
                     else "") + "</p>" for s in result.not_tested)
        + "<h2>Wrong</h2><table border=1>" + "".join(row(r) for r in result.failures) + "</table>"
        + "<h2>Every answer, with the gate's findings per statement</h2><table border=1>"
        + "<tr><th>id</th><th>kind</th><th>outcome</th><th>answer</th><th>findings</th></tr>"
        + "".join(row(r) for r in result.reasons) + "</table>", encoding="utf-8")
    return {f"{stem}_json": js, f"{stem}_html": page}


def summary(result: GateEvalResult) -> dict:
    """Per kind: lies blocked / truths accepted as right/tested (not tested apart)."""
    lies = sum(c["tested"] for k, c in result.counts.items() if k != "truth")
    blocked = sum(c["right"] for k, c in result.counts.items() if k != "truth")
    extra = {"not_expressible": result.not_expressible, "truths_complete": result.truths_complete,
             # blocked by a check, or never able to reach the founder (the records' figures shown instead)
             "lies_kept_out": round((blocked + result.not_expressible) / lies, 4) if lies else 1.0} \
        if result.design == "constrained" else {}
    return {"set": result.name, "design": result.design, "lies_blocked": result.lies_blocked["all"],
            "truths_accepted": result.truths_accepted["all"], "not_tested": len(result.not_tested),
            "tested": result.tested, "answer_chars": result.answer_chars, "every_item": result.every_item, **extra,
            "per_kind": {k: f"{c['right']}/{c['tested']}" + (f" (+{c['not_tested']} not tested)" if c["not_tested"]
                                                             else "") for k, c in result.counts.items()},
            "passed": result.passed}


def main() -> None:  # pragma: no cover - a developer's shortcut; `opc eval --adversarial` is the gate

    ap = argparse.ArgumentParser(description="Score gate datasets through the LLM path (no golden set).")
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--design", choices=["free", "constrained"], default="free")
    ap.add_argument("--framing", choices=["all", "first"], default="all",
                    help="constrained: the answer's sentences that become the framing")
    args = ap.parse_args()
    logging.getLogger("assistant").setLevel(logging.ERROR)
    for p in args.paths:
        result = run(Settings(), load_items(p), name="gate" if p.stem == "gate" else p.stem, design=args.design,
                     sentences=args.framing)
        if args.out:
            write_reports(args.out, result)
        print(json.dumps(summary(result), ensure_ascii=False))
        for f in result.failures:
            print("  ✗", f["id"], "shown" if f["shown"] else "blocked", "|", f["answer"][:160], "|",
                  "; ".join(f["warnings"])[:300])
        for s in result.not_tested:
            print("  NOT TESTED", s["id"], s["why"])


if __name__ == "__main__":
    main()
