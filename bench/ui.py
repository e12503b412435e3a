#!/usr/bin/env python3
"""Chat page benchmark: what a founder waits for, measured in headless Chromium.

Serves the page with uvicorn on 127.0.0.1 (the same app the browser test uses) and prints ONE JSON
object on stdout:

- ``page_ready_ms``: navigation start to the question box being usable (fresh browser context each time).
- ``first_text_ms`` / ``answer_ms``: Enter pressed to the first answer text on screen, and to the finished
  answer with its sources — percentiles over every question in QUESTIONS, asked ``--repeat`` times.

Run from the repository root: ``python -m bench.ui [--repeat N] [--data-dir DIR]``. Needs Chromium
(``/usr/bin/chromium``). Nothing here uses the network.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parent.parent

QUESTIONS = ["住房补贴每月多少？", "How big is the training power voucher?", "创业贷款最高多少？",
             "What loans can graduates get?", "What does Shanghai offer one-person companies?"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

# Timestamps taken in the page, so the figures are what the browser shows, not Python's polling.
WATCH = """(before) => { window.__opcWatch = new Promise(resolve => {
  const t0 = performance.now(); let first = null;
  const check = () => {
    const bots = document.querySelectorAll('.bot .opc-answer');
    const last = bots[bots.length - 1];
    if (first === null && bots.length > before && last.innerText.trim()) first = performance.now() - t0;
    if (document.querySelectorAll('.bot .opc-answer:not(.opc-streaming)').length > before) {
      resolve({first: first ?? performance.now() - t0, done: performance.now() - t0}); return true;
    }
    return false;
  };
  new MutationObserver((_, obs) => { if (check()) obs.disconnect(); })
    .observe(document.body, {childList: true, subtree: true, characterData: true});
}); }"""


def pct(values: list[float], q: float) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1) if len(values) > 1 \
        else round(values[0], 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from assistant import Assistant, Settings
    from harness.servers import serve, ui_app

    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant.load(Settings(data_dir=args.data_dir or Path(tmp)))
        loads, firsts, dones = [], [], []
        with serve(ui_app(bot)) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for r in range(args.repeat + 1):  # round 0 warms up and is not counted
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                page.goto(url)
                page.wait_for_selector("#opc-question textarea")
                ready = page.evaluate("performance.now()")
                for i, q in enumerate(QUESTIONS):
                    page.fill("#opc-question textarea", q)
                    page.evaluate(WATCH, i)  # starts watching (a promise kept on window)
                    page.press("#opc-question textarea", "Enter")
                    timing = page.evaluate("window.__opcWatch")
                    if r:
                        firsts.append(timing["first"])
                        dones.append(timing["done"])
                if r:
                    loads.append(ready)
                context.close()
            browser.close()
    print(json.dumps({
        "questions": len(dones),
        "page_ready_ms": {"p50": pct(loads, 50), "max": round(max(loads), 1)},
        "first_text_ms": {"p50": pct(firsts, 50), "p95": pct(firsts, 95)},
        "answer_ms": {"p50": pct(dones, 50), "p95": pct(dones, 95)},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }, indent=2))


if __name__ == "__main__":
    main()
