"""Understanding figures, printed as JSON: the blind conversations turn by turn through a stored session,
the dev founder messages per pattern, and the recogniser's accuracy on held-out generated variants and on
the blind dev messages. Offline, extractive mode, a scratch data dir of its own.

    PYTHONPATH=. python -m bench.understanding [--patterns colloquial,paraphrase,code_mixed] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from pathlib import Path

import yaml

from assistant.evaluate.blind import figure_stated

ROOT = Path(__file__).resolve().parent.parent


def score(answer, case: dict) -> dict:
    cited = [c.clause_id.split(":", 1)[-1] for c in answer.citations]
    want = bool(case["answerable"])
    figures = all(figure_stated(f, answer.answer) for f in case.get("expected_figures") or [])
    clauses = not case.get("expected_clauses") or any(c in cited for c in case["expected_clauses"])
    ok = answer.answerable == want and (not want or (figures and clauses))
    return {"ok": ok, "answerable": answer.answerable, "figures": figures, "clauses": clauses, "cited": cited}


def conversations(assistant, path: Path, verbose: bool) -> dict:
    convs = yaml.safe_load(path.read_text(encoding="utf-8"))
    total = right = in_language = 0
    by_pos: dict[int, list[bool]] = defaultdict(list)
    failures = []
    for conv in convs:
        sid = assistant.new_session()
        for i, turn in enumerate(conv["turns"]):
            said = turn.get("user") or turn["question"]  # both blind sets' spellings
            ans = assistant.ask(said, session_id=sid, mode="extractive")
            s = score(ans, turn)
            total += 1
            right += s["ok"]
            # the answer in the turn's language (Cantonese is answered in Traditional characters); not in "ok"
            in_language += ans.language == {"yue": "zh-Hant"}.get(turn["language"], turn["language"])
            by_pos[i + 1].append(s["ok"])
            if not s["ok"]:
                failures.append({"id": f"{conv['id']}#{i + 1}", "user": said, **s,
                                 "standalone": ans.standalone_question, "answer": ans.answer[:160]})
    out = {"turns": total, "right": right, "rate": round(right / total, 3),
           "by_turn": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_pos.items())},
           "language": f"{in_language}/{total}"}
    if verbose:
        out["failures"] = failures
    return out


def messages(assistant, path: Path, patterns: set[str] | None, verbose: bool) -> dict:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    per: dict[str, list[bool]] = defaultdict(list)
    failures = []
    for case in cases:
        if patterns and case["pattern"] not in patterns:
            continue
        ans = assistant.ask(case["question"], mode="extractive")
        s = score(ans, case)
        per[case["pattern"]].append(s["ok"])
        if not s["ok"]:
            failures.append({"id": case["id"], "q": case["question"], **s, "answer": ans.answer[:160]})
    out = {p: f"{sum(v)}/{len(v)}" for p, v in sorted(per.items())}
    allv = [x for v in per.values() for x in v]
    out["all"] = f"{sum(allv)}/{len(allv)}"
    if verbose:
        out["failures"] = failures
    return out


def recognition_on_blind(assistant, path: Path) -> dict:
    """Share of answerable blind messages about a benefit clause whose recognised clause is expected."""
    rec = assistant.retriever.recogniser
    clauses = {f.clause for f in rec.facts.values()}
    per: dict[str, list[bool]] = defaultdict(list)
    for case in yaml.safe_load(path.read_text(encoding="utf-8")):
        if not case["answerable"] or not set(case["expected_clauses"]) & clauses:
            continue
        got = rec.recognise(case["question"], case["language"]).likely_clause
        per[case["pattern"]].append(bool(got) and got.split(":", 1)[1] in case["expected_clauses"])
    allv = [x for v in per.values() for x in v]
    return {**{p: f"{sum(v)}/{len(v)}" for p, v in sorted(per.items())}, "all": f"{sum(allv)}/{len(allv)}",
            "rate": round(sum(allv) / len(allv), 3)}


def heldout(assistant) -> dict:
    """Benefit and attribute accuracy on a fifth of the generated variants, the model trained on the rest."""
    import hashlib

    import numpy as np

    from assistant.knowledge.claims import fold
    from assistant.understanding.intent_data import generate
    from assistant.understanding.intents import Recogniser, embed_queries, plan_titles

    rec = assistant.retriever.recogniser
    corpus = assistant.knowledge.corpus
    facts = list(rec.facts.values())
    samples = generate(rec.spec, facts, corpus.claims, corpus.out_of_scope, plan_titles(corpus, facts))
    vectors = embed_queries(assistant.embedder, [fold(rec.cantonese.to_mandarin(s.text)) for s in samples])
    test = np.array([int(hashlib.sha1(s.text.encode()).hexdigest(), 16) % 5 == 0 for s in samples])
    model = Recogniser.fit([s for s, t in zip(samples, test) if not t], vectors[~test], rec.cantonese)
    held = Recogniser(rec.spec, list(rec.facts.values()), corpus.claims, assistant.embedder, model)
    right = right_attr = with_attr = same_clause = 0
    for s, v in zip([s for s, t in zip(samples, test) if t], vectors[test]):
        got = held.recognise(s.text, s.lang, vector=v)
        label = got.benefit or ("none" if got.clause_confidence < 0.5 else "?")
        right += label == s.benefit or (s.benefit.startswith("topic:") and got.benefit is None
                                         and got.likely_clause.endswith(":" + s.benefit[6:]))
        want = rec.facts[s.benefit].clause_id if s.benefit in rec.facts else None
        same_clause += want is not None and got.likely_clause == want
        if s.attribute:
            with_attr += 1
            right_attr += got.attribute == s.attribute
    n = int(test.sum())
    benefits = sum(s.benefit in rec.facts for s, t in zip(samples, test) if t)
    return {"variants": len(samples), "held_out": n, "benefit_accuracy": round(right / n, 3),
            "benefit_clause_accuracy": round(same_clause / benefits, 3),
            "attribute_accuracy": round(right_attr / with_attr, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patterns", default="colloquial,paraphrase,code_mixed",
                    help="dev-set patterns to score ('all' for every one)")
    ap.add_argument("--data-dir", default=str(ROOT / ".opc-data" / "understanding"))
    ap.add_argument("--verbose", action="store_true", help="list each failing turn or message")
    ap.add_argument("--heldout", action="store_true",
                    help="also train on 80%% of the generated variants and score the other 20%% (minutes)")
    ap.add_argument("--conversations", default=str(ROOT / "eval" / "blind" / "conversations.yaml"),
                    help="the conversations set to score (e.g. a held-out one)")
    ap.add_argument("--skip", default="", help="comma list of: conversations, messages, recogniser")
    args = ap.parse_args()
    os.environ.setdefault("OPC_DATA_DIR", args.data_dir)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from assistant.service import Assistant
    from assistant.settings import Settings

    skip = set(filter(None, args.skip.split(",")))
    started = time.perf_counter()
    assistant = Assistant.load(Settings(mode="extractive"))
    report: dict = {"load_s": round(time.perf_counter() - started, 1)}
    blind = ROOT / "eval" / "blind"
    if "conversations" not in skip:
        report["conversations"] = conversations(assistant, Path(args.conversations), args.verbose)
    if "messages" not in skip:
        pats = None if args.patterns == "all" else set(args.patterns.split(","))
        report["dev_messages"] = messages(assistant, blind / "founder_messages.yaml", pats, args.verbose)
    if "recogniser" not in skip:
        report["recogniser_dev"] = recognition_on_blind(assistant, blind / "founder_messages.yaml")
    if args.heldout:
        report["recogniser_heldout"] = heldout(assistant)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
