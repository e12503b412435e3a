"""Adding and removing documents end to end: source → clauses → document folder → new corpus and index.

The folder change is staged and the index is built beside the one in use; only when both succeed is
anything kept, and the new corpus and index are *returned* (``Update``): the service swaps them in.
Any failure rolls the folder back, leaves ``CURRENT`` naming the previous index, and the running
assistant keeps answering from the corpus it had. Nothing here knows the service.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.errors import (
    IndexUnavailable,
    IngestError,
    NotFound,
    OPCError,
    ProtectedDocument,
    StorageFull,
)
from assistant.ingest import facts as ingest_facts
from assistant.ingest import store
from assistant.ingest.align import align_ids
from assistant.ingest.extract import Extracted
from assistant.ingest.govdoc import DocMeta, closing_clause
from assistant.ingest.limits import ParseLimits
from assistant.ingest.netguard import FetchPolicy
from assistant.ingest.sources import Follow, Source, detect_doc_lang, government_fields, read_document, read_source
from assistant.ingest.structure import RawClause, find_clauses
from assistant.knowledge import provenance
from assistant.knowledge.corpus import LANGS, Corpus, load_corpus
from assistant.library.index import SearchIndex, current_build
from assistant.settings import Settings
from assistant.store.storage import STORAGE_FULL, is_storage_error
from assistant.types import DocumentInfo

log = logging.getLogger(__name__)


def local_id(key: str) -> str:
    """Clause id from its numbering key: "0" → "preamble", "2.4" → "s2-4", "art5" → "art5", "3#2" → "s3-p2"."""
    number, _, part = key.partition("#")
    base = "preamble" if number == "0" else number if number.startswith("art") else "s" + number.replace(".", "-")
    return f"{base}-p{part}" if part else base


_CLOSING_TITLE = {"zh": "施行日期和有效期", "en": "Effective date and validity"}


def _clause_rows(clauses: list[RawClause], ids: list[str], lang: str) -> list[dict]:
    rows = []
    for c, cid in zip(clauses, ids):
        row: dict[str, object] = {"id": cid, "key": c.key, "label": {lang: c.label}}
        title = c.title or (_CLOSING_TITLE[lang] if closing_clause(c.text) else "")
        if title:  # an untitled closing article is found by what it is about ("从哪天开始施行")
            row["title"] = {lang: title}
        row["text"] = c.text
        if c.page is not None:
            row["page"] = c.page
        rows.append(row)
    return rows


def _unique(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for cid in ids:
        new, n = cid, 2
        while new in seen:
            new, n = f"{cid}-{n}", n + 1
        seen.add(new)
        out.append(new)
    return out


def _short(title: str) -> str:
    """The title quotes are introduced with: without the years and periods titles carry ("（2026—2027年）",
    "2026年"), since every figure an answer states must be in the clause it cites."""
    title = re.sub(r"\s*[（(][^（）()]*\d[^（）()]*[）)]", "", title)
    title = re.sub(r"(?<!\d)\d{4}\s*(年度|年)?(?!\d)", "", title).strip() or title
    title = re.sub(r"\s{2,}", " ", title)
    return title if len(title) <= 40 else title[:39].rstrip() + "…"


def _version(src: Source, extracted: Extracted, lang: str, clauses: int, fname: str, hashes: dict) -> dict:
    return {"source": src.url or src.filename, "source_url": src.url, "file": fname, "format": extracted.format,
            "pages": extracted.pages, "clauses": clauses, "translation": False,
            "added_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **hashes}


@dataclass
class Prepared:
    """A document version ready to be written: its folder's new metadata and clause rows."""

    doc_id: str
    lang: str
    meta: dict
    rows: list[dict]
    original: bytes
    filename: str
    warnings: list[str]


def prepare(source: Source, extracted: Extracted, docmeta: DocMeta, root: Path, corpus, *, lang: str | None,
            title: str | None, translation_of: str | None, known: dict | None = None,
            taken: set[str] | None = None) -> Prepared:
    """Structure a read document; refuse duplicates and impossible pairings. Writes nothing. ``known`` /
    ``taken``: content hashes and ids in use, when a batch adds several documents before the corpus is
    reloaded (default: the corpus's)."""
    text = extracted.text
    lang = lang or detect_doc_lang(text)
    if lang not in LANGS:
        raise IngestError(f"Unsupported language {lang!r}: use one of {', '.join(LANGS)}.")
    hashes = {"sha256": hashlib.sha256(source.data).hexdigest(),
              "text_sha256": hashlib.sha256(re.sub(r"\s+", "", text).encode()).hexdigest()}
    store.check_duplicate(store.known_hashes(corpus) if known is None else known, hashes)
    doc_title = (title or docmeta.title or extracted.title or Path(source.filename).stem).strip()
    clauses = find_clauses(extracted.blocks, lang, title=docmeta.title or extracted.title)
    if not clauses:
        raise IngestError(f"{source.filename} has no clause text after its headings.")
    fname = store.original_name(lang, source.filename, extracted.format)
    warnings = list(extracted.warnings)
    if translation_of is None:
        taken = {d.id for d in corpus.every_document} if taken is None else taken
        doc_id = store.unique_id(root, store.slug(title or Path(source.filename).stem), taken)
        ids = _unique([local_id(c.key) for c in clauses])
        meta = {"id": doc_id, "title": {lang: doc_title}, "short_title": {lang: _short(doc_title)},
                "authority": "document", "primary": lang, "official_url": source.url,
                **government_fields(docmeta, lang),
                "versions": {lang: _version(source, extracted, lang, len(clauses), fname, hashes)}}
        rows = _clause_rows(clauses, ids, lang)
        provenance.vet(meta, rows, corpus, lang, warnings)
        return Prepared(doc_id, lang, meta, rows, source.data, fname, warnings)

    doc = corpus.document(translation_of)  # NotFound for an unknown id
    if doc.authority != "document" or not (root / doc.id).is_dir():
        raise ProtectedDocument(f"{doc.id!r} is a built-in document; translations can only be added to "
                                "documents added with `opc corpus add`.")
    if lang in doc.versions:
        raise IngestError(f"{doc.id!r} already has a {lang} version. Give --lang for the translation's "
                          "language, or remove the document and add both again.")
    meta = store.read_meta(root / doc.id)
    primary = meta.get("primary") or next(iter(doc.versions))
    original_rows = (yaml.safe_load((root / doc.id / f"{primary}.yaml").read_text(encoding="utf-8"))
                     or {}).get("clauses") or []
    keyed = {str(r["key"]): str(r["id"]) for r in original_rows if r.get("key") is not None}
    paired = align_ids(keyed, clauses)
    ids = _unique([cid or f"{lang}-{local_id(c.key)}" for cid, c in zip(paired, clauses)])
    unpaired = sum(cid is None for cid in paired)
    if unpaired:
        warnings.append(f"{unpaired} of {len(clauses)} clauses of the {lang} version have no counterpart with the "
                        "same number in the original; they answer on their own.")
    for key, value in government_fields(docmeta, lang).items():  # the original's metadata wins; the translation adds
        meta[key] = {**value, **(meta.get(key) or {})} if isinstance(value, dict) else meta.get(key) or value
    meta["title"] = {**(meta.get("title") or {}), lang: doc_title}
    meta["short_title"] = {**(meta.get("short_title") or {}), lang: _short(doc_title)}
    version = _version(source, extracted, lang, len(clauses), fname, hashes)
    version["translation_of"] = primary
    meta["versions"] = {**(meta.get("versions") or {}), lang: version}
    rows = _clause_rows(clauses, ids, lang)
    provenance.vet(meta, rows, corpus, lang, warnings, translation=True)
    return Prepared(doc.id, lang, meta, rows, source.data, fname, warnings)


def set_trust(settings: Settings, corpus: Corpus, index: SearchIndex, embedder, doc_id: str, trust: str,
              install: Callable[[Update], None] | None = None) -> Update:
    """An admin's decision on an added document: 'reviewed' confirms it (a quarantined one is then indexed and
    answers), 'unreviewed' keeps it answerable unvouched, 'quarantined' takes it out of answers."""
    if trust not in provenance.TRUST_LEVELS:
        raise IngestError(f"Unknown trust level {trust!r}: use one of {', '.join(provenance.TRUST_LEVELS)}.")
    with writing(settings.data_dir) as root:
        corpus = current_corpus(settings, corpus, index)
        doc = corpus.find(doc_id)  # NotFound for an unknown id
        if doc.authority != "document" or not (root / doc_id / "document.yaml").is_file():
            raise ProtectedDocument(f"{doc_id!r} is a built-in document: it is reviewed with the code, not here.")
        meta = store.read_meta(root / doc_id)
        meta["trust"] = trust
        update = _reindex(settings, index, embedder, store.rewrite_meta(root, doc_id, meta))
        if install is not None:
            install(update)
    update.info = next(i for i in update.corpus.infos(settings.today_iso()) if i.id == doc_id)
    return update


@dataclass
class Update:
    """The corpus and index after a change, for the service to swap in."""

    corpus: Corpus
    index: SearchIndex
    info: DocumentInfo | None = None


def _reindex(settings: Settings, index: SearchIndex, embedder, change: store.Change) -> Update:
    """Load the changed corpus and build its index beside the current one; undo the folder change on failure."""
    try:
        corpus = load_corpus(settings.corpus_dir, store.documents_root(settings.data_dir))
        new_index = SearchIndex.open_or_build(settings, corpus, embedder, reuse=index)
    except BaseException:
        change.rollback()
        raise
    try:
        change.commit()  # recorded in the database; rolled back if that fails
    except BaseException:
        # The index already names the change: bring it back to the folders as they are again.
        SearchIndex.open_or_build(settings, load_corpus(settings.corpus_dir, store.documents_root(settings.data_dir)),
                                  embedder, reuse=new_index)
        raise
    new_index.notice = None
    return Update(corpus, new_index)


def current_corpus(settings: Settings, corpus: Corpus, index: SearchIndex) -> Corpus:
    """``corpus``, or the documents as they are now when another writer (thread or process) changed them since
    it was read: duplicates and ids are checked against what is there, not what was. Call under the lock."""
    if current_build(settings) == index.version:
        return corpus
    return load_corpus(settings.corpus_dir, store.documents_root(settings.data_dir))


@contextmanager
def writing(data_dir: Path):
    """One writer at a time for the documents and their index; storage failures become a clear 507 and
    index failures a message without server paths (the details go to the log)."""
    root = store.documents_root(data_dir)
    try:
        with store.locked(root):
            yield root
    except (IngestError, NotFound, StorageFull):
        raise
    except Exception as exc:
        if is_storage_error(exc):
            log.warning("document change refused, storage: %s", exc)
            raise StorageFull(STORAGE_FULL) from None
        if isinstance(exc, (IndexUnavailable, OSError)):
            log.error("document change failed: %s", exc)
            raise IndexUnavailable("The search index could not be updated; nothing was changed. "
                                   "Please try again later.") from None
        raise


def add_document(settings: Settings, corpus: Corpus, index: SearchIndex, embedder,
                 source: str | Path | bytes, *, lang: str | None = None, title: str | None = None,
                 translation_of: str | None = None, filename: str | None = None,
                 policy: FetchPolicy | None = None, install: Callable[[Update], None] | None = None) -> Update:
    """Add a document; returns the new corpus and index (with the new document's info). Nothing is swapped
    in here: ``install`` (the caller's) is called with them while the writer lock is still held, so two
    writers can never install their versions out of order."""
    limit = int(settings.max_document_mb * 1_000_000)
    src = read_source(source, max_bytes=limit, timeout=settings.fetch_timeout, filename=filename, policy=policy)
    follow = Follow(limit, settings.fetch_timeout, policy) if settings.follow_attachments else None
    # Untrusted bytes are parsed in a killable worker process with memory, time, size and depth limits,
    # before taking the writer lock: a slow document never holds up other documents' writes.
    extracted, docmeta = read_document(src, ParseLimits.from_settings(settings), follow=follow)
    model = ingest_facts.chat_model(settings)
    early = _read_facts_early(settings, corpus, src, extracted, docmeta, model, lang, title, translation_of)
    with writing(settings.data_dir) as root:
        corpus = current_corpus(settings, corpus, index)
        prepared = prepare(src, extracted, docmeta, root, corpus, lang=lang, title=title,
                           translation_of=translation_of)
        # its facts, extracted now and stored beside it: the load only verifies them
        if early is not None and (early[0].doc_id, early[0].rows, early[0].meta.get("versions", {}).keys()) == \
                (prepared.doc_id, prepared.rows, prepared.meta.get("versions", {}).keys()):
            files, reading = early[1]
        else:  # another writer changed the folder meanwhile (rare): read again
            files, reading = ingest_facts.extract(prepared, root, corpus.claims, settings, model)
        change = store.write_version(root, prepared.doc_id, prepared.meta, prepared.lang, prepared.rows,
                                     prepared.original, prepared.filename, files=files)
        update = _reindex(settings, index, embedder, change)
        if install is not None:
            install(update)
    update.info = next(i for i in update.corpus.infos(settings.today_iso()) if i.id == prepared.doc_id)
    # Facts of the new document that did not verify against its text: kept out, said so.
    update.info.warnings = prepared.warnings + reading.warnings + [
        p for p in update.corpus.fact_problems if p.startswith(f"{prepared.doc_id}: ")]
    return update


def _read_facts_early(settings: Settings, corpus: Corpus, src: Source, extracted: Extracted, docmeta: DocMeta, model,
                      lang, title, translation_of):
    """With a model, the facts are read before the writer lock (a slow endpoint never holds up other writers):
    (prepared, (files, reading)), or None (no model, or the add will fail its checks under the lock anyway)."""
    if model is None:
        return None
    root = store.documents_root(settings.data_dir)
    try:
        prepared = prepare(src, extracted, docmeta, root, corpus, lang=lang, title=title,
                           translation_of=translation_of)
    except (OPCError, OSError, yaml.YAMLError):  # unlocked: a folder mid-change is read again under the lock
        return None
    return prepared, ingest_facts.extract(prepared, root, corpus.claims, settings, model)


def remove_document(settings: Settings, corpus: Corpus, index: SearchIndex, embedder, doc_id: str,
                    install: Callable[[Update], None] | None = None) -> Update:
    with writing(settings.data_dir) as root:
        corpus = current_corpus(settings, corpus, index)
        doc = corpus.find(doc_id)  # NotFound for an unknown id; a quarantined one is rejected by removing it
        if doc.authority != "document" or not (root / doc_id / "document.yaml").is_file():
            raise ProtectedDocument(f"{doc_id!r} is a built-in document and cannot be removed.")
        if len(corpus.documents) == 1:
            raise IngestError("The last document cannot be removed.")
        update = _reindex(settings, index, embedder, store.remove_folder(root, doc_id))
        if install is not None:
            install(update)
        return update
