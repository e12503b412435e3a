"""The corpus as data: documents in folders, one ``document.yaml`` plus one ``<lang>.yaml`` each.

Language versions of a document share clause ids, so a clause is one aligned unit that
either language can answer for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml

from assistant.answering.support import SupportRules, load_support
from assistant.errors import CorpusError, NotFound
from assistant.knowledge.claims import ClaimRules, load_rules
from assistant.knowledge.fact_files import load_facts
from assistant.knowledge.facts import Fact
from assistant.knowledge.places import Gazetteer, load_gazetteer
from assistant.knowledge.provenance import ORIGINS, TRUST_LEVELS, default_trust, origin_of
from assistant.types import Clause, DocType, Document, DocumentInfo, Level
from assistant.understanding.frame import FrameRules, load_frame_rules
from assistant.understanding.questions import QuestionRules, load_question_rules
from assistant.understanding.scope import DOC_TYPES, LEVELS, level_of, type_of

LANGS = ("en", "zh")
# libyaml's safe loader when PyYAML has it: added documents make the corpus large enough for parsing to count.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
AUTHORITIES = ("plan", "background", "document")
_Rules = TypeVar("_Rules")
_Word = TypeVar("_Word", bound=str)


def _read_yaml(path: Path) -> Any:  # whatever the YAML holds: callers check its shape
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except FileNotFoundError:
        raise CorpusError(f"Corpus file missing: {path}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CorpusError(f"Corpus file {path} is not valid UTF-8 YAML: {exc}") from None


def _bilingual(value: object, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, dict) or not value:
        raise CorpusError(f"{where}: expected a mapping of language to text, got {value!r}")
    return {str(k): str(v) for k, v in value.items() if v}


def load_document(folder: Path) -> Document:
    """Read one document folder and align its language versions by clause id."""
    meta = _read_yaml(folder / "document.yaml") or {}
    return document_from(folder, meta, lambda lang: _read_yaml(folder / f"{lang}.yaml"))


def document_from(folder: Path, meta: dict[str, Any], body_of: Callable[[str], Any]) -> Document:
    """A document from its ``document.yaml`` mapping and ``body_of(lang)`` (a language's clause file as
    parsed): ingestion builds the document it is about to write (for its facts) without writing it first."""
    doc_id = meta.get("id") or folder.name
    authority = meta.get("authority", "document")
    if authority not in AUTHORITIES:
        raise CorpusError(f"{folder}/document.yaml: authority must be one of {AUTHORITIES}, not {authority!r}")
    versions = meta.get("versions") or {}
    # Added documents name their original language first; their translations may hold clauses the
    # original lacks (pairing is by numbering), so those stand alone instead of failing the load.
    primary = meta.get("primary") if meta.get("primary") in versions else order_lang(versions)
    unpaired_ok = authority == "document"
    clauses: dict[str, Clause] = {}
    order: list[str] = []
    for lang in sorted(versions, key=lambda l: (l != primary, l)):
        if lang not in LANGS:
            raise CorpusError(f"{folder}: unsupported language {lang!r} (supported: {', '.join(LANGS)})")
        body = body_of(lang) or {}
        for i, raw in enumerate(body.get("clauses") or []):
            where = f"{folder.name}/{lang}.yaml clause {i + 1}"
            if not isinstance(raw, dict) or not raw.get("id") or not str(raw.get("text", "")).strip():
                raise CorpusError(f"{where}: every clause needs an 'id' and a non-empty 'text'")
            cid = str(raw["id"])
            clause = clauses.get(cid)
            if clause is None:
                if lang != primary and not unpaired_ok:
                    raise CorpusError(f"{where}: clause {cid!r} has no counterpart in the primary language")
                clause = Clause(
                    doc_id=doc_id,
                    local_id=cid,
                    label=_bilingual(raw.get("label", cid), where),
                    title=_bilingual(raw.get("title", ""), where) if raw.get("title") else {},
                    text={},
                    page=raw.get("page"),
                )
                clauses[cid] = clause
                order.append(cid)
            elif lang in clause.text:
                raise CorpusError(f"{where}: clause id {cid!r} appears twice")
            clause.text[lang] = str(raw["text"]).strip()
            if raw.get("page") is not None:
                clause.pages[lang] = int(raw["page"])
                clause.page = clause.page if clause.page is not None else int(raw["page"])
            if raw.get("label"):
                clause.label.update(_bilingual(raw["label"], where))
            if raw.get("title"):
                clause.title.update(_bilingual(raw["title"], where))
    if not order:
        raise CorpusError(f"{folder}: the document has no clauses")
    title = _bilingual(meta.get("title", doc_id), f"{folder}/document.yaml title")
    issuer = _bilingual(meta.get("issuer") or {"en": ""}, f"{folder} issuer") if meta.get("issuer") else {}
    origin = meta.get("origin") or ("builtin" if authority != "document" else origin_of(meta))
    trust = meta.get("trust") or default_trust(authority)
    if origin not in ORIGINS or trust not in TRUST_LEVELS or (authority != "document") != (origin == "builtin"):
        raise CorpusError(f"{folder}/document.yaml: origin must be one of {ORIGINS} ('builtin' exactly for the "
                          f"built-in corpus) and trust one of {TRUST_LEVELS}")
    if meta.get("level") not in (None, *LEVELS) or meta.get("doc_type") not in (None, *DOC_TYPES):
        raise CorpusError(f"{folder}/document.yaml: level must be one of {LEVELS} and doc_type one of {DOC_TYPES}")
    return Document(
        id=doc_id,
        title=title,
        short_title=_bilingual(meta.get("short_title") or meta.get("title", doc_id), f"{folder} short_title"),
        issuer=issuer,
        authority=authority,
        effective_date=_opt_str(meta.get("effective_date")),
        valid_until=_opt_str(meta.get("valid_until")),
        official_url=meta.get("official_url"),
        versions=versions,
        clauses=[clauses[c] for c in order],
        doc_number=_opt_str(meta.get("doc_number")),
        date_signed=_opt_str(meta.get("date_signed")),
        jurisdiction=_opt_str(meta.get("jurisdiction")),
        jurisdiction_en=_opt_str(meta.get("jurisdiction_en")),
        attachments=[a for a in meta.get("attachments") or [] if isinstance(a, dict) and a.get("url")],
        level=_one_of(meta.get("level") or level_of(_opt_str(meta.get("jurisdiction")), issuer), get_args(Level)),
        doc_type=_one_of(meta.get("doc_type") or type_of(title), get_args(DocType)) or "notice",
        origin=origin,
        trust=trust,
        conflicts_with=[str(d) for d in meta.get("conflicts_with") or []],
        flagged=[str(c) for c in meta.get("flagged_clauses") or []],
    )


def _one_of(value: object, allowed: tuple[_Word, ...]) -> _Word | None:
    """``value`` as one of a Literal's ``allowed`` words (checked above, or by government.yaml's loader)."""
    return next((a for a in allowed if a == value), None)


def _opt_str(value: object) -> str | None:
    # YAML reads 2026-03-01 as a date: every date here is kept as ISO text.
    return str(value) if value not in (None, "") else None


def order_lang(versions: Iterable[str]) -> str:
    """The primary language of a document: English when present (clauses are defined there first)."""
    return "en" if "en" in versions else sorted(versions)[0]


@dataclass
class Corpus:
    """Every document the assistant answers from, plus the bilingual glossary."""

    documents: list[Document]
    glossary: list[dict[str, list[str]]]
    digest: str
    out_of_scope: list[str] = field(default_factory=list)
    claims: ClaimRules | None = None  # from claims.yaml: subjects and attributes of figures
    places: Gazetteer | None = None  # built with places.yaml: jurisdiction checks
    facts: list[Fact] = field(default_factory=list)  # verified records (assistant/knowledge/facts.py)
    fact_problems: list[str] = field(default_factory=list)  # records dropped because they did not verify
    questions: QuestionRules | None = None  # from questions.yaml: what a question asks for
    support: SupportRules | None = None  # from support.yaml: what an answer's statement needs a source for
    frame: FrameRules | None = None  # from frame.yaml: asks, background and instructions of a message
    held: list[Document] = field(default_factory=list)  # quarantined: listed, never indexed nor answered from

    def __post_init__(self) -> None:
        self._clauses = {c.id: c for d in self.documents for c in d.clauses}
        self._docs = {d.id: d for d in self.documents}

    def find(self, doc_id: str) -> Document:
        """A document answered from or held in quarantine (for the operator's actions); NotFound otherwise."""
        held = next((d for d in self.held if d.id == doc_id), None)
        return held if held is not None else self.document(doc_id)

    @property
    def every_document(self) -> list[Document]:
        return [*self.documents, *self.held]

    @property
    def clauses(self) -> list[Clause]:
        return list(self._clauses.values())

    def clause(self, clause_id: str) -> Clause:
        try:
            return self._clauses[clause_id]
        except KeyError:
            raise NotFound(f"No clause with id {clause_id!r}.") from None

    def document(self, doc_id: str) -> Document:
        try:
            return self._docs[doc_id]
        except KeyError:
            raise NotFound(f"No document with id {doc_id!r}.") from None

    def infos(self, today: str | None = None) -> list[DocumentInfo]:
        """Documents as listed to users; ``today`` (ISO, default the system date) decides their status."""
        today = today or date.today().isoformat()
        return [
            DocumentInfo(
                id=d.id,
                title=d.title,
                issuer=d.issuer,
                authority=d.authority,
                languages=d.languages,
                clauses=len(d.clauses),
                effective_date=d.effective_date,
                valid_until=d.valid_until,
                official_url=d.official_url,
                doc_number=d.doc_number,
                date_signed=d.date_signed,
                jurisdiction=d.jurisdiction,
                jurisdiction_en=d.jurisdiction_en,
                status=d.status(today),
                level=d.level,
                doc_type=d.doc_type,
                attachments=d.attachments,
                sources={lang: str(v.get("source_url") or v.get("file") or "") for lang, v in d.versions.items()
                         if d.authority == "document" and isinstance(v, dict)},
                origin=d.origin,
                trust=d.trust,
                conflicts_with=d.conflicts_with,
                flagged_clauses=d.flagged,
            )
            for d in self.every_document
        ]


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


_FolderKey = tuple[tuple[str, int, int, int], ...]  # (name, inode, size, mtime) of each YAML file
_PARSED: dict[Path, tuple[_FolderKey, Document]] = {}


def _cached_document(folder: Path, fresh: dict[Path, tuple[_FolderKey, Document]]) -> Document:
    """A folder parsed before and unchanged since (same files, sizes, times, inodes) is not parsed again:
    a library of thousands of documents reloads in the time it takes to list them."""
    key = tuple((p.name, st.st_ino, st.st_size, st.st_mtime_ns)
                for p in sorted(folder.glob("*.yaml")) for st in [p.stat()])
    hit = _PARSED.get(folder)
    doc = hit[1] if hit is not None and hit[0] == key else load_document(folder)
    fresh[folder] = (key, doc)
    return doc


def _optional(path: Path, loader: Callable[[Path], _Rules], files: list[Path]) -> _Rules | None:
    """A root's optional data file (claims, places, questions) loaded and hashed, or None when absent."""
    if not path.is_file():
        return None
    files.append(path)
    return loader(path)


def load_corpus(*roots: Path, only: set[str] | None = None) -> Corpus:
    """Load every document folder under ``roots`` (missing roots are skipped) and the glossary.
    ``only``: the added documents to keep (those an index version holds); built-in ones are always kept."""
    fresh: dict[Path, tuple[_FolderKey, Document]] = {}
    documents: list[Document] = []
    held: list[Document] = []
    files: list[Path] = []
    glossary: list[dict[str, list[str]]] = []
    out_of_scope: list[str] = []
    claims: ClaimRules | None = None
    places: Gazetteer | None = None
    questions: QuestionRules | None = None
    support: SupportRules | None = None
    frame: FrameRules | None = None
    fact_files: list[tuple[Document, Path]] = []
    for root in roots:
        root = Path(root)
        if not root.is_dir():
            continue
        # Hidden folders are changes being staged or rolled back (assistant/ingest/store.py), not documents.
        for folder in sorted(p for p in root.iterdir() if (p / "document.yaml").is_file() and p.name[0] != "."):
            doc = _cached_document(folder, fresh)
            if doc.trust == "quarantined":  # never indexed, never answered from: listed for the operator
                held.append(doc)
                continue
            if only is not None and doc.authority == "document" and doc.id not in only:
                continue
            documents.append(doc)
            if doc.authority != "document":  # added documents are hashed by the index, one by one
                files.extend(sorted(folder.glob("*.yaml")))
            if (folder / "facts.yaml").is_file():  # the plan's reviewed records, or an added document's extracted
                fact_files.append((doc, folder / "facts.yaml"))
        gpath = root / "glossary.yaml"
        if gpath.is_file():
            files.append(gpath)
            for entry in _read_yaml(gpath) or []:
                glossary.append({lang: [str(t).lower() for t in entry.get(lang, [])] for lang in LANGS})
        claims = _optional(root / "claims.yaml", load_rules, files) or claims
        places = _optional(root / "places.yaml", load_gazetteer, files) or places
        questions = _optional(root / "questions.yaml", load_question_rules, files) or questions
        support = _optional(root / "support.yaml", load_support, files) or support
        frame = _optional(root / "frame.yaml", load_frame_rules, files) or frame
        spath = root / "out_of_scope.yaml"
        if spath.is_file():
            files.append(spath)
            for topic in (_read_yaml(spath) or {}).values():
                out_of_scope.extend(str(t).lower() for lang in LANGS for t in (topic or {}).get(lang, []))
    _PARSED.clear()
    _PARSED.update(fresh)  # only folders that still exist stay cached
    # The plan's own text first: it outranks news background and added documents in listings.
    documents.sort(key=lambda d: AUTHORITIES.index(d.authority))
    if not documents:
        raise CorpusError(f"No documents found under {', '.join(map(str, roots))}.")
    seen: set[str] = set()
    for d in documents + held:
        if d.id in seen:
            raise CorpusError(f"Two documents share the id {d.id!r}.")
        seen.add(d.id)
    with_facts = {doc.id for doc, _ in fact_files}
    added = [d for d in documents if d.authority == "document" and d.id not in with_facts]
    facts, fact_problems = load_facts(fact_files, claims, added)
    return Corpus(documents=documents, glossary=glossary, digest=_digest(files), out_of_scope=out_of_scope,
                  claims=claims, places=places, facts=facts, fact_problems=fact_problems, questions=questions,
                  support=support, frame=frame, held=held)
