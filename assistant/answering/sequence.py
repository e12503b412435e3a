"""Steps and their order.

- **Reversed**: "计划会先在全市铺开，之后再集中在南山、龙岗" where the cited clause says 首先依托南山、龙岗…再向全市拓展. A
  sentence with a first-step word and a later-step word after it names two steps; a cited sentence naming two steps
  the same way gives their order. The statement's order is reversed when its first step shares more words with the
  source's later step and its later step more with the source's first (a step said in other words shares none, and
  is not judged).
- **Imposed** (support.yaml `order`): a prerequisite said as such ("only after", "before you can", 应当先, 住满后才能,
  先…才, 先X再Y, "first …, then …") claims one step must come before another. The cited sentence that says most of
  the statement must state an order too (a `given` word: 首先, 再, then); "先租住过渡性住房…住满后才能改领住房补贴"
  where the clause offers the housing or the subsidy as a choice imposes an order it does not."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

from pydantic import BaseModel, Field

from assistant.answering.statements import CITE_MARK, sentences
from assistant.knowledge.claims import Terms, fold

# words of order: a first step (先, not 优先, 先进), a later one
_FIRST = re.compile(r"首先|第一步|(?<![优首率领预事])先(?![进行锋导例])|(?<![a-z])(?:first|initially)(?![a-z])")
_THEN = re.compile(r"之后|然后|随后|其次|再|(?<![a-z])(?:then|after that|later|afterwards)(?![a-z])")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_EN_WORD = re.compile(r"[a-z]{4,}")


def _units(text: str) -> set[str]:
    """Its Chinese character pairs and English words: what two steps may share."""
    out = {w for w in _EN_WORD.findall(text)}
    for run in _CJK_RUN.findall(text):
        out |= {run[i:i + 2] for i in range(len(run) - 1)}
    return out


def _steps(folded: str) -> tuple[set[str], set[str], str] | None:
    first = _FIRST.search(folded)
    then = _THEN.search(folded, first.end()) if first else None
    if first is None or then is None:
        return None
    return _units(folded[first.end():then.start()]), _units(folded[then.end():]), f"{first.group()}…{then.group()}"


def reversed_steps(answer: str, sources: Sequence[str]) -> tuple[str, str] | None:
    """(sentence, its order words): a sentence of ``answer`` stating two steps in the reverse of a cited
    sentence's order (None: none)."""
    given = []
    for text in sources:
        low = fold(text)
        given += [s for a, b in sentences(low) if (s := _steps(low[a:b]))]
    if not given:
        return None
    for a, b in sentences(answer):
        said = _steps(fold(CITE_MARK.sub(" ", answer[a:b])))
        if said is None:
            continue
        first, later, words = said
        for src_first, src_later, _ in given:
            if len(first & src_later) > len(first & src_first) and len(later & src_first) > len(later & src_later):
                return answer[a:b].strip(), words
    return None


# a gate after an earlier step (住满后才能, 先…才可以, Cantonese 之后先至可以): 才 not of a word for people (人才, 英才)
_GATE_ZH = r"(?:(?<![人英天口奇将干])(?:才|方)(?:能|可|会|有|获|领|给|申请)|先至|先(?:可以|能够|能|会))"
_FIRST_ZH = r"(?:先(?!进(?!行)|锋|导|例)|后|以后|之后|满|完成)"
# two steps in an order: 先X，再Y; "first X, then Y"
_THEN_AFTER_FIRST = (r"(?<![优首率领预事])先(?!进(?!行)|锋|导|例)[^。；;!?！？]{1,24}?(?:再|然后|之后)"
                     r"|(?<![a-z])first(?![a-z])[^.;!?]{1,60}?(?<![a-z])then(?![a-z])")
# a share of a statement's words in one cited sentence making it the sentence it restates
ORDER_MATCH = 0.3


class OrderSpec(BaseModel):
    claims: Terms = Field(default_factory=Terms, description="Words claiming one step must come before another "
                          "(only after, before you can, 应当先, 须先); a first-step word (先, 后) with 才能 after it is one too.")
    given: Terms = Field(default_factory=Terms, description="Words by which a cited sentence states an order "
                         "(首先, 再, then, after).")
    alternative: Terms = Field(default_factory=Terms, description="Words of a sentence offering a choice (或, or): "
                               "a plain first…then between its things orders a choice; between things given together "
                               "it only tells them in turn.")

    @cached_property
    def claim_rx(self) -> re.Pattern[str]:
        words = sorted({fold(w) for w in self.claims.en + self.claims.zh if w.strip()}, key=len, reverse=True)
        # a Chinese term ending with 先 is not the 先 of 先进 (advanced), 先锋, 先导
        terms = [(re.escape(w) + (r"(?!进(?!行)|锋|导|例)" if w.endswith("先") else ""))
                 if re.search(r"[\u3400-\u9fff]", w) else rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in words]
        return re.compile("|".join([*terms, _FIRST_ZH + r"[^。；;!?！？]{0,24}?" + _GATE_ZH, _THEN_AFTER_FIRST]))

    @cached_property
    def alternative_rx(self) -> re.Pattern[str] | None:
        words = sorted({fold(w) for w in self.alternative.en + self.alternative.zh if w.strip()}, key=len, reverse=True)
        return re.compile("|".join(re.escape(w) if re.search(r"[\u3400-\u9fff]", w)
                                   else rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in words)) if words else None

    @cached_property
    def given_rx(self) -> re.Pattern[str] | None:
        words = sorted({fold(w) for w in self.given.en + self.given.zh if w.strip()}, key=len, reverse=True)
        return re.compile("|".join(re.escape(w) if re.search(r"[\u3400-\u9fff]", w)
                                   else rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in words)) if words else None


def imposed_order(part: str, statement: str, sources: Sequence[str], spec: OrderSpec) -> str | None:
    """The words of ``statement`` (a clause of ``part``, both folded) claiming one step must come before another
    (the first step may be said in an earlier clause of ``part``), when the cited sentence that says most of ``part``
    states no order (None: no such claim, or the sources state an order)."""
    if not spec.claims.en and not spec.claims.zh:
        return None
    at = part.find(statement)
    m = next((m for m in spec.claim_rx.finditer(part) if at <= m.end() - 1 < at + len(statement)), None) \
        if at >= 0 else spec.claim_rx.search(statement)
    if m is None:
        return None
    units = _units(CITE_MARK.sub(" ", part))
    best, share = "", 0.0
    for text in sources:
        low = fold(text)
        for a, b in sentences(low):
            s = len(units & _units(low[a:b])) / (len(units) or 1)
            if s > share:
                best, share = low[a:b], s
    if share >= ORDER_MATCH and spec.given_rx is not None and spec.given_rx.search(best):
        return None
    # 「先攞A，跟住再攞B」, "first A, then B" without a gate (才, only): an order of telling, a claim only where the
    # sentence it restates offers the two as a choice (relations.py judges "both" of a choice)
    if share >= ORDER_MATCH and _PLAIN.fullmatch(m.group()) and not _GATED.search(m.group()) \
            and not (spec.alternative_rx is not None and spec.alternative_rx.search(best)):
        return None
    return m.group()


_PLAIN = re.compile(_THEN_AFTER_FIRST)
_GATED = re.compile(_GATE_ZH + r"|(?<![a-z])(?:only|must|need|needs|have to|has to)(?![a-z])")
