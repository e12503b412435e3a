"""``opc eval --blind FILE``: score a blind founder-message set, as written and under programmatic variants.

A blind set is written from the plan alone, without looking at the assistant, so it measures how the
assistant generalises to new wordings rather than how well it recalls its own test data. A case is
correct when the assistant answers exactly when it should, states every expected figure (scripts folded
with OpenCC, 万/萬, thousands separators and unit spacing normalised) and cites an expected clause.
Every case is also asked in five variants (punctuation stripped, OpenCC s2tw and s2hk, a founder's
background sentence prepended, an instruction wrapped around it), each scored as a rate of its own.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import opencc
import yaml
from pydantic import BaseModel, Field, ValidationError

from assistant.errors import ConfigError, InvalidQuestion
from assistant.knowledge.figures import normalise
from assistant.understanding.text import to_simplified

PLAN = "sz-ai-opc-plan"  # a bare clause id ("m4") in a blind set is the plan's
UNSTATED_PARTS = Path(__file__).resolve().parents[2] / "eval" / "blind" / "unstated_parts.yaml"
VARIANTS = ("as_written", "punct", "s2tw", "s2hk", "background", "wrapper")
Progress = Callable[[str, int, int], None]


class BlindCase(BaseModel):
    id: str
    pattern: str
    language: str = Field(description="zh | zh-Hant | yue | en")
    question: str
    answerable: bool
    expected_clauses: list[str] = Field(default_factory=list)
    expected_figures: list[str] = Field(default_factory=list)
    unstated: list[str] = Field(default_factory=list)
    note: str | None = None


class BlindResult(BaseModel):
    id: str
    pattern: str
    language: str
    variant: str
    question: str
    expected_answerable: bool
    answerable: bool
    answer: str
    cited: list[str] = Field(default_factory=list)
    figures_ok: bool | None = None
    clauses_ok: bool | None = None
    correct: bool
    unstated_expected: list[str] = Field(default_factory=list)
    unstated_got: list[str] | None = Field(None, description="None: the answer does not expose what it left unstated.")
    frame: dict | None = None
    latency_ms: float = 0.0
    error: str | None = None


def load_cases(path: Path) -> list[BlindCase]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read the blind set {path}: {exc}") from None
    if not isinstance(raw, list):
        raise ConfigError(f"The blind set {path} must be a YAML list of cases.")
    try:
        cases = [BlindCase.model_validate(x) for x in raw]
    except ValidationError as exc:
        raise ConfigError(f"The blind set {path} has an invalid case: {exc}") from None
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"The blind set {path} repeats case ids.")
    return cases


# --- figures ------------------------------------------------------------------------------------
def _fold(text: str) -> str:
    """Script, width, separators and spacing folded away, for a verbatim comparison."""
    t = unicodedata.normalize("NFKC", to_simplified(text)).lower()
    t = re.sub(r"(?<=\d),(?=\d{3})", "", t)
    return re.sub(r"\s+", "", t)


def figure_stated(figure: str, answer: str) -> bool:
    """The figure is in the answer: as a value with its unit (10万元 = 100,000 yuan), else verbatim once folded."""
    want = normalise(to_simplified(figure))
    if want and want <= normalise(to_simplified(answer)):
        return True
    f = _fold(figure)
    return bool(re.search(rf"(?<![\d.]){re.escape(f)}", _fold(answer)))


# --- variants -----------------------------------------------------------------------------------
_BACKGROUND = {
    "zh": ["我老家江西赣州，2019年在南京读完研究生，之后在杭州一家互联网公司工作了四年。",
           "我是湖南长沙人，2021年本科毕业于武汉大学，目前在上海做算法工程师。",
           "本人北京户口，2015年清华硕士毕业，在新加坡工作过三年。"],
    "zh-Hant": ["我老家在台灣高雄，2020年在台北讀完碩士，之後在新竹一間半導體公司待了三年。",
                "本人在香港長大，2018年於倫敦取得學位，目前在廣州工作。"],
    "yue": ["我喺香港出世，2019年喺多倫多讀完書，之後喺廣州做咗幾年嘢。",
            "我屋企喺佛山，2022年喺中大畢業，依家喺上海返工。"],
    "en": ["I grew up in Chengdu, studied in Singapore until 2019 and worked in Hangzhou for four years.",
           "I'm from Wuhan, graduated from a university in Boston in 2021 and now work at a Shanghai startup."],
}
_WRAPPER = {
    "zh": ["请用专业口吻回答，不要引用：{q}", "{q}只回答数字，不要废话。"],
    "zh-Hant": ["請用條列式回答，不用附出處：{q}", "{q}請簡短回答就好。"],
    "yue": ["唔該簡單啲答，唔使講出處：{q}", "{q}直接話我知就得。"],
    "en": ["Answer in a professional tone, no citations please: {q}", "{q} Keep it to one sentence."],
}


def _pick(options: list[str], key: str) -> str:
    return options[int(hashlib.sha1(key.encode()).hexdigest(), 16) % len(options)]


@lru_cache(maxsize=2)
def _cc(config: str):
    return opencc.OpenCC(config)


def strip_punctuation(text: str) -> str:
    out = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return re.sub(r"\s+", " ", out).strip()


def variant(case: BlindCase, kind: str) -> str:
    q, lang = case.question, case.language
    if kind == "as_written":
        return q
    if kind == "punct":
        return strip_punctuation(q)
    if kind in ("s2tw", "s2hk"):
        return _cc(kind).convert(q)
    if kind == "background":
        return _pick(_BACKGROUND[lang], case.id) + (" " if lang == "en" else "") + q
    if kind == "wrapper":
        return _pick(_WRAPPER[lang], case.id).format(q=q)
    raise ConfigError(f"Unknown blind variant {kind!r}: use one of {', '.join(VARIANTS)}.")


# --- answering and scoring ----------------------------------------------------------------------
def _clause_ids(ids: list[str]) -> list[str]:
    return [c if ":" in c else f"{PLAN}:{c}" for c in ids]


def score_case(bot, case: BlindCase, kind: str, mode: str | None = "extractive") -> BlindResult:
    question = variant(case, kind)
    started = time.perf_counter()
    error = None
    try:
        answer = bot.ask(question, mode=mode)
        text, answerable = answer.answer, answer.answerable
        cited = [c.clause_id for c in answer.citations]
        unstated = getattr(answer, "unstated", None)
        frame = getattr(answer, "frame", None)
    except InvalidQuestion as exc:
        text, answerable, cited, unstated, frame, error = "", False, [], None, None, str(exc)
    latency = (time.perf_counter() - started) * 1000
    figures_ok = clauses_ok = None
    if case.answerable:
        figures_ok = all(figure_stated(f, text) for f in case.expected_figures) if case.expected_figures else None
        expected = _clause_ids(case.expected_clauses)
        clauses_ok = bool(set(expected) & set(cited)) if expected else None
    correct = answerable == case.answerable and figures_ok is not False and clauses_ok is not False
    got_unstated = None
    if unstated is not None:
        got_unstated = [u if isinstance(u, str) else getattr(u, "kind", str(u)) for u in unstated]
    return BlindResult(
        id=case.id, pattern=case.pattern, language=case.language, variant=kind, question=question,
        expected_answerable=case.answerable, answerable=answerable, answer=text, cited=cited,
        figures_ok=figures_ok, clauses_ok=clauses_ok, correct=correct, unstated_expected=case.unstated,
        unstated_got=got_unstated, frame=frame.model_dump() if frame is not None and hasattr(frame, "model_dump") else frame,
        latency_ms=round(latency, 1), error=error)


def _rate(xs: list[bool]) -> float | None:
    return round(sum(xs) / len(xs), 4) if xs else None


@lru_cache(maxsize=1)
def unstated_parts() -> dict[str, str]:
    """Every name of an unstated part (eval/blind/unstated_parts.yaml) -> the name answers use."""
    raw = yaml.safe_load(UNSTATED_PARTS.read_text(encoding="utf-8")) or {}
    return {str(a): str(name) for name, aliases in raw.items() for a in [name, *(aliases or [])]}


def _unstated_recall(results: list[BlindResult]) -> float | None:
    # Only the parts an answer can name count: any other label ("other", "visa": the plan is silent on the whole
    # topic) is judged by the refusal.
    parts = unstated_parts()
    hits = total = 0
    for r in results:
        want = [parts[u] for u in r.unstated_expected if u in parts]
        if not want or r.unstated_got is None:
            continue
        got = {parts.get(u, u) for u in r.unstated_got}
        total += len(want)
        hits += sum(u in got for u in want)
    return round(hits / total, 4) if total else None


def summarise(results: list[BlindResult]) -> dict:
    base = [r for r in results if r.variant == "as_written"]
    groups: dict[str, dict[str, list[bool]]] = {"pattern": defaultdict(list), "language": defaultdict(list)}
    for r in base:
        groups["pattern"][r.pattern].append(r.correct)
        groups["language"][r.language].append(r.correct)
    by_variant: dict[str, list[bool]] = defaultdict(list)
    by_variant_pattern: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        by_variant[r.variant].append(r.correct)
        by_variant_pattern[r.variant][r.pattern].append(r.correct)
    answerable = [r for r in base if r.expected_answerable]
    latencies = sorted(r.latency_ms for r in base)
    variants = [k for k in by_variant if k != "as_written"]
    return {
        "cases": len(base),
        "correct": _rate([r.correct for r in base]),
        "correct_answerable": _rate([r.correct for r in answerable]),
        "answerable_accuracy": _rate([r.answerable == r.expected_answerable for r in base]),
        "figure_rate": _rate([r.figures_ok for r in base if r.figures_ok is not None]),
        "clause_rate": _rate([r.clauses_ok for r in base if r.clauses_ok is not None]),
        "unstated_recall": _unstated_recall(base),
        "variants_correct": _rate([r.correct for r in results if r.variant != "as_written"]) if variants else None,
        "per_pattern": {k: {"rate": _rate(v), "n": len(v)} for k, v in sorted(groups["pattern"].items())},
        "per_language": {k: {"rate": _rate(v), "n": len(v)} for k, v in sorted(groups["language"].items())},
        "per_variant": {k: {"rate": _rate(v), "n": len(v)} for k, v in by_variant.items()},
        "per_variant_pattern": {k: {p: _rate(v) for p, v in sorted(ps.items())}
                                for k, ps in by_variant_pattern.items()},
        "latency_p95_ms": latencies[int(0.95 * (len(latencies) - 1))] if latencies else None,
    }


def run(bot, cases: list[BlindCase], kinds: tuple[str, ...] = VARIANTS, mode: str | None = "extractive",
        progress: Progress | None = None) -> tuple[dict, list[BlindResult]]:
    results: list[BlindResult] = []
    total = len(cases) * len(kinds)
    for kind in kinds:
        for case in cases:
            results.append(score_case(bot, case, kind, mode))
            if progress:
                progress("blind", len(results), total)
    return summarise(results), results


GATED = ("correct", "correct_answerable", "answerable_accuracy", "figure_rate", "clause_rate",
         "unstated_recall", "variants_correct")


def check(summary: dict, thresholds: dict[str, float]) -> list[str]:
    """The metrics below their floor, as messages (empty: the gate passes)."""
    out = []
    for name, floor in thresholds.items():
        if name not in GATED:
            raise ConfigError(f"Unknown blind metric {name!r}: use one of {', '.join(GATED)}.")
        value = summary.get(name)
        if value is None or value < floor:
            out.append(f"blind {name} = {value} < {floor}")
    return out


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v * 100:.1f} %"


def markdown(summary: dict, results: list[BlindResult], label: str) -> str:
    lines = [f"# Blind evaluation: {label}", "",
             f"Cases: {summary['cases']}; correct {_pct(summary['correct'])} "
             f"(answerable ones {_pct(summary['correct_answerable'])}); answered-when-it-should "
             f"{_pct(summary['answerable_accuracy'])}; figures {_pct(summary['figure_rate'])}; clauses "
             f"{_pct(summary['clause_rate'])}; unstated recall {_pct(summary['unstated_recall'])}; "
             f"all variants {_pct(summary['variants_correct'])}.", "",
             "## Per pattern (as written)", "", "| pattern | n | correct |", "|---|---|---|"]
    lines += [f"| {k} | {v['n']} | {_pct(v['rate'])} |" for k, v in summary["per_pattern"].items()]
    lines += ["", "## Per language (as written)", "", "| language | n | correct |", "|---|---|---|"]
    lines += [f"| {k} | {v['n']} | {_pct(v['rate'])} |" for k, v in summary["per_language"].items()]
    kinds = list(summary["per_variant"])
    lines += ["", "## Per variant kind", "", "| variant | n | correct |", "|---|---|---|"]
    lines += [f"| {k} | {summary['per_variant'][k]['n']} | {_pct(summary['per_variant'][k]['rate'])} |" for k in kinds]
    patterns = list(summary["per_pattern"])
    lines += ["", "## Variant x pattern", "", "| pattern | " + " | ".join(kinds) + " |",
              "|---" * (len(kinds) + 1) + "|"]
    for p in patterns:
        lines.append(f"| {p} | " + " | ".join(_pct(summary["per_variant_pattern"][k].get(p)) for k in kinds) + " |")
    lines += ["", "## Failures (as written)", ""]
    for r in results:
        if r.variant == "as_written" and not r.correct:
            why = []
            if r.answerable != r.expected_answerable:
                why.append(f"answerable {r.answerable} (expected {r.expected_answerable})")
            if r.figures_ok is False:
                why.append("figure missing")
            if r.clauses_ok is False:
                why.append(f"cited {', '.join(r.cited) or 'nothing'}")
            answer = r.answer.replace("\n", " ")[:160]
            lines.append(f"- `{r.id}` ({r.pattern}, {r.language}): {'; '.join(why)} — {r.question} → {answer}")
    return "\n".join(lines) + "\n"


def write_reports(out_dir: Path, summary: dict, results: list[BlindResult], label: str) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {"dataset": label, "summary": summary, "cases": [r.model_dump() for r in results]}
    paths = {"json": out_dir / "blind.json", "markdown": out_dir / "blind.md"}
    paths["json"].write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    paths["markdown"].write_text(markdown(summary, results, label), encoding="utf-8")
    return paths
