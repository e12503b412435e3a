"""Figures an answer grounds itself, or the question grounds: no cited clause needs to hold them.

- a count of the items the answer then enumerates ("有两个选择：A；或者B", "two routes: …", "有两层支持。一是…二是…"):
  the count says no more than the items, which are checked one by one;
- the last year a validity covers, from the start year and the validity the answer states ("2026年1月1日起施行，
  有效期两年，即涵盖2026和2027两年");
- a figure of the founder's own story the question tells ("我毕业三年了" → "你毕业三年"), said to the founder.

Words (the ordinals, the validity and addressee words) are reviewed data: corpus/support.yaml `arithmetic`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answering.statements import sentences, spell_out
from assistant.knowledge.claims import fold
from assistant.knowledge.figures import Figure, extract_figures

# where the items of an enumeration are cut: parts (；;) when it has them, else clauses (，,、)
_PARTS = re.compile(r"[；;]")
# 以及 / "as well as" join the last item of a list wherever they stand ("A、B以及C" is three); 和 / "and" may
# join words inside an item
_CLAUSES = re.compile(r"(?i)[，、]|以及|\bas well as\b|,(?![0-9]{3})")
_COLON = re.compile(r"[：:](?![0-9])")
# where the items of a list are cut when its clauses say more of one item ("A、B，同埋C，每个…"): 、 and a
# connective opening a clause (，同埋 / ，以及 / ", and" / ", or" / 或者); "either" opening the list is its frame
_ITEMS = re.compile(r"(?i)、|以及|\bas well as\b|[，,]\s*(?:以及|同埋|和|及|或者|或是|或|还有|還有|仲有|and|or|plus)(?![a-z])")
# a list quoted right after the colon (：「A、B、C」，以…) ends where its quotation closes
_QUOTED = re.compile(r"\s*[「“『\"]([^」”』\"]*[、，,][^」”』\"]*)[」”』\"]")
_LAST_JOIN = re.compile(r"(?i)(?<=[a-z0-9])\s(?:and|or)\s+(?=[a-z])|(?<=[\u3400-\u9fff])(?:和|及|与|與|或者|或|同埋)(?=[\u3400-\u9fff])")
_EITHER = re.compile(r"^\s*(?:either|要么|要不)\s*", re.I)
_CITE = re.compile(r"\[\d{1,3}\]")
_ZH_CHAR = re.compile(r"[\u3400-\u9fff]")
_EN_WORD = re.compile(r"[A-Za-z]+")
# how much a sentence stating a count may say after it ("routes are mentioned", 項): the count and what it counts
COUNT_TAIL_ZH, COUNT_TAIL_EN = 4, 3


def _sentence(text: str, pos: int) -> tuple[int, int]:
    return next(((a, b) for a, b in sentences(text) if a <= pos < b), (0, len(text)))


def enumerated(fig: Figure, answer: str, ordinal_at: Callable[[str], int], filler: re.Pattern[str] | None = None) -> bool:
    """The count ``fig`` is the number of items the answer enumerates right after it: after a colon in its own
    sentence, or in the sentences that follow, each opening with an ordinal (一是, 第二, "second"). ``filler``: words
    that say nothing (support.yaml), left out of what the count's sentence may say ("two options for young founders")."""
    if fig.kind != "count" or not 2 <= fig.value <= 20 or fig.value != int(fig.value):
        return False   # a count of items an answer lists (never inf or a huge number from hostile input)
    n = int(fig.value)
    _, hi = _sentence(answer, fig.start)
    colon = _COLON.search(answer, fig.end, hi)
    if colon:
        listed = _CITE.sub("", answer[colon.end():hi])
        quoted = _QUOTED.match(listed)
        return n in _items((quoted.group(1) if quoted else listed).strip(" 。.!！"))
    following = [answer[a:b].strip() for a, b in sentences(answer) if a >= hi]
    seen = [ordinal_at(s) for s in following[:n + 1]]
    if seen[:n] == list(range(1, n + 1)) and (len(seen) == n or seen[n] == 0):
        return True
    # "two routes [1]. One is …; the other is …", 「有兩項。A；B。」: a sentence saying no more than the count,
    # then one sentence of exactly that many parts, or exactly that many sentences, the rest of the answer
    tail = fold(_CITE.sub("", answer[fig.end:hi]))
    tail = filler.sub(" ", tail) if filler is not None else tail
    said = len(_ZH_CHAR.findall(tail)) <= COUNT_TAIL_ZH and len(_EN_WORD.findall(tail)) <= COUNT_TAIL_EN
    rest = _CITE.sub("", following[0]).strip(" 。.!！；;") if following else ""
    if said and (len(following) == n or n in _items(rest)):
        return True
    return _said_again(fig, answer, ordinal_at, filler)


def _items(rest: str) -> set[int]:
    """How many items the list ``rest`` may be read as: its parts (；), else its clauses, or its items cut at
    、 and at a connective opening a clause (a clause without one says more of the item before it)."""
    if _PARTS.search(rest):
        return {len([p for p in _PARTS.split(rest) if p.strip()])}
    rest = _EITHER.sub("", rest)
    out: set[int] = set()
    for cut in (_CLAUSES, _ITEMS):
        pieces = [p for p in cut.split(rest) if p.strip()]
        # "A, B, C and D", 「A、B、C和D」: a connective inside the last piece of a list joins its last item
        out.add(len(pieces) + (len(pieces) >= 2 and bool(_LAST_JOIN.search(pieces[-1]))))
    return out


def _said_again(fig: Figure, answer: str, ordinal_at: Callable[[str], int], filler: re.Pattern[str] | None) -> bool:
    """「兩項可唔可以同時攞」 after 「有兩項：A；B」: the count said again, with its counter, of the items an earlier
    count of the answer enumerates."""
    said = _counted(answer, fig)
    return any(f.end <= fig.start and _counted(answer, f) == said and enumerated(f, answer, ordinal_at, filler)
               for f in extract_figures(answer[:fig.start]) if f.kind == fig.kind and f.value == fig.value)


def _counted(answer: str, fig: Figure) -> str:
    """A count with its counter (两项, "two options"): the figure's text and, where that is a bare numeral, the
    character or word after it."""
    text = fold(answer[fig.start:fig.end])
    if re.search(r"[a-z]", text):
        m = re.match(r"\s*([a-z]+)", fold(answer[fig.end:]))
        return f"{text} {m.group(1) if m else ''}"
    return text if len(text) > 1 else text + fold(answer[fig.end:fig.end + 1])


def end_year(fig: Figure, answer: str, validity: Callable[[str], bool]) -> bool:
    """The year ``fig`` is the last a validity covers: a start year and a validity of whole years stated before
    it in the same sentence, the validity named as such (有效期, "valid for")."""
    if fig.unit != "year":
        return False
    lo, _ = _sentence(answer, fig.start)
    before = [f for f in extract_figures(answer[lo:fig.start])]
    starts = [int(f.value // 10000) if f.unit == "date" else int(f.value) for f in before
              if f.unit in ("date", "year") and f.kind == "date" and f.value < 1e9]
    spans = [f for f in before if f.kind == "duration" and f.unit == "month" and f.value % 12 == 0]
    if not starts or not spans or not validity(fold(answer[lo:fig.start])):
        return False
    return any(fig.value == s + d.value // 12 - 1 for s in starts[:1] for d in spans if d.value < 1200)


def told_by_question(fig: Figure, answer: str, question: str, addressed: Callable[[str], bool]) -> bool:
    """``fig`` is a figure the question states, said back to the founder (a sentence addressing them):
    the founder's own story ("我毕业三年了"), not a figure of the plan."""
    if not question:
        return False
    a, b = _sentence(answer, fig.start)
    said = _before(answer, fig.start)
    return bool(said) and addressed(fold(answer[a:b])) and any(
        _before(q_text, q.start) == said for q_text in [re.sub(r"第(?=\d)", "", spell_out(question))]   # 第7年: 7 years
        for q in extract_figures(q_text)
        if q.kind == fig.kind and q.unit == fig.unit and q.value == fig.value)


def _before(text: str, at: int) -> str:
    """What a figure is a figure of: the two characters or the word right before it (毕业 in 毕业三年)."""
    head = re.sub(r"(?:已经|已|经已|都|有|第)+$", "", fold(text[:at]).rstrip())   # 毕业已(经第)7年: 毕业
    m = re.search(r"([\u3400-\u9fff]{2})$|([a-z]+)$", head)
    return m.group() if m else ""


# "这两项", "these two", "两项加起来": the two things just named, pointed back at (a demonstrative before the
# count, or a total word after it adding them up) — no count of the plan's
_POINTED = re.compile(r"(?:这|這|那|呢|此|该|該|these|those|the)\s*$", re.I)
_ADDED = re.compile(r"^\s*(?:[项項个個样樣者笔筆]\s*)?(?:加起来|加起來|加埋|相加|合计|合計|合共|一共|总共|總共|combined|added together|together)", re.I)


def pointed_back(fig: Figure, answer: str) -> bool:
    """``fig`` is 2 said of the two things the answer names before it, pointed back at."""
    return fig.kind == "count" and fig.value == 2 and fig.start > 0 and bool(
        _POINTED.search(answer[max(0, fig.start - 6):fig.start]) or _ADDED.match(answer[fig.end:fig.end + 8]))
