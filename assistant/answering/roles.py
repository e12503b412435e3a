"""Who does a thing and where it is: an actor or a place an answer binds to what a cited sentence states.

- **Actor** (`actor_verbs`, `by`): who sets up, provides or funds a thing ("the national guiding fund will set up
  seed funds in each district", 由市政府设立天使基金) must be who the cited sentence stating that thing names (it
  encourages the districts to). The thing is the words after the verb (before 由/"by" in the passive); the
  sentences of the sources holding most of them are where it is stated, and the actor's words must be theirs.
  Only an actor the sources name (a fund another sentence names) is judged; one no source names, or one they
  leave open (the plan, the city, "it": `generic`), is left to the word checks: a paraphrase of who (市与区合力
  for 市区联动) is no other actor.
- **Place** (`locative`): a place bound to a thing by a locative word ("located in Qianhai", 设在前海, 喺南山)
  must be bound to it by a cited sentence: one naming the place must hold most of what the answer places there.
  A place no source names is `gate.place_problems`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.answering.statements import sentences
from assistant.answering.vocabulary import terms_pattern
from assistant.knowledge.claims import Terms, fold

if TYPE_CHECKING:
    from assistant.knowledge.places import Gazetteer

_STOP = r"[，。；;,.!?！？、：:（）()]"


class RolesSpec(BaseModel):
    actor_verbs: Terms = Field(default_factory=Terms, description="Verbs of setting up, providing or funding a thing: "
                               "who does them is a claim.")
    by: Terms = Field(default_factory=Terms, description="Words naming the actor of a passive (由, \"by\").")
    modal: Terms = Field(default_factory=Terms, description="Words between an actor and its verb that are no part "
                         "of who it is (will, 将, 负责).")
    generic: Terms = Field(default_factory=Terms, description="Actors the sources leave open (the plan, the city, "
                           "it, 计划, 政府): no claim of who.")
    adverbial: Terms = Field(default_factory=Terms, description="Words opening how, where or for whom a thing is "
                             "done (依托, 在, via): the actor ends before them.")
    locative: Terms = Field(default_factory=Terms, description="Words binding a place to a thing (located in, 设在).")
    share: float = Field(0.5, description="Least share of an actor's or a placed thing's words a cited sentence must "
                         "hold.")


Units = Callable[[str], set[str]]


class Roles:
    def __init__(self, spec: RolesSpec, encouragement: re.Pattern[str] | None) -> None:
        self.spec = spec
        self.verb = terms_pattern(spec.actor_verbs.en + spec.actor_verbs.zh)
        self.by = terms_pattern(spec.by.en + spec.by.zh)
        self.modal = terms_pattern(spec.modal.en + spec.modal.zh)
        self.generic = {" ".join(fold(t).split()) for t in spec.generic.en + spec.generic.zh}
        self.locative = terms_pattern(spec.locative.en + spec.locative.zh)
        self.adverbial = terms_pattern(spec.adverbial.en + spec.adverbial.zh)
        self.encouragement = encouragement

    # --- actors --------------------------------------------------------------------------------
    def _who(self, span: str) -> str:
        """The actor of the words before a verb: after an encouragement word ("encourage districts to") or before
        it ("districts are encouraged to"), modal words dropped."""
        if self.adverbial is not None and (a := self.adverbial.search(span)):
            span = span[:a.start()]   # 依托南山…建设, 在各区设立: how or where, not who
        found = list(self.encouragement.finditer(span)) if self.encouragement is not None else []
        if found:   # not a word inside a name (引导基金): what stands before it is nobody, or nothing follows it
            m = found[-1]
            before, after = self._bare(span[:m.start()]), self._bare(re.sub(r"^\s*to\b", "", span[m.end():]))
            if not before or before in self.generic:
                span = span[m.end():]
            elif not after:
                span = span[:m.start()]
        return self._bare(span)

    def _bare(self, span: str) -> str:
        if self.modal is not None:
            span = self.modal.sub(" ", span)
        return " ".join(span.split()).strip(" '\"“”‘’")

    def actor(self, folded: str, sources: Sequence[str], units: Units) -> str | None:
        """The actor ``folded`` (one statement) names for a thing that a cited sentence gives another actor."""
        if self.verb is None:
            return None
        for v in self.verb.finditer(folded):
            before, after = folded[:v.start()], folded[v.end():]
            by_after = self.by.search(after) if self.by is not None else None
            by_before = list(self.by.finditer(before)) if self.by is not None else []
            if by_before and not re.search(_STOP, before[by_before[-1].end():]):   # 天使基金由市政府设立
                who, thing = before[by_before[-1].end():], before[:by_before[-1].start()]
            elif by_after and not re.search(_STOP, after[:by_after.start()]):        # "set up by the city"
                who = re.split(_STOP + r"|\s(?:to|for|in|with|and|at)\s", after[by_after.end():])[0]
                thing = before
            else:
                who, thing = before, re.split(_STOP, after)[0]
            who = self._who(re.split(_STOP.replace("、", ""), who)[-1])
            if not who or who in self.generic or len(units(who)) > 12:
                continue   # a long run before the verb is a clause of its own, not who
            need = units(thing)
            if len(need) < 2 or self.adverbial is not None and self.adverbial.match(thing.strip()):
                # "builds on the clusters": the verb of a phrase (rely on), no thing made
                continue
            said = _sentences(sources)
            held = [s for s in said if len(need & units(s)) >= 0.6 * len(need)]
            if not held:
                continue
            mine = units(who)
            named = mine & set().union(*(units(s) for s in said))
            missing = min((mine - units(s) for s in held), key=len)
            # an actor of the sources (a fund another sentence names) moved to the thing; an actor no source
            # names is the word checks' ("市与区合力" for 市区联动 is a paraphrase, not another actor)
            if len(named) >= self.spec.share * len(mine) and len(missing) >= 2 \
                    and len(missing) > (1 - self.spec.share) * len(mine):
                return who
        return None

    # --- places --------------------------------------------------------------------------------
    def place(self, statement: str, before: str, sources: Sequence[str], places: Gazetteer,
              units: Callable[[str], list[str]]) -> str | None:
        """A place ``statement`` binds to a thing (a locative word right before it) that no cited sentence naming
        the place binds to it. The thing is the last words before the locative word (``before``: the sentence's
        text before the statement, read when the statement opens with it: "the Zone, located in Qianhai")."""
        if self.locative is None:
            return None
        folded = fold(statement)
        for p in places.find(statement):
            if {fold(p.zh), fold(p.en or "")} & self.generic:
                continue   # the city the plan is for is where all of it is
            window = folded[max(0, p.start - 12):p.start]
            cue = [m for m in self.locative.finditer(window) if not window[m.end():].strip()]
            if not cue:
                continue
            naming = [fold(s) for s in _sentences(sources, folded=False) if p.key in places.names_in(s)]
            if not naming:
                continue   # a place no source names is the place check's
            lead = folded[:p.start - len(window) + cue[-1].start()]
            for q in places.find(lead):   # other places of a list ("Qianhai and Hetao") are not the thing
                lead = lead[:q.start] + " " * (q.end - q.start) + lead[q.end:]
            if self.modal is not None:
                lead = self.modal.sub(" ", lead)
            thing = units(lead)[-2:] or units(fold(before))[-2:]   # the noun the place is said of
            if len(thing) < 2:
                continue
            if max(len(set(thing) & set(units(s))) for s in naming) < self.spec.share * len(thing):
                return statement[p.start:p.end]
        return None


def _sentences(sources: Sequence[str], folded: bool = True) -> list[str]:
    return [fold(s[a:b]) if folded else s[a:b] for s in sources for a, b in sentences(s)]
