"""The frame of a founder's message, read before retrieval and before any guard.

A message holds one or more *asks* (what the founder wants to know), *background* (what the founder tells:
hometown, university, employer, graduation year) and sometimes *instructions* about the reply ("请用专业口吻
回答，不要引用"). Only the asks are judged for place, time and stated figures: a place or a year in the founder's
story never refuses an answer or flags a figure. The background feeds a founder profile. Instructions are
dropped (the answer keeps its citations whatever the message asks).

Which benefit an ask is about is recognised through one seam (assistant/understanding/recognition.py); the
founder's profile is read by assistant/understanding/founder_profile.py; the clauses by clauses.py, rankings by
rankings.py and asks about the plan itself by plan_readings.py (mixed in). Terms live in corpus/frame.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.knowledge.claims import Matcher as _Matcher
from assistant.knowledge.claims import fold
from assistant.knowledge.rules_file import read_rules
from assistant.types import Ask, Frame
from assistant.understanding.clauses import ClauseReader, bare
from assistant.understanding.dates import DateWords, YearParser
from assistant.understanding.founder_profile import founder_profile
from assistant.understanding.plan_readings import PlanReadings
from assistant.understanding.questions import Terms
from assistant.understanding.rankings import RankingReadings
from assistant.understanding.recognition import recognise
from assistant.understanding.timescope import TimeScope

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules
    from assistant.knowledge.places import Gazetteer
    from assistant.understanding.intents import Recognition
    from assistant.understanding.questions import QuestionRules


class FrameSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    asking: Terms
    tags: Terms
    instructions: Terms
    graduation: Terms
    acting: Terms
    ranking: Terms
    superlative: Terms
    which: Terms
    ranked: Terms
    comparative: Terms = Field(default_factory=Terms, description="Comparatives (更高, 高啲, cheaper): with a "
                               "'which' over places or communities named, a ranking.")
    judging: Terms = Field(default_factory=Terms, description="Measures only the founder's situation decides "
                           "(cheaper for me, easiest, first): with a question word, a choice the plan never makes.")
    share: Terms = Field(default_factory=Terms, description="Words asking a share (几成): a figure, not a price.")
    size: Terms = Field(default_factory=Terms, description="Words asking a size (多少平米, how many square metres): "
                        "the area the plan states, not a price.")
    share_priced: list[str] = Field(default_factory=list, description="Claims subjects the plan prices as a share "
                                    "of what the founder pays (about 60 % of rent): weighed on the founder's own "
                                    "figure, arithmetic settles the choice.")
    paid_out: list[str] = Field(default_factory=list, description="Claims subjects paid out to the founder: a "
                                "price of them asks their amount.")
    rate_named: Terms = Field(default_factory=Terms, description="A rate named bare ('a lower rate'): after an ask "
                              "for a rate the plan leaves unstated (tax, interest), that same rate.")
    plan_self: dict[str, Terms]
    plan_subjects: list[str] = Field(default_factory=list, description="Claims subjects that are the plan itself.")
    goal_words: Terms = Field(default_factory=Terms, description="Words asking targets only of the plan named "
                              "(此计划…指标): its goals.")
    plan_beyond: Terms = Field(default_factory=Terms, description="Words asking what the plan's text does not "
                               "hold about itself (targets missed): not answered with its goals or measures.")
    goal_subjects: list[str] = Field(default_factory=list, description="Claims subjects that are the plan's "
                                     "targets: asked beside the plan's goals, they are part of the goals asked.")
    plan_named: Terms = Field(default_factory=Terms, description="How an ask names the plan itself: with a year "
                              "asked about, a 'still' word and no benefit, it asks the plan's validity.")
    still: Terms = Field(default_factory=Terms, description="Words asking whether something goes on (还, still).")
    weak_asking: Terms = Field(default_factory=Terms, description="Asking words that also end statements "
                               "(㗎): they make a clause an ask only when it does not tell the founder's story.")
    anaphora: Terms = Field(default_factory=Terms, description="Words in an ask pointing back at what the story "
                            "told last ('for that'): that part is searched with the ask.")
    embedding: Terms = Field(default_factory=Terms, description="Words after which an English question word "
                             "opens an embedded question ('tell me how much'), not a new ask.")
    conditional: Terms = Field(default_factory=Terms, description="Words opening a condition ('要是', 'if'): a "
                               "conditional clause is part of the ask it qualifies, not the founder's story.")
    when_asked: Terms = Field(default_factory=Terms, description="Words asking when (几时, when): with a verb of "
                              "paying (`paying`), the ask is when a benefit is paid, not a deadline.")
    paying: Terms = Field(default_factory=Terms, description="Verbs of paying out (过数, 到账, paid, hit my account).")
    about_me: Terms = Field(default_factory=Terms, description="Words in an ask referring to the founder or their "
                            "case ('people like me', '这种算不算'): naming no topic, it is read with the story told.")
    chatter: Terms = Field(default_factory=Terms, description="Words marking a part as chatter ('lol', '不好意思'): "
                           "left out of the story an ask about the founder is read with.")
    unstated: dict[str, Terms]
    near_forms: list[str] = Field(default_factory=list, description="Groups of characters that look alike (券卷), "
                                  "each a string: a plan term typed with one of them is that term (understanding/spelling.py).")
    dates: DateWords = Field(default_factory=DateWords, description="Relative years, eras and premise words.")


# The learned recogniser (assistant/understanding/intents.py) read per ask, when one is given: it names the
# benefit the rules miss (at TOPIC_MIN), the part asked for — an unstated part (PART_MIN) or a ranking
# (understanding/rankings.py: RANKING_MIN) — and chooses the main ask.
Learned = Callable[[str, str], "Recognition | None"]
TOPIC_MIN = 0.6
# A part of the story the recogniser reads as one of the plan's benefits or topics at this confidence is searched
# with asks that name none ("我想把大模型拿去登记上线，有人带吗？"); searched only, never judged: a lower bar.
DESCRIBES_MIN = 0.5
PART_MIN = 0.6
_NOT_PARTS = ("answer", "ranking", None)
_FIGURES = ("amount", "duration")  # attributes asking what a benefit is worth, not whether one may get it


# --- reading a message -------------------------------------------------------------------------------
# an ask comparing the places or things just named ("…分别是多少？", "…respectively?")
_EACH = re.compile(r"分别|分別|各自|各是|各為|各为|respectively|\beach\b", re.I)

# questions.yaml's procedure and rate names -> the names of the unstated parts an answer lists
UNSTATED_NAMES = {"where": "where_to_apply", "documents": "documents_needed", "tax_rate": "tax"}


class FrameRules(ClauseReader, RankingReadings, PlanReadings):
    def __init__(self, spec: FrameSpec) -> None:
        self.spec = spec
        m: Callable[[Mapping[str, Terms]], _Matcher] = lambda groups: _Matcher([(k, t, False) for k, terms in groups.items() for t in terms.all()])  # noqa: E731
        self.asking = m({"ask": spec.asking})
        self.instructions = m({"instruction": spec.instructions})
        self._tags = {bare(t) for t in spec.tags.all()}
        self.graduation = m({"graduation": spec.graduation})
        self.acting = m({"acting": spec.acting})
        self.ranking = m({"ranking": spec.ranking})
        self.superlative = m({"superlative": spec.superlative})
        self.which = m({"which": spec.which})
        self.ranked = m({"ranked": spec.ranked})
        self.judging = m({"judging": spec.judging})
        self.share_priced = set(spec.share_priced)
        self.comparative, self.share = m({"comparative": spec.comparative}), m({"share": spec.share})
        self.size = m({"size": spec.size})
        self.rate_named = m({"rate": spec.rate_named})
        self.plan_self = m(spec.plan_self)
        self.unstated = m(spec.unstated)
        self.dates = YearParser(spec.dates)
        self.time_scope = TimeScope(self.dates, self.graduation, self.acting)
        self.plan_named = m({"plan": spec.plan_named})
        self.goal_words = m({"goals": spec.goal_words})
        self.plan_beyond, self.still = m({"beyond": spec.plan_beyond}), m({"still": spec.still})
        self.weak_asking = {fold(t) for t in spec.weak_asking.all()}
        self.embedding = m({"embedding": spec.embedding})
        self.anaphora, self.conditional = m({"anaphora": spec.anaphora}), m({"conditional": spec.conditional})
        self.when_asked, self.paying = m({"when": spec.when_asked}), m({"paying": spec.paying})
        self.about_me, self.chatter = m({"me": spec.about_me}), m({"chatter": spec.chatter})

    # --- the frame ------------------------------------------------------------------------------
    def read(self, text: str, lang: str, claims: ClaimRules | None = None, places: Gazetteer | None = None,
             expand: Callable[[str], list[str]] | None = None, today: date | None = None,
             plan_years: tuple[int, int] | None = None, questions: QuestionRules | None = None,
             learned: Learned | None = None, normalise: Callable[[str], str] | None = None) -> Frame:
        """``learned(ask, lang)``: the recogniser's Recognition of an ask (its benefit, part, confidence);
        ``normalise``: an ask in Mandarin words (Cantonese word table), also read by the rules."""
        zh = lang.startswith("zh")
        today = today or date.today()
        asks: list[str] = []
        among: list[str] = []  # per ask, the lead-in naming what it may rank
        topical: list[str] = []  # background parts naming a benefit: searched, never judged
        leadins: list[str] = []  # the story part right before an ask: searched, never judged
        background: list[str] = []
        instructions: list[str] = []
        story = questions.first_person if questions is not None else None
        last_told = ""  # the story part told last, across sentences: what "that" in an ask may point back to
        premises: dict[int, tuple[list[str], str]] = {}  # ask -> (the benefit and figure it leads with, the rest)
        for sentence in self.parts(text):
            kept: list[tuple[str, bool, set[str]]] = []  # (clause, asks, subjects)
            for clause in sentence:
                subjects = claims.subjects_in(clause) if claims is not None else set()
                if self.instructions.find(fold(clause)) and not subjects:
                    instructions.append(clause)
                    continue
                clean = self._drop_instructions(clause)
                if clean:
                    kept.append((clean, self._asks(clean, self._story_like(clean, story, places)), subjects))
            asking = any(a for _, a, _ in kept)
            pending: list[tuple[str, set[str]]] = []  # lead-in parts right before an ask

            def told(parts: Iterable[tuple[str, set[str]]]) -> None:
                for clean, subjects in parts:
                    background.append(clean)
                    # searched (never judged) when the asks name no topic of their own: a benefit named in words,
                    # or one the story describes by what it does ("我们的产品被政务大厅采用了")
                    if subjects or self._describes(clean, lang, learned):
                        topical.append(self._searched(clean, story, places))

            previous = None  # the part right before, when it told the story
            for i in range(1, len(kept)):  # "…300,000 yuan hukou subsidy, right?": the statement is asked
                if kept[i][1] and bare(kept[i][0]) in self._tags:
                    kept[i - 1] = (self._join([kept[i - 1][0], kept[i][0]], zh), True, kept[i - 1][2] | kept[i][2])
                    kept[i] = ("", False, set())
            kept = [k for k in kept if k[0]]
            kept = self._with_options(kept, zh, story)  # "Which is more generous — A or B?": one ask
            for clean, is_ask, subjects in kept:
                # a lead-in is part of the ask ("For the returnee funding, what's the max?") unless it tells the
                # founder's story: first person, a place or a year — a condition ("要是我们的产品被政府采用") or
                # what the plan mentions ("计划里提到前海") qualifies the ask instead
                story_like = self._story_like(clean, story, places) and not self._qualifies(clean, story, places)
                if is_ask:
                    if previous is not None and not pending and _EACH.search(clean):
                        # "在星澜市和东滨区入驻…，…分别是多少？": the places before it are what is asked about
                        pending, previous = [(previous, set())], None
                    if previous is None and not pending and last_told and self.anaphora.find(fold(clean)):
                        previous = last_told  # "I've heard the city funds X. What's the max for that?": X searched
                    if previous is not None and not pending:  # "若我申请鲲鹏项目，研发资助最高多少？": searched
                        leadins.append(self._searched(previous, story, places))
                    # "深圳各区的OPC社区里，哪一个最适合…": a lead-in not about the founder names what is ranked
                    among.append(previous if previous is not None and not pending and not
                                 (story is not None and story.find(fold(previous))) else "")
                    asks.append(self._join([*(c for c, _ in pending), clean], zh))
                    stated = [c for c, subj in pending if subj and self._states_figure(c)]
                    if stated:  # "个人创业担保贷款最高60万，那年利率是多少？": the premise may be its own ask
                        premises[len(asks) - 1] = (stated, self._join([*(c for c, _ in pending if c not in stated),
                                                                       clean], zh))
                    pending, previous = [], None
                elif asking and not story_like:
                    pending = self._lead(pending, clean, subjects, told)
                    previous = None
                else:
                    told(pending)
                    told([(clean, subjects)])
                    last_told = clean
                    pending, previous = [], clean
            if pending and asks:
                asks[-1] = self._join([asks[-1], *(c for c, _ in pending)], zh)
            else:
                told(pending)
        if not asks:  # a bare topic ("住房补贴") or a request without a question word: the whole of it is asked
            asks, background, topical = background, [], []
        frame = Frame(background=background, instructions=instructions)
        frame.profile = self.profile(text, background, questions, places, today)
        back = self.dates.retroactive(fold(text))  # claiming back for a past year: the plan starts after it
        years = self.years_told(background, today, plan_years, questions=questions, back=back)
        frame.years_told = years + self.years_told(asks, today, plan_years, asked=True, questions=questions, back=back)
        recs = [learned(a, lang) if learned is not None else None for a in asks]
        plan_said = bool(self.plan_named.find(fold(text)))  # "…does this plan lay out? what are the broad areas?"
        if learned is not None and claims is not None and (leadins or topical):
            # a loose word ("有奖励吗") is read with the story before it: "我们的AI系统被政务大厅用上了" names the benefit
            recs = [learned(self._join([*dict.fromkeys([*leadins, *topical]), a], zh), lang)
                    if (s := claims.subject_of(a)) is not None and claims.named_loosely(a, s) else r
                    for a, r in zip(asks, recs)]
        # "Does this plan have anything for people like me?": the story told is what the ask is about
        leadins += self._about_founder(asks, recs, background, lang, zh, claims, learned, story, places)
        among += [""] * (len(asks) - len(among))
        frame.asks = [self.meaning(a, lang, claims, expand, questions, r, normalise, among=m, plan_named=plan_said,
                                   told=text) for a, r, m in zip(asks, recs, among)]
        # An ask for a part the plan may leave unstated, led by a benefit and its figure ("鯤鵬項目最多有100萬研發
        # 資助，咁幾時截止報名？"): the premise is an ask of its own (the figure confirmed), the part declared unstated.
        for i in sorted(premises, reverse=True):
            if frame.asks[i].kind != "unstated":
                continue
            stated, rest = premises[i]
            parts = [*stated, rest]
            got = [learned(p, lang) if learned is not None else None for p in parts]
            frame.asks[i:i + 1] = [self.meaning(p, lang, claims, expand, questions, r, normalise, among=among[i],
                                                plan_named=plan_said)
                                   for p, r in zip(parts, got)]
            recs[i:i + 1] = got
        self._plan_together(frame, recs)
        self._plan_parts(frame, recs, questions, plan_said)
        self._rate_carried(frame, questions)
        if plan_years is not None and not back and not any((a.kind == "topic" and getattr(r, "attribute", None) not in _FIGURES)
                                              or self.still.find(fold(a.text)) for a, r in zip(frame.asks, recs)):
            # a founding before the plan bears on getting a benefit ("…还能申请模型券吗"), not on a service nor on
            # what the benefit is worth ("I started my first company in 2015. How much is the Kunpeng reward?")
            frame.years_told = [y for y in years if y >= plan_years[0]] + frame.years_told[len(years):]
        self._beside_unstated(frame, recs, TOPIC_MIN)
        self._choose_main(frame, [getattr(r, "confidence", 0.0) if getattr(r, "benefit", None) else 0.0
                                  for r in recs], story=bool(topical))
        # With a benefit asked about, asks naming none ("顺便问下你觉得我们适合融资吗") neither search nor judge.
        figures = any(a.kind == "topic" for a in frame.asks)
        used = [a.text for a in frame.asks if a.main or a.kind not in ("other", "unstated") or
                (a.kind == "other" and not figures)]
        frame.focus_text = self._join(list(dict.fromkeys(used)), zh)  # the parts of one ask: its words once
        searched = [a.text for a in frame.asks if a.main or a.kind in ("topic", "plan", "ranking")
                    or (a.kind == "other" and not figures)]
        named = any(a.topic for a in frame.asks) or any(a.kind == "topic" for a in frame.asks)
        once = dict.fromkeys([*leadins, *([] if named else topical), *searched])  # a part searched once
        frame.search_text = self._join(list(once), zh) or frame.focus_text
        return frame

    def meaning(self, text: str, lang: str, claims: ClaimRules | None = None,
                expand: Callable[[str], list[str]] | None = None, questions: QuestionRules | None = None,
                rec: Recognition | None = None, normalise: Callable[[str], str] | None = None, among: str = "",
                plan_named: bool = False, told: str = "") -> Ask:
        """What one ask wants. The rules read it as written and in Mandarin words; ``rec`` (the learned
        recogniser's reading) adds the benefit, the unstated part or the ranking the rules' words miss;
        ``among``: the lead-in naming the places or communities the ask may rank; ``plan_named``: the message
        names the plan itself (its measures may be asked in another ask); ``told``: the whole message (a figure of
        the founder's own in it makes a weighing of a share-priced benefit arithmetic)."""
        folded = fold(text)
        mandarin = normalise(text) if normalise is not None else folded
        if mandarin != folded:  # "邊度…高啲" read as "哪里…高些" too
            folded = f"{folded}\n{mandarin}"
        expanded = expand(text) if expand else []  # once: the glossary scan is the costly part
        topic = recognise(text, lang, claims)
        loose = topic if topic is not None and claims is not None and claims.named_loosely(text, topic) else None
        if (topic is None or loose) and claims is not None and (expanded or loose):
            # a subject reached only through the glossary or a loose word: a generic word ("startup" -> 初创企业,
            # the startup target; 奖励) yields to the recogniser sure the ask is about another clause ("a tiny
            # startup … lab machines", "用在政务大厅的AI产品有奖励吗")
            via = loose or claims.subject_of(" ".join(expanded))
            other = getattr(rec, "subject", None)
            related = other is not None and via is not None and \
                (via in claims.ancestors(other) or other in claims.ancestors(via))
            sure = bool(getattr(rec, "likely_clause", None)) and getattr(rec, "clause_confidence", 0.0) >= TOPIC_MIN
            # (the plan itself, 计划, is no generic word: the recogniser reads it in the preamble, as no benefit)
            topic = None if sure and not related and via not in self.spec.plan_subjects else via
        if topic is None and rec is not None and getattr(rec, "subject", None) and rec.confidence >= TOPIC_MIN:
            topic = rec.subject
        part = getattr(rec, "part", None) if rec is not None else None
        sure = getattr(rec, "part_confidence", 0.0) if rec is not None else 0.0
        details = [u.concept for u in self.unstated.find(folded)[:1]]
        if not details and self.when_asked.find(folded) and self.paying.find(folded):
            details = ["when_paid"]  # "幾時開始過數？": when the money comes, not when to apply (nor the plan's start)
        if not details and questions is not None:  # questions.yaml's procedures and rates, under the answers' names
            found = questions.procedure.find(folded) or questions.rate.find(folded)
            details = [UNSTATED_NAMES.get(found[0].concept, found[0].concept)] if found else []
        ranking = self.ranking_asked(folded, fold(normalise(among) if normalise else among), topic, claims, expand,
                                     part, sure, told)
        if ranking is not None:  # "哪个社区租金最便宜": a ranking, its price unstated too
            return Ask(text=text, kind="ranking", detail=ranking, also=details, topic=topic)
        if (plan := self.plan_asked(folded, topic, questions, plan_named, rec, worded=bool(details))) is not None:
            return Ask(text=text, kind="plan", detail=plan, topic=topic)
        if part is not None and part not in _NOT_PARTS and sure >= PART_MIN and part not in details and \
                not (part == "deadline" and "when_paid" in details) and \
                not (part == "price" and (self.share.find(folded) or self.size.find(folded))):  # 市价几成, 多少平米
            details.append(part)  # "几个工作日到账": when paid (rules) and how long it takes (learned)
        if topic in self.spec.paid_out:  # the founder pays nothing for a subsidy: "住房补贴每个月要付多少钱" its amount
            details = [d for d in details if d != "price"]
        if details:
            return Ask(text=text, kind="unstated", detail=details[0], also=details[1:], topic=topic)
        # an ask naming no benefit may still name the plan's subject matter (the glossary's terms: 出海专区)
        on_topic = topic is not None or bool(expanded)
        return Ask(text=text, kind="topic" if on_topic else "other", topic=topic)

    def _rate_carried(self, frame: Frame, questions: QuestionRules | None) -> None:
        """An ask naming a rate bare right after an ask for a rate the plan leaves unstated asks that rate again
        ("What tax rate will my OPC pay — is there a reduced rate for AI startups?"): unstated too, of what the
        ask before is about, whatever generic word ("startups") it names."""
        if questions is None:
            return
        rates = {UNSTATED_NAMES.get(k, k) for k in questions.spec.rate}
        for before, ask in zip(frame.asks, frame.asks[1:]):
            if before.kind == "unstated" and before.detail in rates and ask.kind in ("topic", "other") and \
                    self.rate_named.find(fold(ask.text)):
                ask.kind, ask.detail, ask.topic = "unstated", before.detail, before.topic

    @staticmethod
    def _describes(clause: str, lang: str, learned: Learned | None) -> bool:
        """The recogniser reads a benefit or a topic of the plan in a part of the story (DESCRIBES_MIN)."""
        rec = learned(clause, lang) if learned is not None else None
        if rec is None:
            return False
        return (bool(rec.benefit) and rec.confidence >= DESCRIBES_MIN) or \
            (bool(rec.likely_clause) and rec.clause_confidence >= DESCRIBES_MIN)

    @staticmethod
    def _choose_main(frame: Frame, scores: list[float] | None = None, story: bool = False) -> None:
        """The ask the answer leads with: of those naming the plan's subject, the one the recogniser is surest names a
        benefit (named in words: sure; the first on a tie); else one about the plan or a ranking; else, the ``story``
        naming a benefit ("想喺政务服务部署，最高有幾多？"), an ask of its own; else an unstated part."""
        if not frame.asks:
            return
        scores = scores or [0.0] * len(frame.asks)
        for kinds in (("topic",), ("plan", "ranking"), ("other",) if story else (), ("unstated",)):
            found = [(i, a) for i, a in enumerate(frame.asks) if a.kind in kinds]
            if found:
                _, lead = max(found, key=lambda ia: (max(scores[ia[0]], 0.99 if ia[1].topic else 0.0), -ia[0]))
                lead.main = True
                return
        frame.asks[0].main = True

    def years_told(self, background: list[str], today: date, plan_years: tuple[int, int] | None,
                   asked: bool = False, questions: QuestionRules | None = None, back: bool = False) -> list[int]:
        """Years outside the plan's period the answer must speak to (understanding/timescope.py). ``asked``: the
        parts are asks ("runs until 2030" is no year asked about; a past year is, unless it tells the founder's past)."""
        me = questions.first_person if questions is not None else None
        return [] if plan_years is None else self.time_scope.outside(background, today, plan_years, asked, me, back)

    def profile(self, text: str, background: list[str], questions: QuestionRules | None, places: Gazetteer | None,
                today: date) -> dict[str, Any]:
        return founder_profile(text, background, questions, places, today, self.graduation)


@lru_cache(maxsize=8)
def load_frame_rules(path: Path) -> FrameRules:
    return read_rules(path, FrameSpec, "the message frame terms", FrameRules)
