"""What an ask wants of the plan itself: its validity, issuer, goals, measures, title … rather than a benefit.

Mixed into ``FrameRules`` (assistant/understanding/frame.py). Terms live in corpus/frame.yaml (``plan_self``,
``plan_named``, ``plan_beyond``, ``still``; the claims subjects that are the plan and its targets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.knowledge.claims import Matcher, fold

if TYPE_CHECKING:
    from assistant.types import Frame
    from assistant.understanding.dates import YearParser
    from assistant.understanding.intents import Recognition
    from assistant.understanding.questions import QuestionRules


class PlanReadings:
    """The plan-itself reading of one ask, and of the asks of a message together."""

    spec: Any  # FrameSpec: plan_subjects, goal_subjects
    plan_self: Matcher
    plan_named: Matcher
    plan_beyond: Matcher
    goal_words: Matcher
    still: Matcher
    dates: YearParser

    def plan_asked(self, folded: str, topic: str | None, questions: QuestionRules | None, plan_named: bool,
                   rec: Recognition | None, worded: bool = False) -> str | None:
        """What of the plan itself an ask asks, or None; ``plan_named``: the message names the plan; ``worded``:
        the rules' words read another part asked ("幾時開始過數": when paid), which the learned reading of validity
        does not override."""
        # the time after the plan ends is a premise, not its validity asked ("等这个计划到期以后，2028年的扶持政策
        # 会是什么样子？"): its validity is asked in words outside it ("does the plan still apply after it expires?"),
        # and what it holds (goals, measures, issuer) is not what comes after it ("计划结束后会出台什么新措施")
        asked = self.dates.without_plan_end(folded)
        after = asked != folded
        if (plan := self._plan_self(asked, topic, questions, plan_named and not after)) is not None and \
                (plan == "validity" or not after):  # "when does the housing…"
            return plan
        named = topic is None and bool(self.plan_named.find(asked))  # the plan named, no benefit: its validity,
        # dated after its end, the learned reading of validity needs a word asking whether it goes on ("still valid")
        # ... and what follows the plan (renewed, its next version) is not its validity either
        learned = getattr(rec, "attribute", None) == "validity" and (not after or bool(self.still.find(asked))) and \
            not worded and not self.plan_beyond.find(asked)
        if ((topic in self.spec.plan_subjects or named) and learned) or \
                (named and self.still.find(folded) and self.dates.dated(folded)):  # "整个计划到什么时候为止？" too
            return "validity"  # "这个计划后年还算数吗"
        return None

    def _plan_self(self, folded: str, topic: str | None, questions: QuestionRules | None,
                   plan_named: bool = False) -> str | None:
        found = self.plan_parts(folded, topic, questions, plan_named)
        return found[0] if found else None

    def plan_parts(self, folded: str, topic: str | None, questions: QuestionRules | None,
                   plan_named: bool = False) -> list[str]:
        """What of the plan itself an ask wants (validity, issuer, goals, measures, title …), or None. Its goals
        may name a target ("how many startups does the plan aim for"); its measures are asked of the plan named
        ("what kinds of support does this plan list"); neither is the founder's own goal ("我的目标是…"). Every part
        asked, the one answered first first."""
        own = questions is not None and bool(questions.first_person.find(folded))
        beyond = bool(self.plan_beyond.find(folded))  # "if these targets are missed, what then?": not the list
        # what is specific (goals, validity, title …) before an overview ("概括一下…想达到什么目标": the goals); the
        # goals before the end of the term they are due by ("到期时要完成哪些量化目标": the goals, not the validity)
        found_all = self.plan_self.find(folded)
        # "此計劃到2027年底要達成哪些具體指標": targets asked of the plan named are its goals
        worded = not own and not beyond and (topic is None or topic in self.spec.plan_subjects) and bool(self.goal_words.find(folded)) and \
            bool(self.plan_named.find(folded))
        goals = worded or any(m.concept == "goals" for m in found_all)
        wanted: list[str] = []
        for found in sorted(found_all, key=lambda m: (m.concept == "measures", goals and m.concept == "validity")):
            what = found.concept
            if what in wanted or (what in ("goals", "measures", "title") and beyond):
                continue
            if what == "goals" and not own and (topic is None or topic in self.spec.goal_subjects):
                wanted.append(what)
            elif what == "measures" and topic is None and not own and \
                    (plan_named or self.plan_named.find(folded)):
                wanted.append(what)
            elif what not in ("goals", "measures") and (topic is None or topic in self.spec.plan_subjects):
                wanted.append(what)
        if worded and "goals" not in wanted:
            wanted.insert(0, "goals")
        # several parts asked at once ("哪个部门发的，有效期多长") are each answered; the end of its term beside its
        # goals is when they are due, and an overview beside anything specific frames it
        first = wanted[:1]
        rest = [w for w in wanted[1:] if not (w == "validity" and "goals" in wanted) and w != "measures"]
        return [*first, *rest]

    def _plan_together(self, frame: Frame, recs: list[Recognition | None]) -> None:
        """With the plan's goals asked, an ask for the figure of one of its targets ("how many OPC communities, how
        many startups?") is part of those goals: one list answers them all ("which districts first?" is not: it
        asks no figure). With something specific of the plan asked, an ask for an overview frames it
        ("概括一下，…想达到什么目标？"): the specific one is answered."""
        details = {a.detail for a in frame.asks if a.kind == "plan"}
        for ask, rec in zip(frame.asks, recs):
            if "goals" in details and ask.kind == "topic" and ask.topic in self.spec.goal_subjects and \
                    getattr(rec, "attribute", None) == "amount":
                ask.kind, ask.detail = "plan", "goals"
            elif ask.kind == "plan" and ask.detail == "measures" and details - {"measures"}:
                ask.kind, ask.detail = "other", None

    def _plan_parts(self, frame: Frame, recs: list[Recognition | None], questions: QuestionRules | None,
                    plan_named: bool) -> None:
        """An ask about the plan itself asking several of its parts at once ("which department issued it and until
        when does it apply?"): one ask per part, the same words, so that each part is answered."""
        i = 0
        while i < len(frame.asks):
            ask = frame.asks[i]
            if ask.kind == "plan":
                parts = self.plan_parts(fold(ask.text), ask.topic, questions, plan_named)
                extra = [p for p in parts if p != ask.detail and p not in {a.detail for a in frame.asks}]
                frame.asks[i + 1:i + 1] = [ask.model_copy(update={"detail": p, "main": False}) for p in extra]
                recs[i + 1:i + 1] = [None] * len(extra)
                i += len(extra)
            i += 1
