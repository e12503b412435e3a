"""What an ask asks for — its object — read from where it stands in the ask, not from a list of topics.

An extractive answer is an answer only when the sources in scope provide the ask's object. The object of
"政府有冇招聘補貼？" is a *hiring* subsidy: "补贴" is a generic head, "招聘" qualifies it. The plan has
subsidies, so the nearest clause reads well; but no clause uses "招聘", so it provides no hiring subsidy. The
words that mark heads, where a qualifier starts and who a benefit is for are data (corpus/objects.yaml); what
the object's words are is read from each ask, and whether the sources use them from their vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from assistant.knowledge.claims import Matcher, fold
from assistant.knowledge.rules_file import read_rules
from assistant.settings import corpus_folder
from assistant.understanding.questions import Terms
from assistant.understanding.text import tokenize

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules

ZH_SPAN = 10  # characters read back from a head: a qualifier is a few words ("给创业者孩子上学的学位")
EN_SPAN = 3  # words read either side of a head ("electricity bill subsidy", "subsidy for hiring staff")
_PUNCT = re.compile(r"[，,。.？?！!；;：:、\n（）()“”\"—–-]")


class ObjectSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    heads: Terms
    bounds: Terms
    beneficiaries: Terms


class ObjectReader:
    def __init__(self, spec: ObjectSpec) -> None:
        self.heads = Matcher([("head", t, False) for t in spec.heads.all()])
        self.bounds = Matcher([("bound", t, False) for t in spec.bounds.all()])
        self.beneficiaries = Matcher([("beneficiary", t, False) for t in spec.beneficiaries.all()])

    def qualifiers(self, text: str) -> list[str]:
        """The words qualifying each generic head of the ask: in Chinese the words before it back to a
        question word or a verb of giving; in English up to three words before it and after its "for"."""
        folded = fold(text)
        out = []
        for head in self.heads.find(folded):
            if re.search(r"[\u4e00-\u9fff]", folded[head.start:head.end]):
                start = max(0, head.start - ZH_SPAN)
                window = _PUNCT.split(folded[start:head.start])[-1]
                cut = [b.end for b in self.bounds.find(window)]
                out.append(window[max(cut, default=0):])
            else:
                before = _PUNCT.split(folded[:head.start])[-1].split()
                words: list[str] = []
                for w in reversed(before[-EN_SPAN:]):
                    if self.bounds.find(w):
                        break
                    words.insert(0, w)
                after = _PUNCT.split(folded[head.end:])[0].split()
                if after[:1] in (["for"], ["to"], ["on"]):
                    words += after[1:1 + EN_SPAN]
                out.append(" ".join(words))
        return [q for q in out if q.strip()]

    def beneficiaries_named(self, text: str) -> list[str]:
        """Family members the ask names as who a benefit is for ("give my spouse a hukou")."""
        folded = fold(text)
        words = set(tokenize(folded, drop_stopwords=False))  # a word of the ask, not inside one: 国家人工智能 has no 家人
        found = [folded[m.start:m.end] for m in self.beneficiaries.find(folded)]
        return [f for f in found if not re.match(r"[\u4e00-\u9fff]", f) or f in words]


_ONE = {"one", "ones", "single", "of", "them", "is", "are"}


def ranks_a_thing(which: Matcher, folded: str, claims: ClaimRules | None,
                  expand: Callable[[str], list[str]] | None) -> bool:
    """"哪家银行…最好批": what a "which" asks about is a thing, not a benefit or term of the plan (a claims subject,
    a glossary term, a generic head such as 补贴), which a list of the plan's benefits would answer."""
    reader = load_object_reader(corpus_folder() / "objects.yaml")
    for m in which.find(folded):
        noun = named_after(folded, m.end)
        words = noun.split()
        if folded[m.start:m.end].endswith(("里", "where")) or not tokenize(noun) or set(words) <= _ONE or \
                bool({"one", "ones"} & set(words)):
            # "哪里申请最快" asks where, not which thing; "which (single) one (has …)" points back to what it named
            continue
        if not ((claims is not None and claims.subjects_in(noun)) or (expand is not None and expand(noun))
                or (reader is not None and reader.heads.find(noun))):
            return True
    return False


def named_after(folded: str, end: int) -> str:
    """The thing a "which" word at ``end`` asks about: "哪家银行的…" -> "银行", "which bank approves" -> "bank approves";
    empty when the ask goes straight on ("哪一个最适合…")."""
    rest = _PUNCT.split(folded[end:])[0]
    if re.match(r"[\u4e00-\u9fff]", rest):
        return re.split(r"的|最|更|比|给|有|是|会|能|可|在|去|对|跟|和", rest, maxsplit=1)[0][:4]
    return " ".join(re.findall(r"[a-z]+", rest)[:2])  # "which single benefit": a word may qualify the noun


@lru_cache(maxsize=4)
def load_object_reader(path: Path) -> ObjectReader | None:
    """The reader of corpus/objects.yaml; None when the corpus folder has none (no object is judged)."""
    if not path.is_file():
        return None
    return read_rules(path, ObjectSpec, "the ask-object terms", ObjectReader)
