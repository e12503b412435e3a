"""Rankings an ask asks for: an order of places, communities or benefits the plan's text never makes.

Mixed into ``FrameRules`` (assistant/understanding/frame.py). A ranking is worded (最好, "rank", a question word
with a superlative) over what may be ranked (places or communities named, in the ask or the lead-in before it),
or a comparative over the places named ("福田同南山，边度嘅住房补贴高啲？"); a choice is a measure only the
founder's situation decides ("选哪个更省钱"). The learned recogniser's ranking head adds those the words miss.
Terms live in corpus/frame.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.knowledge.claims import Matcher, Mention
from assistant.understanding.clauses import offers_options
from assistant.understanding.objects import ranks_a_thing
from assistant.understanding.questions import own_money

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules

# Declaring a ranking declines the answer, so the recogniser's ranking reading must be surer than its parts'.
RANKING_MIN = 0.75
_CHOOSING = re.compile(r"哪|边|\bwhich\b|\bwhat\b", re.I)  # a question word choosing among options


class RankingReadings:
    """Whether an ask asks for a ranking ("ranking") or the founder's own choice ("choice")."""

    ranking: Matcher
    superlative: Matcher
    which: Matcher
    ranked: Matcher
    comparative: Matcher
    judging: Matcher
    share_priced: set[str]

    def ranking_asked(self, folded: str, among: str, topic: str | None, claims: ClaimRules | None,
                      expand: Callable[[str], list[str]] | None, part: str | None, sure: float,
                      told: str = "") -> str | None:
        """``folded``: the ask (with its Mandarin reading); ``among``: the folded lead-in naming what it may rank;
        ``part``/``sure``: the recogniser's part and its confidence; ``told``: the whole message."""
        ranks = self.ranking.find(folded) or (self.which.find(folded) and self.superlative.find(folded))
        places = self._ranked(folded) or self._ranked(among)
        ranked = places or (bool(ranks) and ranks_a_thing(self.which, folded, claims, expand))
        # "福田同南山，边度嘅住房补贴高啲？", "南山定龍崗啱我哋多啲？": a comparative over the places named, chosen
        # among by a question word or offered as options
        choosing = bool(self.which.find(folded)) or offers_options(folded, self.ranked)
        compares = bool(places) and choosing and bool(self.comparative.find(folded))
        if (ranks and ranked) or compares:  # "哪个社区租金最便宜": a ranking, its price unstated too
            return "ranking"
        if self.judging.find(folded) and _CHOOSING.search(folded):
            if claims is not None and claims.subjects_in(folded) & self.share_priced and own_money(told or folded):
                return None  # "我每月房租3000元，…哪个更划算": arithmetic on the founder's figure (comparisons.py)
            # "住房补贴和过渡房选哪个更省钱": the founder's own measure; the plan states each, it picks none
            return "choice"
        # the learned reading too: a ranking of places a word compares or chooses among ("龙岗也有吗还是只有南山"
        # ranks nothing), or of nothing named; benefits with figures are compared ("rank the two loans by ceiling")
        worded = ranks or any(w.find(folded) for w in (self.which, self.superlative, self.comparative, self.judging))
        if part == "ranking" and sure >= RANKING_MIN and ((places and worded) or topic is None):
            return "ranking"
        return None

    def _ranked(self, folded: str) -> list[Mention]:
        """Places or communities named as what may be ranked; one named as an owner ("of all the city's vouchers,
        which …") is not: what is ranked is the owner's (benefits whose figures the plan states)."""
        owner = ("'s", "’s")
        return [m for m in self.ranked.find(folded)
                if not folded[m.start:m.end].endswith(owner) and not folded[m.end:].startswith(owner)]
