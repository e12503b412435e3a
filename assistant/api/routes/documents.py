"""The corpus as founders may browse it: documents and single clauses."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field

from assistant.api.deps import Admin, Bot
from assistant.api.lang import pick
from assistant.errors import IngestError, StorageFull
from assistant.ingest.store import slug
from assistant.knowledge.provenance import ConflictReport
from assistant.store.storage import STORAGE_FULL, is_storage_error
from assistant.types import Citation, DocumentInfo, Job

router = APIRouter(tags=["documents"])


class InvalidDocumentRequest(IngestError):
    code = "invalid_document_request"


class InvalidFileName(InvalidDocumentRequest):
    code = "invalid_file_name"


# Control characters (NUL included) in an uploaded file's name: the name is shown back in job reports and
# logs, and a NUL cannot be part of any path, so such a name is refused before anything is saved.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_file_names(request: Request, uploads: list[UploadFile]) -> None:
    for n, upload in enumerate(uploads, 1):
        name = upload.filename or ""
        if _CONTROL.search(name) or len(name) > 1000:
            shown = _CONTROL.sub("?", name)[:80]
            raise InvalidFileName(pick(
                request.headers.get("accept-language"),
                en=f"File {n} has an unusable name ({shown!r}): names may not contain control characters such as "
                   "NUL or line breaks, nor exceed 1000 characters. Rename the file and send it again.",
                zh=f"第 {n} 个文件的文件名不可用（{shown!r}）：文件名不能包含 NUL、换行等控制字符，也不能超过 1000 个字符。"
                   "请改名后重新上传。",
                zh_Hant=f"第 {n} 個檔案的檔名不可用（{shown!r}）：檔名不能包含 NUL、換行等控制字元，也不能超過 1000 個字元。"
                        "請改名後重新上傳。"))


@router.get("/documents", response_model=list[DocumentInfo], summary="Documents the assistant answers from")
def list_documents(bot: Bot) -> list[DocumentInfo]:
    return bot.documents()


@router.get("/clauses/{clause_id}", response_model=Citation, summary="One clause, with its parallel text",
            responses={404: {"description": "No such clause"}})
def get_clause(clause_id: str, bot: Bot,
               lang: Literal["en", "zh", "zh-Hant"] = Query("en", description="Language of `text`.")) -> Citation:
    return bot.clause(clause_id, lang)


@router.post("/documents", response_model=DocumentInfo, status_code=201, summary="Add a policy document",
             responses={403: {"description": "The key lacks the admin scope"},
                        409: {"description": "Already in the corpus"}, 413: {"description": "Over the size limit"},
                        415: {"description": "Unsupported file type"}})
async def add_document(
    request: Request,
    bot: Bot,
    _admin: Admin,
    file: UploadFile | None = File(None, description="A PDF, DOCX, HTML, Markdown or text file."),
    url: str | None = Form(None, description="Or an http(s) URL to fetch the document from."),
    lang: Literal["zh", "en"] | None = Form(None, description="Language (default: detected)."),
    title: str | None = Form(None, max_length=300, description="Title (default: from the document)."),
    translation_of: str | None = Form(None, max_length=128,
                                      description="Id of an added document this one translates."),
) -> DocumentInfo:
    """Needs a key with the admin scope. Only uploads and http(s) URLs are accepted: a server path is
    never read on a caller's behalf."""
    if (file is None) == (url is None):
        raise InvalidDocumentRequest("Send either a file (multipart field 'file') or a 'url', not both or neither.")
    # Queued with bounded concurrency (see WorkQueue): answering keeps its threads while documents parse.
    queue = request.app.state.documents_queue
    if file is not None:
        check_file_names(request, [file])
        data = await file.read()
        return await queue.run(bot.add_document, data, lang=lang, title=title, translation_of=translation_of,
                               filename=file.filename or "upload")
    if urlsplit(url).scheme not in ("http", "https"):
        raise InvalidDocumentRequest("The url must start with http:// or https://.")
    return await queue.run(bot.add_document, url, lang=lang, title=title, translation_of=translation_of)


@router.post("/documents/batch", response_model=Job, status_code=202, summary="Add many documents in the background",
             responses={400: {"description": "No files or URLs, or too many"},
                        403: {"description": "The key lacks the admin scope"}})
async def add_batch(
    request: Request,
    bot: Bot,
    _admin: Admin,
    files: list[UploadFile] = File(default_factory=list, description="PDF, DOCX, HTML, Markdown or text files."),
    urls: str = Form("", max_length=200_000, description="And/or http(s) URLs, one per line."),
) -> Job:
    """Needs a key with the admin scope. Returns at once with a job to follow at GET /v1/jobs/{id}; answering
    goes on meanwhile. Uploads are written to a folder of the server's own (never a caller-given path); each is
    limited to OPC_MAX_DOCUMENT_MB."""
    settings = request.app.state.settings
    links = [line.strip() for line in urls.splitlines() if line.strip()]
    if not files and not links:
        raise InvalidDocumentRequest("Send files (multipart field 'files') and/or 'urls', one per line.")
    check_file_names(request, files)
    if len(files) + len(links) > settings.bulk_max_sources:
        raise InvalidDocumentRequest(f"At most {settings.bulk_max_sources} sources per batch (OPC_BULK_MAX_SOURCES).")
    bad = [u for u in links if urlsplit(u).scheme not in ("http", "https")]
    if bad:
        raise InvalidDocumentRequest(f"Every url must start with http:// or https:// ({bad[0][:80]!r} does not).")
    # Saving the uploads is document work: on the documents queue, off the AnyIO pool answers use.
    return await request.app.state.documents_queue.run(_start_batch, bot, settings.data_dir, files, links)


def _start_batch(bot, data_dir: Path, files: list[UploadFile], links: list[str]) -> Job:
    workdir = Path(tempfile.mkdtemp(prefix="batch-", dir=data_dir))
    sources, labels = [], {}
    try:
        for n, upload in enumerate(files):
            # our own name: a folder per upload (its number) and the upload's name as an ASCII slug (the new
            # document's id comes from it, as for a single upload); a caller's file name never becomes a path
            suffix = Path(upload.filename or "").suffix.lower()[:10]
            folder = workdir / f"{n:05d}"
            folder.mkdir()
            path = folder / f"{slug(Path(upload.filename or '').stem)}{suffix if suffix.isascii() else ''}"
            with open(path, "wb") as out:
                shutil.copyfileobj(upload.file, out, length=1 << 20)
            sources.append(str(path))
            labels[str(path)] = upload.filename or path.name
    except Exception as exc:  # nothing half-saved stays behind; a full disk is a 507, not a 500
        shutil.rmtree(workdir, ignore_errors=True)
        if is_storage_error(exc):
            raise StorageFull(STORAGE_FULL) from None
        raise
    return bot.start_batch(sources + links, workdir=workdir, labels=labels)


@router.get("/jobs/{job_id}", response_model=Job, summary="A batch job's progress and outcome",
            responses={403: {"description": "The key lacks the admin scope"}, 404: {"description": "No such job"}})
def get_job(job_id: str, bot: Bot, _admin: Admin) -> Job:
    return bot.job(job_id)


@router.delete("/documents/{doc_id}", status_code=204, summary="Remove an added document",
               responses={403: {"description": "A built-in document, or a key without the admin scope"}, 404: {"description": "No such document"}})
async def remove_document(doc_id: str, request: Request, bot: Bot, _admin: Admin) -> Response:
    await request.app.state.documents_queue.run(bot.remove_document, doc_id)
    return Response(status_code=204)


class TrustChange(BaseModel):
    trust: Literal["reviewed", "unreviewed", "quarantined"] = Field(
        description="'reviewed' confirms the document (a quarantined one then answers); 'quarantined' takes it out "
                    "of answers. To reject a document, remove it (DELETE /v1/documents/{id}).")


@router.post("/admin/documents/{doc_id}/trust", response_model=DocumentInfo, summary="Confirm or quarantine a document",
             responses={403: {"description": "A built-in document, or a key without the admin scope"},
                        404: {"description": "No such document"}})
async def set_trust(doc_id: str, body: TrustChange, request: Request, bot: Bot, _admin: Admin) -> DocumentInfo:
    """Needs a key with the admin scope. A document claiming an existing document's title, number or issuer and
    title is quarantined when added; an admin confirms it here after checking it, or removes it."""
    return await request.app.state.documents_queue.run(bot.set_trust, doc_id, body.trust)


@router.get("/admin/conflicts", response_model=ConflictReport, summary="Documents and figures in conflict",
            responses={403: {"description": "The key lacks the admin scope"}})
def list_conflicts(bot: Bot, _admin: Admin) -> ConflictReport:
    """Needs a key with the admin scope. Documents claiming another's title or number (quarantined until an admin
    decides), and benefits two documents state with different figures (answers quote both)."""
    return bot.conflicts()
