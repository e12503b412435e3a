"""The eligibility check scored in `opc eval`: hand-written founder profiles (eval/eligibility.yaml,
the met and not-met benefit sets exactly, everything else unknown) and profiles generated from the fact records.

Generated profiles follow each condition's meaning, not the checker's code: for every benefit with conditions, a
profile meeting all of them (on the boundary for ``le`` / ``ge``: "within 5 years" is met at 5) must get it
*met*, one failing exactly one condition (the others met) *not met*, and the empty profile *unknown*.
Results are reported per benefit kind; the gate wants every case right.
"""

from __future__ import annotations

import json
import typing
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from assistant.errors import InvalidDataset
from assistant.knowledge.eligibility import check
from assistant.types import FounderProfile


class ProfileCase(BaseModel):
    id: str
    profile: dict = Field(description="FounderProfile fields (years_ago: graduated that many years before today).")
    expected: dict[str, str] = Field(description="fact id -> met | not_met | unknown.")
    exact: bool = Field(False, description="Hand-written: every other benefit must be unknown.")


class EligibilityEval(BaseModel):
    cases: int
    correct: int
    per_kind: dict[str, dict[str, int]] = Field(description="kind -> {checked, correct}: one row per fact decision.")
    failures: list[dict] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.cases > 0 and self.correct == self.cases


def load_profiles(path: Path, benefits: set[str]) -> list[ProfileCase]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidDataset(f"{path}: cannot read the eligibility profiles ({exc}).") from None
    cases = []
    for entry in raw:
        expected = {**{f: "met" for f in entry.get("met") or []}, **{f: "not_met" for f in entry.get("not_met") or []}}
        unknown = set(expected) - benefits
        if unknown:
            raise InvalidDataset(f"{path}: profile {entry.get('id')!r} names unknown benefits: {', '.join(sorted(unknown))}")
        cases.append(ProfileCase(id=str(entry["id"]), profile=dict(entry.get("profile") or {}),
                                 expected={b: expected.get(b, "unknown") for b in benefits}, exact=True))
    return cases


def _field_values(field: str) -> list:
    """The values a profile field can take (for a value outside a condition's set)."""
    if field == "years_since_graduation":
        return []
    ann = FounderProfile.model_fields[field].annotation
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if bool in args:
        return [True, False]
    literal = next((a for a in args if typing.get_origin(a) is typing.Literal), None)
    return list(typing.get_args(literal)) if literal is not None else []


def _meet(cond) -> dict | None:
    """Profile values meeting ``cond`` (None when none can be written)."""
    value = cond.value
    if cond.field == "years_since_graduation":
        return {"years_ago": int(value)} if cond.op in ("le", "ge", "eq") else None
    if cond.op == "in":
        return {cond.field: value[0]} if value else None
    return {cond.field: int(value) if cond.op in ("le", "ge") else value}


def _fail(cond) -> dict | None:
    """Profile values failing ``cond`` by the smallest step."""
    if cond.op in ("le", "ge"):
        step = 1 if cond.op == "le" else -1
        if cond.field == "years_since_graduation":
            return {"years_ago": int(cond.value) + step} if int(cond.value) + step >= 0 else None
        return {cond.field: int(cond.value) + step} if int(cond.value) + step >= 1 else None
    outside = [v for v in _field_values(cond.field)
               if v != cond.value and not (isinstance(cond.value, list) and v in cond.value)]
    return {cond.field: outside[0]} if outside else None


def generated(corpus) -> list[ProfileCase]:
    cases = []
    for fact in corpus.facts:
        if not (fact.is_benefit and fact.decidable and fact.conditions):
            continue
        met: dict = {}
        for c in fact.conditions:
            met.update(_meet(c) or {})
        if len(met) != len({c.field for c in fact.conditions}):
            continue  # two conditions on one field (a range): not generated
        cases.append(ProfileCase(id=f"gen-{fact.id}-all-met", profile=met, expected={fact.id: "met"}))
        cases.append(ProfileCase(id=f"gen-{fact.id}-empty", profile={}, expected={fact.id: "unknown"}))
        for c in fact.conditions:
            failing = _fail(c)
            if failing:
                cases.append(ProfileCase(id=f"gen-{fact.id}-fails-{c.field}", profile={**met, **failing},
                                         expected={fact.id: "not_met"}))
    return cases


def run(corpus, cases: list[ProfileCase], today: date | None = None) -> EligibilityEval:
    today = today or date.today()
    kinds = {f.id: f.kind for f in corpus.facts}
    per_kind: dict[str, dict[str, int]] = {}
    failures: list[dict] = []
    correct = 0
    for case in cases:
        raw = dict(case.profile)
        if "years_ago" in raw:
            raw["graduation_year"] = today.year - raw.pop("years_ago")
        got = {b.fact_id: b.status for b in check(corpus, FounderProfile(**raw), "en", today).benefits}
        wrong = {}
        for fid, want in case.expected.items():
            row = per_kind.setdefault(kinds.get(fid, "?"), {"checked": 0, "correct": 0})
            row["checked"] += 1
            if got.get(fid) == want:
                row["correct"] += 1
            else:
                wrong[fid] = {"expected": want, "got": got.get(fid)}
        if wrong:
            failures.append({"id": case.id, "profile": case.profile, "wrong": wrong})
        else:
            correct += 1
    return EligibilityEval(cases=len(cases), correct=correct, per_kind=per_kind, failures=failures)


def write_report(out_dir: Path, result: EligibilityEval) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "eligibility.json"
    path.write_text(json.dumps(result.model_dump(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
