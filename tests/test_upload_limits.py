"""Upload limits that follow what the writer can do: a text upload over the text limit is refused before it is
parsed (at once, whatever its size), the refusal names the limit and why, in the reader's language
(Accept-Language), and nothing is added."""

from __future__ import annotations

import time

import httpx
import pytest

from assistant import Assistant, Settings
from assistant.api import create_app
from assistant.errors import DocumentTooComplex
from assistant.ingest.limits import ParseLimits
from assistant.ingest.sandbox import extract_sandboxed
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


KEY = {"Authorization": "Bearer lim-admin"}


@pytest.fixture(scope="module")
def lim_http(seeded_data_dir):
    settings = Settings(data_dir=seeded_data_dir("opc-limits"), ui=False, api_keys=["lim-admin:admin"],
                        rate_limit="", rate_limit_per_user="", max_text_mb=0.02, max_document_mb=20)
    bot = Assistant.load(settings)
    with serve(create_app(settings, bot)) as url, httpx.Client(base_url=url, headers=KEY, timeout=120) as http:
        yield http


def test_a_huge_text_upload_is_refused_at_once_in_the_readers_language(lim_http):
    before = lim_http.get("/v1/documents").json()
    big = ("第一条 对入驻企业给予办公租金补贴，每年最高8万元。\n\n" * 200_000).encode()  # ~13 MB, under the size limit
    for lang, words in [("zh-CN,zh;q=0.9", "上限为 20,000 个字符"), ("zh-TW", "上限為 20,000 個字元"),
                        ("en-GB,en;q=0.8", "the limit is 20,000 (OPC_MAX_TEXT_MB=0.02)")]:
        started = time.perf_counter()
        r = lim_http.post("/v1/documents", headers={"Accept-Language": lang},
                          files={"file": ("huge.txt", big, "text/plain")})
        assert r.status_code == 422 and r.json()["error"]["code"] == "too_complex", r.text
        assert words in r.json()["error"]["message"]
        assert time.perf_counter() - started < 10  # refused by size, not after parsing 13 MB
    assert "OPC_MAX_TEXT_MB" in r.json()["error"]["message"] and "several minutes" in r.json()["error"]["message"]
    over = lim_http.post("/v1/documents", headers={"Accept-Language": "zh"},
                         files={"file": ("big.pdf", b"%PDF-1.7\n" + b"0" * 21_000_000, "application/pdf")})
    assert over.status_code == 413
    assert lim_http.get("/v1/documents").json() == before  # nothing added


def test_text_just_over_the_limit_is_refused_after_parsing_with_translations():
    limits = ParseLimits(uncompressed_bytes=10**8, depth=256, pages=100, text_chars=1000, timeout=20, memory_mb=1536)
    with pytest.raises(DocumentTooComplex) as info:  # under 4 bytes a character: parsed, then counted
        extract_sandboxed(("第一条 支持创业。\n" * 200).encode(), "a.txt", None, limits)
    assert "1,000" in str(info.value) and "1,000" in info.value.in_language("zh")
    assert info.value.in_language("zh-Hant") != info.value.in_language("zh") != str(info.value)
