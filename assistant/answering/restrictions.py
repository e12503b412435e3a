"""Restrictions judged by what they restrict (data: corpus/support.yaml `restriction`, `leading`).

A restriction ("only", 仅限, 只係, 必须, "requires", "at least", 前提是) claims the benefit is limited to what follows
it, up to the end of its clause: the restricted phrase. A cited clause must state that limit:
- the phrase is supported word for word: every Chinese character pair, every English content word of it is in the
  sources (the claims.yaml and `equivalents` synonyms count), not merely no run of three unknown characters
  ("只係支持深圳本地大學嘅人才" where the clause supports 高校人才: 本地 is a restriction of its own);
- an exclusive one ("only", 仅限: support.yaml `exclusive`) keeps no proper part of a list the clause enumerates
  ("仅限高校" where the clause supports 高校、科研机构和企业; assistant/answering/enumerations.py). An obligation
  ("must be used for model training", the clause's uses being training, agents and API calls) claims no
  exclusivity: the duty check (assistant/answering/modality.py) judges what it obliges;
- a leading role (牵头, "led by") is a restriction on who may take part: a cited clause must give one.
True restrictions pass: "分档落户补贴仅限新引进的博士、硕士、学士" restates the clause's whole list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.answering.enumerations import Stem, kept_subset
from assistant.answering.statements import CITE_MARK
from assistant.knowledge.claims import fold
from assistant.knowledge.figures import extract_figures

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assistant.answering.support import SupportRules
    from assistant.knowledge.claims import ClaimRules
    from assistant.knowledge.facts import Fact

_CJK = re.compile(r"[\u3400-\u9fff]")
_EN_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]")
_AND_WORD = re.compile(r"(?<![a-z])(?:and|or)\s+[a-z][a-z'’-]*")
_CLAUSE_END = re.compile(r"[，。；！？,;!?]")
# how much of an English restricted phrase names what it keeps (its clause may run on past commas): a list item
# further on is not what the restriction keeps
HEAD_EN = 4


def _head(phrase: str, filler_stems: frozenset[str], stem: Stem) -> str:
    """What a restriction keeps: its Chinese clause, or its first English content words."""
    if _CJK.search(phrase):   # a Chinese clause is short: all of it, with the whole of a list it holds
        return _CLAUSE_END.split(phrase, maxsplit=1)[0]
    words = [m for m in _EN_WORD.finditer(phrase) if stem(m.group()) not in filler_stems]
    if len(words) < HEAD_EN:
        return phrase
    end = words[HEAD_EN - 1].end()
    closing = _AND_WORD.search(phrase, end) if "," in phrase[:end] else None   # "doctoral, master's, and bachelor's"
    return phrase[:closing.end() if closing else end]


def restriction_problem(statement: str, part: str, sources: list[str], rules: SupportRules, stem: Stem,
                        unsupported: Callable[[str], str | None]) -> str | None:
    """What a restriction of ``statement`` (one clause of the sentence part ``part``) keeps that no cited source
    states as a limit; None when it states none or the sources do. ``unsupported``: the words of a text the sources
    lack, word for word. The list a restriction keeps may run on past the clause ("only doctoral, master's and
    bachelor's holders": English commas cut clauses), so it is read in ``part``."""
    folded = fold(CITE_MARK.sub(lambda c: " " * len(c.group()), statement))   # offsets kept: read again in ``part``
    if rules.leading is not None:
        lead = rules.leading.search(folded)
        if lead and not any(rules.leading.search(fold(s)) for s in sources) \
                and not _guided(folded, lead, sources, rules, stem):
            return lead.group()
    m = rules.restriction.search(folded) if rules.restriction is not None else None
    if not m:
        return None
    phrase = folded[m.end():].strip(" ，。,.;；")
    if not phrase or rules.reporting is not None and rules.reporting.match(phrase):
        return None   # "it only says …": a claim about the text, its words checked as any other
    if any(f.start == 0 for f in extract_figures(phrase)):
        return None   # "at least 10,000 m²" bounds a figure: the figure and claim checks judge it
    if rules.exclusive is not None and rules.exclusive.fullmatch(m.group()):
        at = part.find(statement)
        rest = fold(CITE_MARK.sub(" ", part[at + m.end():] if at >= 0 else phrase))
        kept = kept_subset(_head(rest, rules.filler_stems, stem), sources, rules.filler, rules.filler_stems, stem)
        if kept:
            return f"{m.group()} {kept}"
    novel = unsupported(phrase)
    return f"{m.group()} {novel}" if novel else None


_LEADER_EN = re.compile(r"\s*([a-z][a-z'’-]*)")
_LEADER_ZH = re.compile(r"([\u3400-\u9fff]{2,4}?)[为為]?$")
GUIDED_REACH = 3   # words (English) or characters (Chinese, also after 为) between a guidance word and who guides


def _guided(folded: str, lead: re.Match[str], sources: list[str], rules: SupportRules, stem: Stem) -> bool:
    """"A system led by funds" where a cited clause says "guided by funds" (以基金为引导): what leads is what the
    clause says guides, not a party given a leading role."""
    if rules.guidance is None:
        return False
    if _CJK.search(lead.group()):   # 以基金为主导: who leads stands before the word
        m = _LEADER_ZH.search(re.sub(r"^.*[以由]", "", folded[max(0, lead.start() - 6):lead.start()]))
        leader = m.group(1) if m else ""
        return bool(leader) and any(leader in fold(s)[max(0, g.start() - len(leader) - GUIDED_REACH):g.start()]
                                    for s in sources for g in rules.guidance.finditer(fold(s)))
    words = [stem(w) for w in _EN_WORD.findall(folded[lead.end():])[:GUIDED_REACH]]
    leader = next((w for w in words if w not in rules.filler_stems), None)
    return leader is not None and any(
        leader in [stem(w) for w in _EN_WORD.findall(fold(s)[g.end():])[:GUIDED_REACH]]
        for s in sources for g in rules.guidance.finditer(fold(s)))


def narrowed_family(part: str, sources: list[str], claims: ClaimRules | None, rules: SupportRules) -> str | None:
    """A restriction ("only", 仅限) keeping some of the conditions a cited clause lists together (support.yaml
    `families` of claims.yaml concepts: "only PhD holders" where the clause names PhD, master's and bachelor's
    holders, in whatever words)."""
    if claims is None or rules.restriction is None:
        return None
    m = rules.restriction.search(fold(part))
    if not m:
        return None
    said = claims.condition_concepts(part)
    listed = claims.condition_concepts(*sources)
    for family in rules.spec.families.values():
        kept, offered = said & set(family), listed & set(family)
        if kept and kept < offered:
            return part[m.start():m.end()] + " " + ", ".join(sorted(kept))
    return None


# what a qualifier qualifies, right after it: 留学**青年人才**, "overseas-educated **young talents**"
_QUALIFIED_ZH = re.compile(r"[\u3400-\u9fff]{0,4}?(?:人才|人员|毕业生|创业者|团队|学生)")
_QUALIFIED_EN = re.compile(r"[\s-]*((?:[a-z][a-z'’-]*\s+){0,2}?(?:talents?|people|persons?|graduates?|founders?|"
                           r"entrepreneurs?|teams?|students?))(?![a-z])")


def dropped_qualifier(statement: str, sources: Sequence[str], facts: Sequence[Fact], claims: ClaimRules,
                      titles: Sequence[str] = (), sentence: str = "") -> str | None:
    """Who a benefit is for, named without the yes/no condition that defines them in its record ("startup funding
    for eligible young talents" where the clause and record give it to overseas-educated young talents): the
    words the cited clause puts right after the condition's term, in ``statement`` without any term of it. A
    condition the cited document's title names (AI, in an AI plan) goes without saying, and so does one said in
    another clause of the statement's ``sentence`` ("Inside OPC communities, spaces are offered sized to …")."""
    folded = fold(CITE_MARK.sub(" ", statement)) + " " + " ".join(fold(t) for t in titles)
    said_in = folded + " " + fold(CITE_MARK.sub(" ", sentence))
    named = claims.subjects_in(folded)
    for fact in facts:
        if fact.subject not in named:
            continue
        for c in fact.conditions:
            spec = claims.spec.flags.get(c.field)
            if spec is None or c.value is not True or c.op != "eq":
                continue
            terms = [fold(t) for t in spec.asserts.en + spec.asserts.zh]
            words = {w for t in terms for w in re.findall(r"[a-z]{5,}|[\u3400-\u9fff]{2,}", t)}
            if any(w in said_in for w in words) or any(
                    re.search(r"(?<![a-z])" + re.escape(t) + r"(?![a-z])", said_in) for t in terms):
                continue   # the condition is said, in any of its words ("overseas-returned")
            for src in sources:
                low = fold(src)
                for t in terms:
                    at = low.find(t)
                    rx = _QUALIFIED_ZH if _CJK.search(t) else _QUALIFIED_EN
                    m = rx.match(low, at + len(t)) if at >= 0 else None
                    head = (m.group(1) if m and m.groups() else m.group() if m else "").strip()
                    if head and re.search(r"(?<![a-z])" + re.escape(head) + r"(?![a-z])", folded):
                        return head
    return None
