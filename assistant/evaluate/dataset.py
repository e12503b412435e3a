"""The golden set: YAML cases, validated with pydantic so a bad file fails before anything runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.errors import InvalidDataset
from assistant.types import Language

DEFAULT_DATASET = Path(__file__).resolve().parent.parent.parent / "eval" / "golden.yaml"


class GoldenCase(BaseModel):
    """One evaluation question and what a correct answer must show."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="Unique case id.")
    question: str = Field(min_length=1, description="The question as a founder would ask it.")
    language: Language = Field(description="Language and script the answer must be in.")
    category: str = Field(min_length=1, description="figure, list, refusal, followup, traditional, ...")
    answerable: bool = Field(description="False when the plan does not answer it and the assistant must decline.")
    expected_clauses: list[str] = Field(default_factory=list, description="Clause ids any of which may be cited.")
    expected_figures: list[str] = Field(
        default_factory=list, description="Figures the answer must state, as the plan writes them (normalised).")
    pair: str | None = Field(None, description="Cases sharing a pair ask the same thing in another language.")
    turns: list[str] = Field(default_factory=list, description="Earlier questions of the conversation, in order.")
    note: str | None = Field(None, description="Why the expectation is what it is.")
    forbidden_text: list[str] = Field(
        default_factory=list, description="Text no cited clause may hold (page furniture of the source page).")

    @model_validator(mode="after")
    def _consistent(self) -> GoldenCase:
        if not self.answerable and (self.expected_figures or self.expected_clauses):
            raise ValueError("a case that must be refused cannot expect figures or clauses")
        bad = [c for c in self.expected_clauses if ":" not in c]
        if bad:
            raise ValueError(f"clause ids must look like '<document>:<clause>': {bad}")
        return self

    @property
    def reference_figures(self) -> str:
        """The expected figures as one reference string, one per line (what the ragas metrics read)."""
        return "\n".join(self.expected_figures)


def parse_cases(raw: object, source: str = "dataset") -> list[GoldenCase]:
    """Validate already-loaded YAML data (a list of mappings) into cases with unique ids."""
    if not isinstance(raw, list) or not raw:
        raise InvalidDataset(f"{source}: expected a non-empty YAML list of cases.")
    cases: list[GoldenCase] = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise InvalidDataset(f"{source}: case {i} is not a mapping.")
        # YAML reads bare numbers (expected_figures: [10]) as int: figures are text here.
        item = {**item, "expected_figures": [str(f) for f in item.get("expected_figures") or []]}
        try:
            cases.append(GoldenCase.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "case"
            raise InvalidDataset(f"{source}: case {i} ({item.get('id', '?')}): {where}: {first['msg']}") from None
    seen: set[str] = set()
    for c in cases:
        if c.id in seen:
            raise InvalidDataset(f"{source}: case id {c.id!r} appears more than once.")
        seen.add(c.id)
    return cases


class SuiteDocument(BaseModel):
    """A document the suite adds to the corpus before its cases run (``opc corpus add`` options)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(min_length=1, description="Path of the file, relative to the dataset.")
    lang: Language | None = Field(None, description="Its language (detected when omitted).")
    translation_of: str | None = Field(None, description="Add it as this document's other language version.")
    title: str | None = Field(None, description="Title to use instead of the one found.")


class Suite(BaseModel):
    """A dataset of its own: the day it is evaluated on, the documents it adds, and its cases."""

    model_config = ConfigDict(extra="forbid")

    today: date | None = Field(None, description="The answers' day (OPC_TODAY) for in-force notes.")
    home_jurisdiction: str | None = Field(
        None, description="The deployment's home (OPC_HOME_JURISDICTION) the suite's documents are answered as.")
    documents: list[SuiteDocument] = Field(default_factory=list)
    cases: list[GoldenCase]
    folder: Path = Field(Path("."), description="Where the documents' paths start.")

    def add_documents(self, bot) -> list[str]:
        """Add the suite's documents not yet in the corpus (a rerun reuses them); returns the ids added."""
        added = []
        for d in self.documents:
            path = self.folder / d.file
            if not path.is_file():
                raise InvalidDataset(f"The dataset's document {path} does not exist.")
            existing = {doc.id: doc for doc in bot.corpus.documents}
            target = d.translation_of or Path(d.file).stem
            if target in existing and (d.translation_of is None or d.lang in existing[target].versions):
                continue
            added.append(bot.add_document(path, lang=d.lang, title=d.title, translation_of=d.translation_of).id)
        return added


def load_suite(path: Path | str | None = None) -> Suite:
    """A dataset file: a list of cases (the golden set), or a mapping with ``today``, ``documents`` and
    ``cases`` (a suite that brings its own documents, e.g. eval/documents.yaml)."""
    path = Path(path) if path else DEFAULT_DATASET
    raw = _read(path)
    if isinstance(raw, dict):
        cases = parse_cases(raw.get("cases"), str(path))
        try:
            return Suite(today=raw.get("today"), home_jurisdiction=raw.get("home_jurisdiction"), documents=raw.get("documents") or [], cases=cases,
                         folder=path.parent)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InvalidDataset(f"{path}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    return Suite(cases=parse_cases(raw, str(path)), folder=path.parent)


def load_dataset(path: Path | str | None = None) -> list[GoldenCase]:
    """Read and validate a golden YAML file (default: eval/golden.yaml); a suite's cases."""
    return load_suite(path).cases


def _read(path: Path):
    path = Path(path) if path else DEFAULT_DATASET
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidDataset(f"No dataset at {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidDataset(f"Cannot read the dataset {path}: {exc}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidDataset(f"{path} is not valid YAML: {exc}") from None
    return raw


def check_clause_ids(cases: list[GoldenCase], known: set[str]) -> None:
    """Every expected clause must exist in the corpus being evaluated (a typo would score as a miss)."""
    unknown = sorted({c for case in cases for c in case.expected_clauses} - known)
    if unknown:
        raise InvalidDataset("The dataset expects clauses the corpus does not have: " + ", ".join(unknown))

