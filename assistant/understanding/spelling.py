"""Misspelt and homophone-typed questions, corrected before search and the refusal decision.

English: a word the corpus does not know is replaced by the one corpus or glossary word within one
edit (two for long words) — rapidfuzz's optimal string alignment distance, so a swapped pair
("modle") is one edit. A real English word is never "corrected" just because the plan does not use it
("share", "yearly"): pyspellchecker's English dictionary (shipped in its wheel) decides what is a word. Words the out-of-scope list names ("visa", "bitcoin") are never corrected:
they must still lead to a refusal. Chinese: a run of characters that reads, in toneless pinyin
(pypinyin), exactly like a multi-character plan term but is written differently is that term
(住房不贴 -> 住房补贴), the way a pinyin input method mistypes; a character that looks like the term's (a
reviewed table of look-alikes, `near_forms` in corpus/frame.yaml: 卷/券) counts as the term's, at most one per
term and never the only one kept (算力卷 -> 算力券, 模形卷 -> 模型券: a homophone and a look-alike).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

from assistant.knowledge.claims import fold
from assistant.understanding.text import EN_STOPWORDS, to_traditional, word_edges

_WORD = re.compile(r"[A-Za-z]{4,}")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
MIN_SAME_CHARS = 0.5   # a homophone fix must keep at least half the characters (a look-alike counts as kept)
MAX_NEAR_FORMS = 1     # look-alike characters in one corrected term


@lru_cache(maxsize=1)
def _english() -> SpellChecker:
    return SpellChecker(language="en")


@lru_cache(maxsize=4096)
def _pinyin(text: str) -> tuple[str, ...]:
    # imported here: pypinyin takes over a second to import; loaded on first use
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text))


class Speller:
    def __init__(self, vocabulary: set[str], zh_terms: list[str], protected: set[str],
                 near_forms: list[str] | None = None) -> None:
        """``near_forms``: groups of characters that look alike ("券卷"), each a string."""
        self._alike = {c: set(group) - {c} for group in near_forms or [] for c in group}
        self._protected = {w.lower() for w in protected}
        words = {w for w in vocabulary if w.isascii() and w.isalpha() and len(w) >= 4}
        self._known = words | self._protected | set(EN_STOPWORDS)
        self._by_len: dict[int, list[str]] = {}
        for w in words:
            self._by_len.setdefault(len(w), []).append(w)
        # longest terms first, so 住房补贴 wins over 补贴
        self._zh = sorted({t for t in zh_terms if len(t) >= 3 and _CJK_RUN.fullmatch(t)}, key=len, reverse=True)
        self._zh_py = {t: _pinyin(t) for t in self._zh}

    def correct(self, text: str) -> str:
        text = _WORD.sub(self._word, text)
        return self.correct_chinese(text)

    def correct_chinese(self, text: str) -> str:
        """Only the Chinese runs corrected (the plan's terms typed by sound or by a look-alike)."""
        return _CJK_RUN.sub(lambda m: self._homophones(m.group()), text)

    @lru_cache(maxsize=4096)
    def _fix(self, word: str) -> str | None:
        low = word.lower()
        if low in self._known or low.rstrip("s") in self._known or low in _english():
            return None
        limit = 1 if len(low) <= 6 else 2
        best, ties = None, 0
        for n in range(len(low) - limit, len(low) + limit + 1):
            for cand in self._by_len.get(n, ()):
                d = OSA.distance(low, cand, score_cutoff=limit)
                if d <= limit and (best is None or d < best[0]):
                    best, ties = (d, cand), 1
                elif best is not None and d == best[0]:
                    ties += 1
        return best[1] if best and ties == 1 else None   # an ambiguous guess is no correction

    def _word(self, m: re.Match[str]) -> str:
        fixed = self._fix(m.group())
        return fixed if fixed else m.group()

    def _homophones(self, run: str) -> str:
        if len(run) < 3:
            return run
        py = _pinyin(run)
        if len(py) != len(run):
            return run
        out = list(run)
        simple = fold(run)  # a term written in Traditional (住房補貼) is the term, not a typo of it
        # a span starting or ending inside a word of the text is no typo of a term: 人才方面 holds 人才方, which
        # sounds like 人才房, but 方面 is a word of its own
        edges = word_edges(simple)
        for term in self._zh:
            tp, n = self._zh_py[term], len(term)
            for i in range(len(run) - n + 1):
                window = "".join(out[i:i + n])
                if window == term or simple[i:i + n] == term or i not in edges or i + n not in edges:
                    continue
                if self._reads_as(fold(window), py[i:i + n], term, tp):
                    # in the script it was typed in: 數據語料卷 -> 數據語料券
                    written = to_traditional(term) if fold(window) != window else term
                    out[i:i + n] = written if len(written) == n else term
        return "".join(out)

    def _reads_as(self, window: str, wp: tuple[str, ...], term: str, tp: tuple[str, ...]) -> bool:
        """Every character is the term's, sounds like it or looks like it; at least half are the term's own or
        look-alikes, at most MAX_NEAR_FORMS look-alikes, and one at least is the term's own."""
        same = alike = 0
        for a, b, pa, pb in zip(window, term, wp, tp):
            if a == b:
                same += 1
            elif b in self._alike.get(a, ()):
                alike += 1
            elif pa != pb:
                return False
        return same >= 1 and alike <= MAX_NEAR_FORMS and same + alike >= MIN_SAME_CHARS * len(term)
