"""The corpus as founders may browse it: documents and single clauses."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from ...errors import IngestError
from ...types import Citation, DocumentInfo, Job
from ..deps import Bot

router = APIRouter(tags=["documents"])


class InvalidDocumentRequest(IngestError):
    code = "invalid_document_request"


@router.get("/documents", response_model=list[DocumentInfo], summary="Documents the assistant answers from")
def list_documents(bot: Bot) -> list[DocumentInfo]:
    return bot.documents()


@router.get("/clauses/{clause_id}", response_model=Citation, summary="One clause, with its parallel text",
            responses={404: {"description": "No such clause"}})
def get_clause(clause_id: str, bot: Bot,
               lang: Literal["en", "zh", "zh-Hant"] = Query("en", description="Language of `text`.")) -> Citation:
    return bot.clause(clause_id, lang)


@router.post("/documents", response_model=DocumentInfo, status_code=201, summary="Add a policy document",
             responses={409: {"description": "Already in the corpus"}, 413: {"description": "Over the size limit"},
                        415: {"description": "Unsupported file type"}})
def add_document(
    bot: Bot,
    file: UploadFile | None = File(None, description="A PDF, DOCX, HTML, Markdown or text file."),
    url: str | None = Form(None, description="Or an http(s) URL to fetch the document from."),
    lang: Literal["zh", "en"] | None = Form(None, description="Language (default: detected)."),
    title: str | None = Form(None, max_length=300, description="Title (default: from the document)."),
    translation_of: str | None = Form(None, max_length=128,
                                      description="Id of an added document this one translates."),
) -> DocumentInfo:
    """Behind the API key like every /v1 route. Only uploads and http(s) URLs are accepted: a server path is
    never read on a caller's behalf."""
    if (file is None) == (url is None):
        raise InvalidDocumentRequest("Send either a file (multipart field 'file') or a 'url', not both or neither.")
    if file is not None:
        return bot.add_document(file.file.read(), lang=lang, title=title, translation_of=translation_of,
                                filename=file.filename or "upload")
    if urlsplit(url).scheme not in ("http", "https"):
        raise InvalidDocumentRequest("The url must start with http:// or https://.")
    return bot.add_document(url, lang=lang, title=title, translation_of=translation_of)


@router.post("/documents/batch", response_model=Job, status_code=202, summary="Add many documents in the background",
             responses={400: {"description": "No files or URLs, or too many"}})
def add_batch(
    request: Request,
    bot: Bot,
    files: list[UploadFile] = File(default_factory=list, description="PDF, DOCX, HTML, Markdown or text files."),
    urls: str = Form("", max_length=200_000, description="And/or http(s) URLs, one per line."),
) -> Job:
    """Returns at once with a job to follow at GET /v1/jobs/{id}; answering goes on meanwhile. Uploads are
    written to a folder of the server's own (never a caller-given path); each is limited to OPC_MAX_DOCUMENT_MB."""
    settings = request.app.state.settings
    links = [line.strip() for line in urls.splitlines() if line.strip()]
    if not files and not links:
        raise InvalidDocumentRequest("Send files (multipart field 'files') and/or 'urls', one per line.")
    if len(files) + len(links) > settings.bulk_max_sources:
        raise InvalidDocumentRequest(f"At most {settings.bulk_max_sources} sources per batch (OPC_BULK_MAX_SOURCES).")
    bad = [u for u in links if urlsplit(u).scheme not in ("http", "https")]
    if bad:
        raise InvalidDocumentRequest(f"Every url must start with http:// or https:// ({bad[0][:80]!r} does not).")
    workdir = Path(tempfile.mkdtemp(prefix="batch-", dir=settings.data_dir))
    sources, labels = [], {}
    for n, upload in enumerate(files):
        # our own name (a number and the upload's suffix): a caller's file name never becomes a path
        suffix = Path(upload.filename or "").suffix.lower()[:10]
        path = workdir / f"{n:05d}{suffix if suffix.isascii() else ''}"
        with open(path, "wb") as out:
            shutil.copyfileobj(upload.file, out, length=1 << 20)
        sources.append(str(path))
        labels[str(path)] = upload.filename or path.name
    return bot.start_batch(sources + links, workdir=workdir, labels=labels)


@router.get("/jobs/{job_id}", response_model=Job, summary="A batch job's progress and outcome",
            responses={404: {"description": "No such job"}})
def get_job(job_id: str, bot: Bot) -> Job:
    return bot.job(job_id)


@router.delete("/documents/{doc_id}", status_code=204, summary="Remove an added document",
               responses={403: {"description": "A built-in document"}, 404: {"description": "No such document"}})
def remove_document(doc_id: str, bot: Bot) -> Response:
    bot.remove_document(doc_id)
    return Response(status_code=204)
