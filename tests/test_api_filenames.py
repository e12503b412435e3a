"""Uploaded file names with NUL or other control characters: a clear 422 in the caller's language, nothing saved."""

from __future__ import annotations

import httpx
import pytest

from assistant.api import create_app
from assistant.settings import Settings
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


BOUNDARY = "opc-test-boundary"


@pytest.fixture(scope="module")
def api(seeded_data_dir):
    from assistant import Assistant

    settings = Settings(data_dir=seeded_data_dir("opc-names"), ui=False, rate_limit="", rate_limit_per_user="")
    bot = Assistant.load(settings)
    with serve(create_app(settings, bot)) as base:
        yield base, settings.data_dir


def _batches(data_dir) -> set:
    return {p.name for p in data_dir.glob("batch-*")}


def multipart(field: str, files: list[tuple[str, bytes]]) -> bytes:
    """A multipart body with the file names as raw bytes (httpx would percent-encode a NUL)."""
    out = b""
    for name, data in files:
        out += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"".encode()
                + name.encode() + b"\"\r\nContent-Type: text/plain\r\n\r\n" + data + b"\r\n")
    return out + f"--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize("name", ["a\x00.pdf", "report.pd\x00f", "tab\there.md", "\x7f.txt", "\x01\x02.docx"])
@pytest.mark.parametrize(("language", "words"), [("en", "control characters"), ("zh-CN,zh;q=0.9", "控制字符"),
                                                 ("zh-TW", "控制字元")])
def test_batch_file_name_with_control_characters(api, name, language, words):
    base, data_dir = api
    before = _batches(data_dir)
    body = multipart("files", [("good.txt", "第一条 测试。".encode()), (name, "第一条 测试。".encode())])
    r = httpx.post(f"{base}/v1/documents/batch", content=body, timeout=60,
                   headers={"Accept-Language": language, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    assert r.status_code == 422, r.text  # as every invalid document request
    error = r.json()["error"]
    assert error["code"] == "invalid_file_name"
    assert words in error["message"] and "2" in error["message"]  # names the second file
    assert "Traceback" not in r.text and "\x00" not in r.text
    assert _batches(data_dir) == before  # nothing saved


def test_single_upload_file_name_with_nul(api):
    base, _ = api
    r = httpx.post(f"{base}/v1/documents", content=multipart("file", [("evil\x00.pdf", b"%PDF-1.4")]), timeout=60,
                   headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_file_name", r.text
