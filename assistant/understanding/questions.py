"""What a question asks for: a list or comparison across benefits, a procedure the plan does not
give (deadline, where, documents, whom to call), a rate or tax outside the plan, a year outside its validity,
a measure it does not have, or an eligibility story. All terms come from corpus/questions.yaml.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.knowledge.claims import Matcher, fold
from assistant.knowledge.figures import cn_value, extract_figures
from assistant.knowledge.rules_file import read_rules


class Terms(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: list[str] = Field(default_factory=list)
    zh: list[str] = Field(default_factory=list)

    def all(self) -> list[str]:
        return self.en + self.zh


class Family(Terms):
    kinds: list[str]


FigureKind = Literal["date", "year", "duration", "area", "money", "count", "percent", "places"]
FIGURE_KINDS: tuple[FigureKind, ...] = get_args(FigureKind)
# What a founder's story implies: a profile field's concept or flag, or a graduation year.
ProfileValues = dict[str, bool | str | int]


class FigureAsk(BaseModel):
    """A question form asking for a kind of figure ("how long" wants a duration); a case-insensitive regex."""
    model_config = ConfigDict(extra="forbid")
    pattern: str
    kinds: list[FigureKind]

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
        return value


class QuestionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    list: Terms
    largest: Terms
    smallest: Terms
    families: dict[str, Family]
    procedure: dict[str, Terms]
    rate: dict[str, Terms]
    measure: Terms
    story_years: Terms
    eligibility: Terms
    benefit_words: Terms
    whole_list: Terms
    who: Terms
    first_person: Terms
    year_asks: dict[str, builtins.list[str]]  # builtins: the field `list` shadows the type here
    graduation: Terms
    story: dict[str, dict[str, Terms]] = Field(description="profile field -> value -> terms")
    eval_forms: Terms = Field(default_factory=Terms, description="Question forms for cases generated from facts.")
    figure_asks: builtins.list[FigureAsk] = Field(default_factory=builtins.list, description="Which figure kinds a question asks for.")
    compared: dict[str, Terms] = Field(default_factory=dict, description="Comparatives over the benefits an ask names "
                                       "(larger, smaller, longer, shorter): which of them the plan's figures settle.")
    choosing: Terms = Field(default_factory=Terms, description="Question words choosing among options (哪个, which).")
    bound_modal: Terms = Field(default_factory=Terms, description="Words after which a superlative is a bound, not an "
                               "order (面积最大可以到多大: at most).")
    weighed: Terms = Field(default_factory=Terms, description="Words weighing named benefits for the founder "
                           "(better, 更划算): arithmetic on a figure of the founder's own.")
    difference: Terms = Field(default_factory=Terms, description="How much more one named benefit gives than another.")
    ranks: dict[str, Terms] = Field(default_factory=dict, description="order:place -> terms (第二高: largest:2).")
    figure_words: Terms = Field(default_factory=Terms, description="With a superlative: an order of the plan's "
                                "benefits by their figures (金额, cap, 整份计划).")
    apart: builtins.list[str] = Field(default_factory=builtins.list, description="Fact kinds ranked only among "
                                      "themselves (a loan's cap is not money given).")
    shared_heads: Terms = Field(default_factory=Terms, description="Heads a coordination shares (training and model "
                                "vouchers).")

    @field_validator("ranks")
    @classmethod
    def _rank_keys(cls, value: dict[str, Terms]) -> dict[str, Terms]:
        for key in value:
            order, _, place = key.partition(":")
            if order not in ("largest", "smallest", "longest", "shortest") or not place.isdigit() or int(place) < 2:
                raise ValueError(f"rank {key!r} is not order:place (largest:2)")
        return value


def own_money(text: str) -> float | None:
    """A sum of the founder's own in ``text`` ("my rent is 3000 a month", "房租3000元"): money, or a bare number of
    a hundred or more that is no year."""
    for f in extract_figures(text):
        if f.kind == "money" and f.unit == "yuan" or f.kind == "number" and f.value >= 100 \
                and not 1900 <= f.value <= 2100:
            return f.value
    return None


@dataclass
class Intent:
    """What one question asks. ``kind``: list | procedure | rate | out_of_years | missing_measure | story | None."""

    kind: str | None = None
    detail: str | None = None  # procedure/rate sub-kind, the year or the measure number asked about
    order: str | None = None  # largest | smallest (amounts), longest | shortest (durations), difference (of named)
    rank: int = 1  # the place in the order asked for ("第二高": 2)
    own: bool = False  # weighed on a figure of the founder's own ("my rent is 3000 a month")
    named: bool = False  # a comparison among the benefits the ask names, not across the plan
    families: list[str] = field(default_factory=list)
    cap: tuple[str, float] | None = None  # "which items are capped at 2 million": the figure key
    profile: ProfileValues = field(default_factory=dict)  # values a story implies


class QuestionRules:
    def __init__(self, spec: QuestionSpec) -> None:
        self.spec = spec
        m: Callable[[Mapping[str, Terms]], Matcher] = lambda groups: Matcher([(k, t, False) for k, terms in groups.items() for t in terms.all()])  # noqa: E731
        self.listing = m({"list": spec.list, "largest": spec.largest, "smallest": spec.smallest})
        self.families = m(spec.families)
        self.procedure = m(spec.procedure)
        self.rate = m(spec.rate)
        self.story_years = m({"story": spec.story_years})
        self.eligibility = m({"eligibility": spec.eligibility})
        self.graduation = m({"graduation": spec.graduation})
        self.benefit_words = m({"benefit": spec.benefit_words})
        self.whole_list = m({"all": spec.whole_list})
        self.who = m({"who": spec.who})
        self.first_person = m({"me": spec.first_person})
        self.figure_asks = [(re.compile(a.pattern, re.I), set(a.kinds)) for a in spec.figure_asks]
        self.compared = m(spec.compared)
        self.choosing = m({"which": spec.choosing})
        self.difference = m({"difference": spec.difference})
        self.weighed = m({"weighed": spec.weighed})
        self.ranks = m(spec.ranks)
        self.figure_words = m({"figure": spec.figure_words})
        before = "|".join(map(re.escape, spec.year_asks.get("en", [])))
        not_after = "|".join(map(re.escape, spec.year_asks.get("zh_not_after", [])))
        self._year_ask = re.compile(rf"(?i)\b(?:{before})\s+(?:the\s+year\s+)?((?:19|20)\d\d)\b"
                                    rf"|(?<![0-9])((?:19|20)\d\d)\s*年") if before else None
        self._zh_not_after = re.compile(rf"(?:{not_after})\s*$") if not_after else None
        self.story = {f: m(values) for f, values in spec.story.items()}
        en = "|".join(map(re.escape, spec.measure.en))
        zh = "".join(map(re.escape, spec.measure.zh))
        self._measure = re.compile(rf"(?i)\b(?:{en})\s*(?:no\.?\s*)?[(（]?\s*(\d{{1,3}})\s*[)）]?"
                                   rf"|第\s*([0-9一二三四五六七八九十百]{{1,4}})\s*[{zh}]"
                                   rf"|[(（]\s*([一二三四五六七八九十]{{1,4}}|\d{{1,3}})\s*[)）]")

    # --- pieces ----------------------------------------------------------------------------------
    def measure_number(self, text: str) -> int | None:
        m = self._measure.search(text)
        if not m:
            return None
        raw = next(g for g in m.groups() if g)
        value = int(raw) if raw.isdigit() else cn_value(raw)
        return int(value) if value else None

    def profile_from(self, text: str, today: date | None = None) -> ProfileValues:
        """Profile values a founder's story implies ({} when it tells none)."""
        folded = fold(text)
        out: ProfileValues = {}
        for fname, matcher in self.story.items():
            found = matcher.find(folded)
            if found:
                value = found[0].concept
                out[fname] = {"yes": True, "no": False}.get(value, value)
        grad = self.graduation.find(folded)
        if grad:
            today = today or date.today()
            for f in extract_figures(text):
                if f.unit == "year" and 1950 <= f.value <= today.year:
                    out["graduation_year"] = int(f.value)
                elif f.kind == "duration" and f.unit == "month" and f.value % 12 == 0 and 0 < f.value <= 600:
                    out["graduation_year"] = today.year - int(f.value // 12)
        return out

    # --- the intent ------------------------------------------------------------------------------
    def asked_years(self, text: str) -> list[int]:
        """Years the question asks the plan about ("in 2029", "2029年还能…"), not premises ("until 2030")."""
        if self._year_ask is None:
            return []
        out = []
        for m in self._year_ask.finditer(text):
            if m.group(1):
                out.append(int(m.group(1)))
            elif not (self._zh_not_after and self._zh_not_after.search(text[:m.start(2)])):
                out.append(int(m.group(2)))
        return out

    def intent(self, text: str, *, measures: set[int], years: tuple[int, int] | None,
               today: date | None = None, topic: str | None = None, stories: bool = True,
               told: str | None = None, years_told: Iterable[int] | None = None, named: int = 0) -> Intent:
        """``text``: what is asked; ``told``: the whole message, whose story (background included) makes the
        profile; ``years_told``: the years outside the plan's period the message's frame found (its asks and story,
        assistant/understanding/timescope.py); None when no frame read it, and the question's own years are read;
        ``named``: how many of the plan's benefits the ask names (two or more make "which is higher" a comparison
        of their figures)."""
        folded = fold(text)
        if years:
            for year in years_told or ():
                if not years[0] <= year <= years[1]:
                    return Intent("out_of_years", str(year))
        whole = fold(told) if told else folded
        profile = self.profile_from(told or text, today) if stories else {}
        # a framed message's story makes the profile, but the ask must be about benefits: "which districts build
        # OPC communities first?" after a founder's story is not an eligibility question
        about = not told or bool(self.eligibility.find(folded) or self.benefit_words.find(folded) or topic)
        if profile and about and self.first_person.find(whole) and (self.eligibility.find(whole) or len(profile) >= 2):
            return Intent("story", profile=profile)
        proc = self.procedure.find(folded)
        if proc:
            return Intent("procedure", proc[0].concept)
        rate = self.rate.find(folded)
        if rate:
            return Intent("rate", rate[0].concept)
        number = self.measure_number(text)
        if number is not None and measures and number not in measures:
            return Intent("missing_measure", str(number))
        if years and years_told is None and not self.story_years.find(folded):  # no frame decided the years
            for year in self.asked_years(text):
                if not years[0] <= year <= years[1]:
                    return Intent("out_of_years", str(year))
        ranked = self.ranks.find(folded)
        order_at, place = ranked[0].concept.split(":") if ranked else (None, "1")
        # "how much more does A give than B?"; "最高多少" is a bound ("最" before the term)
        if named >= 2 and any(folded[max(0, m.start - 1):m.start] != "最" for m in self.difference.find(folded)):
            return Intent("list", order="difference", named=True)
        if named >= 2 and self.weighed.find(folded) and own_money(told or text) is not None:
            return Intent("list", order="largest", named=True, own=True)  # "my rent is 3000; which is better?"
        compared = self.compared_order(folded, named)
        if compared:  # "训练券和模型券哪个额度高？", "which lasts longer, A or B?": the named benefits' own figures
            return Intent("list", order=order_at or compared, named=True, rank=int(place))
        listing = {m.concept for m in self.listing.find(folded)} | ({order_at} if order_at else set())
        # "which districts…" asks for the places the plan names (quoted), not a list of benefits
        places = any("places" in kinds and pattern.search(text) for pattern, kinds in self.figure_asks)
        if listing and not self.who.find(folded) and not places:
            order = order_at or ("largest" if "largest" in listing else "smallest" if "smallest" in listing else None)
            families = list(dict.fromkeys(m.concept for m in self.families.find(folded)))
            if len(families) > 1 and "money" in families and {"voucher", "loan"} & set(families):
                families.remove("money")  # "which vouchers give the most money": the vouchers
            cap = next((f.key for f in extract_figures(text) if f.kind in ("money", "area")), None)
            benefit = self.benefit_words.find(folded)
            # "整份计划里单项金额上限最高的是哪一项？": an order over the whole plan by a figure
            ordered = order and (topic or families or benefit or self.figure_words.find(folded))
            if ordered or cap or families or topic or self.whole_list.find(folded):
                return Intent("list", order=order, families=families, cap=cap, rank=int(place))
        return Intent()


    def lists(self, folded: str) -> bool:
        """The ask is a list or an order across benefits: a superlative right before a modal ("最大可以到多大",
        "最多能领") bounds the one thing asked about instead."""
        for m in self.listing.find(folded):
            after = folded[m.end:]
            if m.concept == "list" or not any(after.startswith(t) for t in self.spec.bound_modal.all()):
                return True
        return False

    def compared_order(self, folded: str, named: int) -> str | None:
        """The order a "which" over two or more named benefits asks for (largest, smallest, longest, shortest);
        a superlative over them too ("三个里面哪个额度最高"); None when the ask compares nothing it names."""
        if named < 2 or not self.choosing.find(folded):
            return None
        found = self.compared.find(folded) or [m for m in self.listing.find(folded) if m.concept != "list"]
        return found[0].concept if found else None


@lru_cache(maxsize=8)
def load_question_rules(path: Path) -> QuestionRules:
    return read_rules(path, QuestionSpec, "the question kinds", QuestionRules)
