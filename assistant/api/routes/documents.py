"""The corpus as founders may browse it: documents and single clauses."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from ...errors import IngestError
from ...types import Citation, DocumentInfo
from ..deps import Admin, Bot

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
        data = await file.read()
        return await queue.run(bot.add_document, data, lang=lang, title=title, translation_of=translation_of,
                               filename=file.filename or "upload")
    if urlsplit(url).scheme not in ("http", "https"):
        raise InvalidDocumentRequest("The url must start with http:// or https://.")
    return await queue.run(bot.add_document, url, lang=lang, title=title, translation_of=translation_of)


@router.delete("/documents/{doc_id}", status_code=204, summary="Remove an added document",
               responses={403: {"description": "A built-in document, or a key without the admin scope"}, 404: {"description": "No such document"}})
async def remove_document(doc_id: str, request: Request, bot: Bot, _admin: Admin) -> Response:
    await request.app.state.documents_queue.run(bot.remove_document, doc_id)
    return Response(status_code=204)
