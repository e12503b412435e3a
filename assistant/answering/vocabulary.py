"""The sources' words: what the grounding gate checks an answer's words against (assistant/answering/support.py).

The cited clauses, their fact records and the question give character pairs, characters and English stems (with
claims.yaml's terms for the concepts they name and support.yaml's equivalents); a run of an answer's words none of
them holds is something the sources do not say."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.knowledge.claims import ClaimRules, fold, trie_pattern

if TYPE_CHECKING:
    from assistant.answering.support import SupportRules
    from assistant.knowledge.facts import Fact

# The sources' character pairs, characters and English stems: what an answer's words are checked against.
Vocabulary = tuple[frozenset[str], frozenset[str], frozenset[str]]

CJK = re.compile(r"[\u3400-\u9fff]")
WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
PUNCT = re.compile(r"[\s\W_]+")


def stem(w: str) -> str:
    w = w.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl, min_len in (("ies", "y", 5), ("ing", "", 6), ("ied", "y", 5), ("ed", "", 5), ("es", "", 5),
                                  ("s", "", 4), ("ly", "", 6)):
        if suffix == "es" and w.endswith("ees"):   # degrees, fees: the plural of a word ending in ee
            w = w[:-1]
            break
        if len(w) >= min_len and w.endswith(suffix) and not w.endswith(("ss", "us", "is", "eed")):
            w = w[: len(w) - len(suffix)] + repl
            break
    # a final silent e: "settle" and "settling" are one word ("exceed" keeps its ee)
    return w[:-1] if len(w) > 4 and w.endswith("e") and not w.endswith("ee") else w


def record_words(facts: Iterable[Fact]) -> list[str]:
    """What a fact record lets an answer say of its benefit: names, aliases, condition quotes."""
    out: list[str] = []
    for fact in facts:
        out += [fact.names.en, fact.names.zh, *fact.names.aliases]
        out += [q for cond in fact.conditions for q in (cond.quote.en, cond.quote.zh) if q]
    return out


@lru_cache(maxsize=1024)
def term_pattern(term: str) -> re.Pattern[str] | None:
    return terms_pattern([term])


def terms_pattern(terms: list[str]) -> re.Pattern[str] | None:
    terms = sorted({" ".join(fold(t).split()) for t in terms if t.strip()})
    if not terms:
        return None
    zh = [t for t in terms if CJK.search(t)]
    en = [t for t in terms if not CJK.search(t)]
    parts = ([r"(?<![a-z0-9])(?:" + trie_pattern(en) + r")(?![a-z0-9])"] if en else []) \
        + ([trie_pattern(zh)] if zh else [])
    return re.compile("|".join(parts))


@lru_cache(maxsize=4096)
def sources_vocabulary(rules: SupportRules, texts: tuple[str, ...], claims: ClaimRules | None) -> Vocabulary:
    """Character pairs, characters and English stems (with 6-letter prefixes) of the sources, with every term
    of a claims.yaml concept the sources name (so "rent subsidy" is supported where the clause says "housing
    subsidy")."""
    words: list[str] = [fold(t) for t in texts]
    if claims is not None:
        spec = claims.spec
        joined = " ".join(words)
        for sid in claims.subjects_in(joined):
            words += [fold(t) for t in spec.subjects[sid].en + spec.subjects[sid].zh]
        for cid in claims.condition_concepts(joined):
            words += [fold(t) for t in spec.conditions[cid].en + spec.conditions[cid].zh]
        for gspec, matcher in claims.groups.values():
            for m in matcher.find(joined):
                v = gspec.values[m.concept]
                words += [fold(t) for t in v.en + v.zh + v.after_en + v.after_zh]
    joined = " ".join(words)
    for group in rules.spec.equivalents:
        if any((p := term_pattern(t)) and p.search(joined) for t in group):
            words += [fold(t) for t in group]
    pairs: set[str] = set()
    chars: set[str] = set()
    stems: set[str] = set()
    for w in words:
        for run in re.findall(r"[\u3400-\u9fff]+", w):
            chars.update(run)
            pairs.update(run[i:i + 2] for i in range(len(run) - 1))
        for word in WORD.finditer(w):  # not `m`: the claim matches above are Mentions
            st = stem(word.group())
            stems.add(st)
            if len(st) >= 7:
                stems.add(st[:6])
    return frozenset(pairs), frozenset(chars), frozenset(stems)


@lru_cache(maxsize=4096)
def folded_texts(texts: tuple[str, ...]) -> list[str]:
    return [fold(t) for t in texts]


@lru_cache(maxsize=4096)
def flat_texts(texts: tuple[str, ...]) -> list[str]:
    return [PUNCT.sub("", fold(t)) for t in texts]


def clear_caches() -> None:
    for cached in (sources_vocabulary, folded_texts, flat_texts):
        cached.cache_clear()
