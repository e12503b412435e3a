#!/usr/bin/env python3
"""Ingestion benchmark: pages per second adding a 500-page bilingual corpus, then warm ``ask`` latency.

Generates policy-like documents (deterministic, seeded): Chinese PDFs in government style (第N条 articles,
~600 characters a page, the GB/T 9704 page of 22 lines × 28 characters) and their English translations as
PDFs with the same articles and figures, added with ``translation_of``. Prints ONE JSON object on stdout:

- ``pages``, ``documents``, ``ingest_s``, ``pages_per_s``: wall time of every ``Assistant.add_document``
  call (reading the PDF, clauses, alignment, writing the folder, the index update and the swap);
  ``per_document_s`` lists each call.
- ``entries``: index entries at the end; ``embed_s_share``: the part of the time spent embedding.
- ``warm_ask_ms``: p50/p95/p99 of ``bot.ask`` over the golden questions (follow-ups excluded) plus
  questions about the generated documents, after one warm-up pass.
- ``targets`` / ``meets_targets`` and ``machine``.

    python -m bench.ingest [--pages 500] [--pages-per-doc 25] [--keep DIR]

Everything lives in a temporary data dir unless ``--keep`` names one. Nothing here uses the network.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent

TARGETS = {"pages_per_s": 5.0, "warm_p95_ms": 250.0}
DISTRICTS = [("南山区", "Nanshan"), ("福田区", "Futian"), ("罗湖区", "Luohu"), ("宝安区", "Bao'an"),
             ("龙岗区", "Longgang"), ("龙华区", "Longhua"), ("坪山区", "Pingshan"), ("光明区", "Guangming"),
             ("盐田区", "Yantian"), ("大鹏新区", "Dapeng"), ("前海", "Qianhai"), ("河套", "Hetao")]
# (zh title, en title, zh sentence template, en sentence template); {a} money in 万元, {m} months, {p} percent.
TOPICS = [
    ("办公租金补贴", "Office rent subsidy", "对入驻OPC社区的企业给予办公租金补贴，补贴期最长{m}个月，每年最高{a}万元。",
     "Enterprises settling in an OPC community receive an office rent subsidy for up to {m} months, capped at {A} yuan a year."),
    ("算力补贴", "Computing subsidy", "对租用算力开展模型训练的企业，按实际费用的{p}%给予补贴，每年最高{a}万元。",
     "Enterprises renting computing power for model training are subsidised at {p}% of the actual cost, up to {A} yuan a year."),
    ("人才公寓", "Talent apartments", "企业核心成员可按市场价的{p}%租住人才公寓，最长{m}个月。",
     "Core members may rent talent apartments at {p}% of the market price for up to {m} months."),
    ("首次融资奖励", "First financing reward", "企业首次获得股权投资的，按投资额的{p}%给予奖励，最高{a}万元。",
     "An enterprise receiving equity investment for the first time is rewarded with {p}% of it, up to {A} yuan."),
    ("数据标注券", "Data labelling vouchers", "采购数据标注服务的企业可获得合同金额{p}%的数据标注券，最高{a}万元。",
     "Enterprises buying data labelling services receive vouchers worth {p}% of the contract, up to {A} yuan."),
    ("应用场景开放", "Application scenarios", "每年开放不少于{m}个政务应用场景，单个项目最高支持{a}万元。",
     "At least {m} government application scenarios open each year, with up to {A} yuan per project."),
    ("知识产权资助", "Intellectual property", "获得发明专利授权的，每件资助{a}万元，每年最多资助{m}件。",
     "Each granted invention patent is funded with {A} yuan, for up to {m} patents a year."),
    ("出海服务", "Going global", "参加境外展会的企业，按展位费的{p}%给予补贴，每年最高{a}万元。",
     "Enterprises exhibiting at overseas fairs are subsidised at {p}% of booth fees, up to {A} yuan a year."),
    ("技能培训", "Skills training", "组织人工智能技能培训的机构，按每人{a}万元标准给予补贴，培训期不超过{m}个月。",
     "Training providers for AI skills receive {A} yuan per trainee, for courses of at most {m} months."),
    ("贷款贴息", "Loan interest subsidy", "对获得银行贷款的企业，按贷款利息的{p}%给予贴息，贴息期最长{m}个月。",
     "Enterprises with bank loans receive interest subsidies of {p}% of the interest for up to {m} months."),
]
FILLER_ZH = ["申请单位应当在本区依法登记注册，具有健全的财务管理制度。", "同一事项已获得市级支持的，区级按差额给予补足。",
             "各项资金实行总额控制，年度预算用完即止。", "主管部门应当会同财政部门加强资金使用绩效评价。",
             "企业应当如实提供申报材料，对材料的真实性负责。"]
FILLER_EN = ["Applicants must be lawfully registered in the district and keep sound financial records.",
             "Where the same item already receives municipal support, the district tops up the difference.",
             "All funds are capped in total and granted until the annual budget is used up.",
             "The competent department evaluates the performance of funds together with the finance bureau.",
             "Enterprises are responsible for the truthfulness of the materials they submit."]
ZH_NUM = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    if n < 10:
        return ZH_NUM[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else ZH_NUM[tens]) + "十" + (ZH_NUM[ones] if ones else "")


def make_document(rng: random.Random, district: tuple[str, str], pages: int) -> tuple[list, list, str, str]:
    """Pages of (zh lines, en lines) with the same articles and figures, about 600 Chinese characters a page."""
    zh_title = f"{district[0]}支持人工智能一人公司发展若干措施（第{rng.randint(1, 9)}版）"
    en_title = f"{district[1]} Measures to Support AI One-Person Companies"
    zh_pages, en_pages, article = [], [], 0
    for page in range(pages):
        zh_lines, en_lines = ([zh_title], [en_title]) if page == 0 else ([], [])
        for _ in range(3):
            article += 1
            zt, et, zs, es = rng.choice(TOPICS)
            a, m, p = rng.choice([5, 8, 10, 20, 30, 50, 100]), rng.choice([6, 12, 24, 36]), rng.choice([10, 20, 30, 50])
            fill = rng.sample(range(len(FILLER_ZH)), 3)
            zh_lines.append(f"第{zh_number(article)}条 {zt}。" + zs.format(a=a, m=m, p=p)
                            + "".join(FILLER_ZH[i] for i in fill))
            en_lines.append(f"Article {article} {et}. " + es.format(A=f"{a * 10_000:,}", m=m, p=p) + " "
                            + " ".join(FILLER_EN[i] for i in fill))
        zh_pages.append(zh_lines)
        en_pages.append(en_lines)
    return zh_pages, en_pages, zh_title, en_title


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=500, help="total pages, both languages together")
    ap.add_argument("--pages-per-doc", type=int, default=25)
    ap.add_argument("--keep", type=Path, help="data dir to use and keep (default: a temporary one)")
    args = ap.parse_args()

    import yaml

    from assistant import Assistant, Settings
    from bench.timing import warm_ask_ms
    from harness.docfactory import pdf_bytes

    tmp = tempfile.TemporaryDirectory(prefix="opc-bench-ingest-")
    data = args.keep or Path(tmp.name) / "data"
    files = Path(tmp.name) / "files"
    files.mkdir(parents=True)
    rng = random.Random(6)
    docs = []
    for i in range(max(1, args.pages // (2 * args.pages_per_doc))):
        zh_pages, en_pages, zt, et = make_document(rng, DISTRICTS[i % len(DISTRICTS)], args.pages_per_doc)
        zh, en = files / f"measures-{i}-zh.pdf", files / f"measures-{i}-en.pdf"
        zh.write_bytes(pdf_bytes(zh_pages, title=zt, size=10.5))
        en.write_bytes(pdf_bytes(en_pages, title=et, cjk=False, size=10.5))
        docs.append((zh, en, len(zh_pages) + len(en_pages)))
    print(f"[bench] generated {len(docs) * 2} PDFs", file=sys.stderr, flush=True)

    bot = Assistant.load(Settings(data_dir=data))
    embedder = bot.embedder
    embed_time = [0.0]
    original = embedder.embed_documents

    def timed(texts):
        t = time.perf_counter()
        try:
            return original(texts)
        finally:
            embed_time[0] += time.perf_counter() - t

    embedder.embed_documents = timed  # measure the embedding share of ingestion
    per_doc, pages = [], 0
    started = time.perf_counter()
    for zh, en, n in docs:
        t = time.perf_counter()
        info = bot.add_document(str(zh), lang="zh")
        per_doc.append(round(time.perf_counter() - t, 2))
        t = time.perf_counter()
        bot.add_document(str(en), lang="en", translation_of=info.id)
        per_doc.append(round(time.perf_counter() - t, 2))
        pages += n
        print(f"[bench] {pages} pages in {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
    ingest_s = time.perf_counter() - started

    golden = yaml.safe_load((ROOT / "eval" / "golden.yaml").read_text(encoding="utf-8"))
    questions = [g["question"] for g in golden if g.get("category") != "followup" and not g.get("turns")]
    questions += ["办公租金补贴每年最高多少钱？", "算力补贴按什么比例？", "How long can core members rent talent apartments?",
                  "What is the data labelling voucher worth?", "技能培训补贴每人多少？"]
    out = {
        "pages": pages, "documents": len(docs) * 2, "ingest_s": round(ingest_s, 1),
        "pages_per_s": round(pages / ingest_s, 2), "embed_s_share": round(embed_time[0] / ingest_s, 2),
        "per_document_s": per_doc, "entries": len(bot.index.entries), "clauses": len(bot.corpus.clauses),
        "warm_ask_ms": warm_ask_ms(bot, questions),
        "targets": TARGETS,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_avg_1m": round(os.getloadavg()[0], 2)},
    }
    out["meets_targets"] = {"pages_per_s": out["pages_per_s"] >= TARGETS["pages_per_s"],
                            "warm_p95_ms": out["warm_ask_ms"]["p95"] <= TARGETS["warm_p95_ms"]}
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
