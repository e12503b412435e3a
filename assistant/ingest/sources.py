"""Reading a document: a path, an http(s) URL or an upload's bytes → the document's own text and metadata,
parsed in the sandbox (a notice page's attachment followed when allowed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import DocumentTooLarge, EmptyDocument, IngestError, UnsupportedDocument
from assistant.ingest.extract import Extracted
from assistant.ingest.fetch import fetch, is_url
from assistant.ingest.govdoc import DocMeta, clean_blocks, has_articles, page_meta
from assistant.ingest.limits import ParseLimits
from assistant.ingest.netguard import FetchPolicy
from assistant.ingest.sandbox import extract_sandboxed
from assistant.understanding.text import cjk_count


@dataclass
class Source:
    data: bytes
    filename: str
    content_type: str | None = None
    url: str | None = None


def read_source(source: str | Path | bytes, *, max_bytes: int, timeout: float, filename: str | None = None,
                policy: FetchPolicy | None = None) -> Source:
    """A path, an http(s) URL, or the bytes of an upload (with its ``filename``)."""
    limit = f"{max_bytes / 1_000_000:g} MB (OPC_MAX_DOCUMENT_MB)"
    if isinstance(source, (bytes, bytearray)):
        if len(source) > max_bytes:
            shown = f"{len(source) / 1_000_000:.1f}"
            raise DocumentTooLarge(
                f"The upload is {shown} MB; the limit is {limit}, so that no single document holds up the others "
                "for more than a few minutes. Nothing was added.",
                translations={"zh": f"上传的文件为 {shown} MB，上限为 {limit}，以免单个文件占用服务器数分钟以上、"
                                    "拖慢其他文件。未添加任何内容。",
                              "zh-Hant": f"上傳的檔案為 {shown} MB，上限為 {limit}，以免單個檔案佔用伺服器數分鐘以上、"
                                         "拖慢其他檔案。未新增任何內容。"})
        return Source(bytes(source), filename or "upload")
    text = str(source).strip()
    if is_url(text):
        got = fetch(text, timeout=timeout, max_bytes=max_bytes, policy=policy)
        return Source(got.data, got.filename, got.content_type, got.url)
    path = Path(text).expanduser()
    if not path.exists():
        raise IngestError(f"No such file: {path}.")
    if not path.is_file():
        raise UnsupportedDocument(f"{path} is not a file (folders cannot be added; add each file).")
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentTooLarge(f"{path.name} is {size / 1_000_000:.1f} MB; the limit is {limit}.")
    return Source(path.read_bytes(), path.name)


def detect_doc_lang(text: str) -> str:
    """'zh' when a fair share of the characters are Chinese, else 'en'."""
    letters = len(re.sub(r"\s", "", text))
    return "zh" if letters and cjk_count(text) > letters / 5 else "en"


@dataclass
class Follow:
    """Limits for fetching a notice page's attachment."""

    max_bytes: int
    timeout: float
    policy: FetchPolicy | None = None


_FOLLOWABLE = re.compile(r"\.(pdf|docx)(\?|#|$)", re.I)


def read_document(source: Source, limits: ParseLimits, follow: Follow | None = None) -> tuple[Extracted, DocMeta]:
    """Extract a document's own text and metadata (in the parsing sandbox); a notice page whose body has no
    articles but links an attachment yields the attachment's text (with the page's metadata) when ``follow``
    allows fetching it."""
    extracted = extract_sandboxed(source.data, source.filename, source.content_type, limits, base_url=source.url)
    blocks, meta = clean_blocks(extracted.blocks, page_meta(extracted.meta))
    meta.attachments = extracted.attachments
    files = [a for a in extracted.attachments if _FOLLOWABLE.search(a["url"])]
    if files and not has_articles(blocks):
        target = files[0]
        if follow is None or not source.url or not is_url(target["url"]):
            raise IngestError(f"{source.filename} is a notice page whose text is in its attachment "
                              f"\u201c{target['title']}\u201d ({target['url']}). Add the attachment file itself, "
                              "or add the page by its URL so the attachment is fetched.")
        got = fetch(target["url"], timeout=follow.timeout, max_bytes=follow.max_bytes, policy=follow.policy)
        inner = extract_sandboxed(got.data, got.filename, got.content_type, limits)
        inner_blocks, inner_meta = clean_blocks(inner.blocks, DocMeta(title=meta.title))
        meta = meta.merge(inner_meta)
        inner.blocks = inner_blocks
        inner.warnings.append(f"The page's text is in its attachment {target['title']!r}; that file was added.")
        extracted, blocks = inner, inner_blocks
    if not blocks:
        raise EmptyDocument(f"{source.filename} has only page furniture (navigation, info lines, related "
                            "links, footers) and no document text. Nothing was added.")
    extracted.blocks = blocks
    return extracted, meta


def government_fields(meta: DocMeta, lang: str) -> dict:
    """The document.yaml fields a government document's own metadata fills."""
    out: dict = {}
    if meta.issuer:
        out["issuer"] = {lang: meta.issuer}
    for key in ("doc_number", "date_signed", "effective_date", "valid_until", "jurisdiction", "jurisdiction_en"):
        if getattr(meta, key):
            out[key] = getattr(meta, key)
    if meta.attachments:
        out["attachments"] = meta.attachments
    return out
