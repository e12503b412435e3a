#!/usr/bin/env python3
"""What one allowed upload costs the document writer, per format, and the upload limits that follow from it.

For each format (plain text in Chinese and English, Markdown, HTML, DOCX, PDF) a policy-like document of
about ``--kb`` KB of text is added to a fresh data dir (a copy of one built index) with
``Assistant.add_document``, timing the parse (in the sandbox worker, before the writer lock) and the whole add
(the part after the parse holds the one writer: clauses, facts, folder, database, embedding, index swap). The
worst case the parser can be made to do within the limits is timed too: a DOCX of elements nested just under
OPC_MAX_DEPTH, repeated to ``--hostile-mb`` MB.

Prints ONE JSON object: per format ``file_mb``, ``text_mchars`` (millions of extracted characters), ``parse_s``,
``add_s``, ``writer_s`` (add minus parse), ``writer_s_per_mchar`` and ``parse_s_per_mb``; the hostile DOCX's
``parse_s_per_mb``; and ``derived``: for a writer budget of ``--budget`` seconds, the most text one document
may have (the slowest format's cost per character decides), and the parse time and file size that budget
allows, next to the defaults in force (``defaults``).

    python -m bench.upload_limits [--kb 60] [--budget 150] [--hostile-mb 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent

ZH = "第{n}条 对入驻人工智能社区的{who}给予{what}，补贴期最长{m}个月，每年最高{a}万元；{cond}的，按实际费用的{p}%给予支持。"
EN = ("Article {n}. {Who} settling in an AI community receive {what} for up to {m} months, capped at {a}0,000 yuan "
      "a year; where {cond}, {p}% of the actual cost is supported.")
WHO = [("初创企业", "start-ups"), ("一人公司", "one-person companies"), ("科研团队", "research teams")]
WHAT = [("办公租金补贴", "an office rent subsidy"), ("算力券", "computing vouchers"), ("人才公寓", "talent housing")]
COND = [("首次获得股权融资", "a first equity round is raised"), ("租用算力开展训练", "computing power is rented"),
        ("参加境外展会", "an overseas fair is attended")]


def articles(kb: int, lang: str, seed: int) -> list[str]:
    rng, out, size, n = random.Random(seed), [], 0, 0
    while size < kb * 1000:
        n += 1
        w, t, c = rng.choice(WHO), rng.choice(WHAT), rng.choice(COND)
        i = 0 if lang == "zh" else 1
        line = (ZH if lang == "zh" else EN).format(n=n, who=w[i], Who=w[i].capitalize(), what=t[i], cond=c[i],
                                                   m=rng.randint(6, 36), a=rng.randint(1, 500), p=rng.randint(10, 80))
        out.append(line)
        size += len(line.encode())
    return out


def make(fmt: str, kb: int, seed: int) -> tuple[bytes, str]:
    from harness import docfactory as f

    lang = "zh" if fmt in ("text-zh", "docx", "pdf") else "en"
    lines = articles(kb, lang, seed)
    if fmt.startswith("text"):
        return "\n\n".join(lines).encode(), "doc.txt"
    if fmt == "markdown":
        return ("# Measures\n\n" + "\n\n".join(lines)).encode(), "doc.md"
    if fmt == "html":
        body = "".join(f"<p>{x}</p>" for x in lines)
        return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Measures</title></head><body><h1>Measures" \
               f"</h1>{body}</body></html>".encode(), "doc.html"
    if fmt == "docx":
        return f.docx_bytes([("heading", "人工智能社区支持措施")] + [("p", x) for x in lines]), "doc.docx"
    if fmt == "pdf":
        pages = [lines[i:i + 12] for i in range(0, len(lines), 12)]
        return f.pdf_bytes(pages, title="人工智能社区支持措施"), "doc.pdf"
    raise ValueError(fmt)


def hostile_docx(mb: int, depth: int) -> bytes:
    """Elements nested just under the depth limit, repeated until the document part is ``mb`` MB."""
    from harness.docfactory import W, docx_replacing

    unit = "<w:sdt><w:sdtContent>" * depth + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * depth
    body = unit * max(1, mb * 1_000_000 // len(unit))
    return docx_replacing({"word/document.xml": f"<w:document {W}><w:body>{body}</w:body></w:document>".encode()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, default=60, help="text per document, KB (costs are linear in it)")
    ap.add_argument("--budget", type=float, default=150.0, help="seconds one request may hold the writer")
    ap.add_argument("--hostile-mb", type=int, default=4, help="size of the deeply nested DOCX, MB")
    ap.add_argument("--formats", default="text-en,text-zh,markdown,html,docx,pdf",
                    help="comma-separated formats to add ('' for the hostile DOCX only)")
    args = ap.parse_args()

    from assistant import Assistant, Settings
    from assistant.ingest.limits import ParseLimits
    from assistant.ingest.sandbox import extract_sandboxed

    tmp = Path(tempfile.mkdtemp(prefix="opc-limits-"))
    try:
        base = Settings(data_dir=tmp / "base")
        Assistant.load(base)  # the built-in index, copied into each format's data dir
        # no limit may cut the measurement short
        roomy = dict(max_document_mb=500, max_text_mb=500, parse_timeout=600, max_uncompressed_mb=2000)
        limits = ParseLimits.from_settings(Settings(data_dir=tmp / "base", **roomy))
        out: dict = {"kb": args.kb, "budget_s": args.budget, "formats": {}}
        for n, fmt in enumerate(f for f in args.formats.split(",") if f):
            data, name = make(fmt, args.kb, n)
            t = time.perf_counter()
            extracted = extract_sandboxed(data, name, None, limits)
            parse_s = time.perf_counter() - t
            chars = sum(len(b.text) for b in extracted.blocks)
            folder = tmp / fmt
            shutil.copytree(tmp / "base" / "index", folder / "index", ignore=shutil.ignore_patterns(".lock"))
            bot = Assistant.load(Settings(data_dir=folder, **roomy))
            t = time.perf_counter()
            bot.add_document(data, filename=name)
            add_s = time.perf_counter() - t
            writer_s = max(add_s - parse_s, 1e-6)
            out["formats"][fmt] = {
                "file_mb": round(len(data) / 1e6, 4), "text_mchars": round(chars / 1e6, 5),
                "parse_s": round(parse_s, 3), "add_s": round(add_s, 2), "writer_s": round(writer_s, 2),
                "writer_s_per_mchar": round(writer_s / (chars / 1e6), 1),
                "add_s_per_file_mb": round(add_s / (len(data) / 1e6), 1),
                "parse_s_per_mb": round(parse_s / (len(data) / 1e6), 2)}
            print(fmt, out["formats"][fmt], file=sys.stderr, flush=True)
        # two elements a level (sdt, sdtContent), under the limit with the document's own wrapping elements
        depth = (Settings().max_depth - 8) // 2
        data = hostile_docx(args.hostile_mb, depth)
        t = time.perf_counter()
        try:
            extract_sandboxed(data, "deep.docx", None, limits)
            outcome = "parsed"
        except Exception as exc:  # refused by a later check: still the time it cost
            outcome = exc.__class__.__name__
        parse_s = time.perf_counter() - t
        out["hostile_docx"] = {"depth": 2 * depth, "file_mb": round(len(data) / 1e6, 3),
                               "uncompressed_mb": args.hostile_mb, "parse_s": round(parse_s, 2),
                               "parse_s_per_uncompressed_mb": round(parse_s / args.hostile_mb, 2), "outcome": outcome}
        worst = max((v["writer_s_per_mchar"] for v in out["formats"].values()), default=float("nan"))
        hostile = out["hostile_docx"]["parse_s_per_uncompressed_mb"]
        defaults = Settings()
        out["derived"] = {
            "max_text_mchars": round(args.budget / worst, 2),
            "why": f"the slowest format costs the writer {worst:.0f} s per million characters; "
                   f"{args.budget:.0f} s allow {args.budget / worst:.2f} million",
            "max_uncompressed_mb_for_parse_budget": round(defaults.parse_timeout / max(hostile, 1e-6), 1),
        }
        out["defaults"] = {"max_document_mb": defaults.max_document_mb, "max_text_mb": defaults.max_text_mb,
                           "parse_timeout": defaults.parse_timeout, "max_uncompressed_mb": defaults.max_uncompressed_mb}
        out["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
        print(json.dumps(out, ensure_ascii=False, indent=1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
