"""Claims judged by what they govern: obligations and superlatives (data: corpus/support.yaml).

- An **obligation** ("must", 必须, 规定, 须) is a claim about what it obliges. When that is a condition of the
  benefit (who may get it: a degree, an OPC community address), the restriction checks judge it. Otherwise it
  is a duty: it needs a cited sentence stating the same action, and that sentence must not merely encourage,
  support or explore it ("districts must hold monthly roadshows" where the plan encourages regular ones;
  "the company must raise matching funds" where the plan says nothing of the kind).
- A **universal** (每个X都, 每一间公司都) says every one gets it: a cited clause must say 每 of the same kind.
- A **frequency** (每月, 每年, quarterly, once a year) is a claim of how often: a cited sentence about the same
  thing must state a period of the same kind ("每月举办路演" where the plan holds roadshows 定期 is unsupported;
  "每月税前1250元" stays supported where the housing sentence says 每月).
- A **superlative** (最 + what it ranks, "the most …") is a ranking: a cited clause must use the same one
  (最高 and 最长 are the plan's caps; 最重视 ranks what the plan only lists).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.answering.derived import subject_figures
from assistant.answering.statements import CITE_MARK
from assistant.knowledge.claims import fold
from assistant.knowledge.figures import extract_figures
from assistant.understanding.text import without_spans

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules

_CJK_PAIR = re.compile(r"(?=([\u3400-\u9fff]{2}))")
_EN_WORD = re.compile(r"[a-z][a-z'-]*[a-z]")
# of what an obligation says, this share must be in one cited sentence
DUTY_SUPPORTED = 0.5
# of a condition stated as a duty and the words around it, this share in one cited sentence that only encourages
# it makes it an obligation the plan does not impose
CONDITION_ENCOURAGED = 0.3
# of a statement stating a period, this share must be in the cited sentence stating that period: the same thing
PERIOD_SAME_THING = 0.25
_SUPERLATIVE_ZH = re.compile(r"最([\u3400-\u9fff])")
# every one of a kind, all of them (每个项目都, 每一间公司都): a universal claim a cited clause must make of that kind too;
# 每月, 每年 are periods
_UNIVERSAL_ZH = re.compile(r"每一?([个間间家位名项户支队])[\u3400-\u9fffa-z0-9 ]{0,10}?都")
_SUPERLATIVE_EN = re.compile(r"(?<![a-z])(?<!at )most\s+([a-z]{3,})")   # "at most 50 m²" is a cap


def _units(text: str, filler: re.Pattern[str] | None) -> frozenset[str]:
    """Character pairs and English words of ``text`` (filler words left out): what a sentence says."""
    if filler is not None:
        text = filler.sub(lambda m: " " if not _is_zh(m.group()) else m.group(), text)
    words = {w[:6] for w in _EN_WORD.findall(text) if len(w) > 2}
    return frozenset(set(_CJK_PAIR.findall(text)) | words)


def _is_zh(s: str) -> bool:
    return bool(re.search(r"[\u3400-\u9fff]", s))


@lru_cache(maxsize=4096)
def _sentences(source: str, filler: re.Pattern[str] | None) -> tuple[tuple[str, frozenset[str]], ...]:
    """A cited clause's sentences with their units: analysed once per clause text in a running server."""
    return tuple((s, _units(s, filler)) for s in re.split(r"(?<=[。；;！？!?])|(?<=\.)\s+|\n", source) if s.strip())


def _encouraged(sentence: str, units: frozenset[str], encouragement: re.Pattern[str],
                provision: re.Pattern[str] | None) -> bool:
    """The words ``units`` match in ``sentence`` are what it encourages: an encouraging word stands before them
    with no word of provision between ("鼓励各区设立…，定期举办投融资路演"; not "support applications … and
    provide vouchers … to fund model training")."""
    at = [sentence.find(u) for u in units]
    start = min((i for i in at if i >= 0), default=-1)
    before = [m for m in encouragement.finditer(sentence) if m.end() <= start]
    if not before:
        return False
    between = sentence[before[-1].end():start]
    return provision is None or not provision.search(between)


def duty_problem(part: str, sources: list[str], claims: ClaimRules | None, obligation: re.Pattern[str] | None,
                 encouragement: re.Pattern[str] | None, filler: re.Pattern[str] | None,
                 provision: re.Pattern[str] | None = None) -> str | None:
    """What an obligation in ``part`` (folded) obliges, when no cited sentence states it as a duty."""
    if obligation is None:
        return None
    m = obligation.search(part)
    if not m:
        return None
    governed = CITE_MARK.sub(" ", part[m.end():]).strip(" ，。,.")
    if not governed:
        return None
    # a condition of the benefit (a degree, an OPC community address): the restriction checks judge it, unless
    # the sentence it comes from only encourages it ("须集中入驻同一OPC社区" where the plan encourages 集聚入驻)
    condition = claims is not None and (claims.condition_concepts(governed)
                                        or any(claims.flag_says(f, governed) for f in claims.flags))
    # a condition is judged with who is obliged: "同一产业链的企业须…" is the plan's 鼓励同一产业链企业…
    units = _units(CITE_MARK.sub(" ", part) if condition else governed, filler)
    if not units:
        return None
    best, share, have = "", 0.0, frozenset[str]()
    for src in sources:
        for sentence, words in _sentences(fold(src), filler):
            s = len(units & words) / len(units)
            if s > share:
                best, share, have = sentence, s, words
    if share < (CONDITION_ENCOURAGED if condition else DUTY_SUPPORTED):
        return None if condition else part[m.start():].strip(" ，。,.")[:40]
    if encouragement is not None and not obligation.search(best) \
            and _encouraged(best, units & have, encouragement, provision):
        return part[m.start():m.end()]
    return None


def superlative_problem(part: str, sources: list[str], allowed: frozenset[str]) -> str | None:
    """A superlative of ``part`` (folded) no cited source uses (``allowed``: caps and floors, 最高 最多 最长)."""
    srcs = [fold(s) for s in sources]
    for m in _SUPERLATIVE_ZH.finditer(part):
        if m.group() not in allowed and not any(m.group() in s for s in srcs):
            return m.group() + part[m.end():m.end() + 2]
    for m in _SUPERLATIVE_EN.finditer(part):
        word = m.group(1)
        if not any(re.search(rf"(?<![a-z])most\s+{re.escape(word[:5])}", s) for s in srcs):
            return "most " + word
    return None


def universal_problem(part: str, sources: list[str]) -> str | None:
    """"每个X都…" in ``part`` (folded), said of every one of a kind, where no cited source says 每 of that kind."""
    m = _UNIVERSAL_ZH.search(part)
    if m and _DENIED_UNIVERSAL.search(part[max(0, m.start() - 4):m.start()]):
        return None   # "不代表每个项目都能拿到": a universal denied says less than the sources, not more
    if m and not any(re.search("每一?" + m.group(1), fold(s)) for s in sources):
        return m.group()
    return None


def how_often(part: str, sources: list[str], periods: dict[str, re.Pattern[str]],
                      filler: re.Pattern[str] | None, absence: re.Pattern[str] | None = None) -> str | None:
    """A period of ``part`` (folded) no cited sentence about the same thing states (of the same kind: 每个月 is
    每月 is monthly); a denied one ("not monthly", 唔系每月) or one a statement of absence names ("the plan does not
    say how often") claims no period."""
    text = CITE_MARK.sub(" ", part)
    if absence is not None and absence.search(text):
        return None
    for rx in periods.values():
        m = rx.search(text)
        if not m or _DENIED.search(text[max(0, m.start() - 4):m.start()]):
            continue
        # what the period is of, its figures left out ("每月税前一千二百五十元" where the clause writes 1250元): with
        # nothing but figures left, any cited sentence stating the period states it of them
        said = rx.sub(" ", text)
        units = _units(without_spans(said, extract_figures(said), " "), filler)
        if not any(rx.search(sentence) and (not units or len(units & words) / len(units) >= PERIOD_SAME_THING)
                   for src in sources for sentence, words in _sentences(fold(src), filler)):
            return m.group()
    return None


def clear_caches() -> None:
    """Forget the clauses' analysed sentences (benchmarks measure answers on sources never seen)."""
    _sentences.cache_clear()


_BOUNDS_NOT_CLAIMS = frozenset({"prerequisite"})
_FIGURE_AFTER = re.compile(r"\s*\d")
# a denied absolute: 唔係人人, 并非所有, 不是每个, "not everyone", "not all"
_DENIED = re.compile(r"[不唔非没冇未]|(?<![a-z])not\s*$")
_FOUNDER = re.compile(r"(?:你|您|(?<![a-z])you(?:'ve| have)?)[^，。；,;]{0,4}$")
_DENIED_UNIVERSAL = re.compile(r"[不唔非没冇未][^，。；,;]{0,3}$")
def _restricts(claims: ClaimRules, sources: list[str], flags: list[str]) -> bool:
    """The sources set who gets what they give: a condition, or a yes/no condition (in an OPC community)."""
    return bool(claims.condition_concepts(*sources)) or any(claims.flag_says(f, s) for f in flags for s in sources)


def marker_exempt(group: str, folded: str, start: int, end: int, sources: list[str], claims: ClaimRules | None,
                  flags: list[str], eligibility: re.Pattern[str] | None = None,
                  filler: re.Pattern[str] | None = None) -> bool:
    """A claim marker that makes no claim of its kind here: "for as long as 36 months" bounds a figure (no
    precondition); a denied absolute ("not everyone gets it", 唔係人人都有) is true where the sources set who
    gets it; a precondition of meeting the conditions (只要符合条件, "as long as you are eligible") restates a
    clause that makes them its condition (符合条件的, eligible)."""
    if group in _BOUNDS_NOT_CLAIMS and (_FIGURE_AFTER.match(folded, end) or any(
            not folded[end:end + f.start].strip() for f in extract_figures(folded[end:end + 40])[:1])):
        return True   # "for as long as 36 months", "as long as three years": a figure, in digits or words
    if group in _BOUNDS_NOT_CLAIMS and eligibility is not None and _eligible_only(folded[end:], sources, eligibility,
                                                                                 filler):
        return True
    if group == "done" and _FOUNDER.search(folded[max(0, start - 6):start]):
        return True   # 你毕业已7年: the founder's own story, not a deed of the plan
    if group == "per_head" and claims is not None and _distributed(folded, start, end, sources, claims):
        return True
    return group == "absolute" and bool(_DENIED.search(folded[max(0, start - 4):start])) \
        and claims is not None and _restricts(claims, sources, flags)


_CLAUSE_END = re.compile(r"[，。；！？,;!?]")


def _eligible_only(after: str, sources: list[str], eligibility: re.Pattern[str], filler: re.Pattern[str] | None) -> bool:
    """The clause after a precondition word says only that the conditions are met, and a cited clause sets them."""
    rest = _CLAUSE_END.split(after, maxsplit=1)[0]
    if not eligibility.search(rest) or not any(eligibility.search(fold(s)) for s in sources):
        return False
    left = eligibility.sub(" ", rest)
    left = filler.sub(" ", left) if filler is not None else left
    return not re.search(r"[\u3400-\u9fff]|[a-z]{2,}", left)


def _distributed(folded: str, start: int, end: int, sources: list[str], claims: ClaimRules) -> bool:
    """各自 after two or more subjects of its clause (「模型券同数据语料券各自最高200万」): the figure after it is
    each one's, not each person's; true where the sources give every one of them that figure."""
    lo = max(folded.rfind(c, 0, start) for c in "，,；;。") + 1
    names = claims.subjects_in(folded[lo:start])
    figs = extract_figures(folded[end:end + 30])[:1]
    return len(names) >= 2 and bool(figs) and all(
        any(b.figure.value == figs[0].value and b.figure.unit == figs[0].unit
            for b in subject_figures(tuple(sources), claims, n)) for n in names)
