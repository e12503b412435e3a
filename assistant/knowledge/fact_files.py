"""Fact files: reading a document's ``facts.yaml`` and loading every document's verified records.

The plan's records are reviewed data; an added document's were extracted when it was added (provenance says
how) and are verified again here like the plan's. Documents added by older code have no file: theirs are
extracted by rule at load.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.errors import CorpusError
from assistant.knowledge.claims import ClaimRules
from assistant.knowledge.facts import Fact, FactFile, verify
from assistant.knowledge.facts_by_rule import extract_facts
from assistant.types import Document

log = logging.getLogger(__name__)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # added documents' facts files are many


def read_facts(path: Path, doc: Document) -> list[Fact]:
    """Parse and validate one facts.yaml (CorpusError naming the file and field when it is malformed)."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {"facts": []}
        facts = FactFile.model_validate(raw).facts
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read the facts file ({exc}).") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CorpusError(f"{path}: {where}: {first['msg']}") from None
    clause_ids = {c.local_id for c in doc.clauses}
    for f in facts:
        if f.clause not in clause_ids:
            raise CorpusError(f"{path}: fact {f.id!r} names clause {f.clause!r}, which {doc.id} does not have.")
        f.doc_id = doc.id
    return facts


def load_facts(documents: Iterable[tuple[Document, Path]], rules: ClaimRules | None,
               added: Iterable[Document] = ()) -> tuple[list[Fact], list[str]]:
    """The facts of every document folder that has a facts.yaml (``documents``: (doc, path) pairs), and those
    extracted by rule from ``added`` documents without one (written by older code): (verified facts,
    problems of dropped ones).

    Every record is verified against its clause at load, the plan's reviewed ones and those an added document's
    ingestion wrote alike (cheap: the claim binder's results are cached per text); one that does not match is
    left out (never answered from) and reported. An added document's unreadable facts file costs that file,
    not the load: its facts are extracted by rule instead.
    """
    facts: list[Fact] = []
    problems: list[str] = []
    for doc in added:
        kept, dropped = extract_facts(doc, rules)
        facts += [_inherit(f, doc) for f in kept]
        problems += dropped
    fresh: dict[Path, _Verdict] = {}
    for doc, path in documents:
        st = path.stat()
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        hit = _VERIFIED.get(path)
        # the same file, document and rules as at the last load: the same verdict (a library reloads in the
        # time it takes to list it)
        if hit is not None and hit[0] == key and hit[1] is doc and hit[2] is rules:
            fresh[path] = hit
            facts += hit[3]
            problems += hit[4]
            continue
        before_f, before_p = len(facts), len(problems)
        _load_file(doc, path, rules, facts, problems)
        fresh[path] = (key, doc, rules, facts[before_f:], problems[before_p:])
    _VERIFIED.clear()
    _VERIFIED.update(fresh)
    return facts, problems


# (inode, size, mtime) of the file, the document and rules it was verified with, its facts and problems
_Verdict = tuple[tuple[int, int, int], Document, ClaimRules | None, list[Fact], list[str]]
_VERIFIED: dict[Path, _Verdict] = {}


def _load_file(doc: Document, path: Path, rules: ClaimRules | None, facts: list[Fact], problems: list[str]) -> None:
    """Append the verified records of one facts file (and why the others were dropped)."""
    try:
        records = read_facts(path, doc)
    except CorpusError as exc:
        if doc.authority != "document":
            raise
        problems.append(f"{doc.id}: {exc} — its facts were extracted by rule instead")
        kept, dropped = extract_facts(doc, rules)
        facts += [_inherit(f, doc) for f in kept]
        problems += dropped
        return
    for fact in records:
        clause = next(c for c in doc.clauses if c.local_id == fact.clause)
        found = verify(fact, clause, rules)
        if found:
            problems.extend(f"{doc.id}: {p}" for p in found)
            log.warning("fact %s of %s dropped: %s", fact.id, doc.id, "; ".join(found))
        else:
            facts.append(_inherit(fact, doc))


def facts_yaml(facts: list[Fact]) -> str:
    """An added document's facts.yaml: the reviewed records' schema plus provenance, without what the load
    fills in from document.yaml (issuer, jurisdiction, dates)."""
    rows = [f.model_dump(mode="json", exclude_defaults=True, exclude_none=True) for f in facts]
    for row in rows:
        row["reviewed"] = False  # the default is True (reviewed data): say it in the file
    return yaml.safe_dump({"facts": rows}, allow_unicode=True, sort_keys=False, width=120)


def _inherit(fact: Fact, doc: Document) -> Fact:
    fact.issuer = fact.issuer or dict(doc.issuer)
    fact.jurisdiction = fact.jurisdiction or doc.jurisdiction
    fact.effective = fact.effective or doc.effective_date
    fact.expires = fact.expires or doc.valid_until
    return fact


