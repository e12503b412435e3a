"""Training variants for the recogniser, generated from data: the plan's fact records (names, aliases, their
claims subject's words), corpus/intents.yaml (attribute templates, descriptions, fillers, backgrounds,
wrappers, code-mixing and the Cantonese word table) and corpus/out_of_scope.yaml (the "none" class).

Deterministic (seeded by the text), so the same data always gives the same variants and the same model.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import opencc
from pydantic import BaseModel, ConfigDict, Field

from assistant.knowledge.rules_file import read_rules

if TYPE_CHECKING:
    from assistant.knowledge.claims import ClaimRules
    from assistant.knowledge.facts import Fact

log = logging.getLogger(__name__)

ATTRIBUTES = ("amount", "duration", "condition", "procedure", "validity")
LANGS = ("zh", "en", "yue")
NONE = "none"
TOPIC = "topic:"  # class of a plan clause's other topics: "topic:m1"


class LangTerms(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)
    yue: list[str] = Field(default_factory=list)


class EllipsisTopic(BaseModel):
    """Short words a bare ellipsis names a benefit's topic by, and the name they are read as."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    name: dict[str, str] = Field(alias="as", description="{zh, en}: the name the words are read as")
    words: list[str] = Field(min_length=1)


class IntentSpec(BaseModel):
    """corpus/intents.yaml, validated at load."""

    model_config = ConfigDict(extra="forbid")
    attributes: dict[str, LangTerms] = Field(description="attribute -> question templates with {name}")
    always: list[str] = Field(description="attributes every benefit is asked about")
    validity_benefits: list[str] = Field(default_factory=list)
    describe: dict[str, LangTerms] = Field(default_factory=dict, description="benefit id -> descriptions")
    needs: dict[str, LangTerms] = Field(default_factory=dict,
                                        description="benefit id or topic clause id -> needs in a founder's words")
    none: LangTerms = Field(default_factory=LangTerms)
    pronouns: LangTerms = Field(default_factory=LangTerms, description="what stands for a benefit not named")
    topics: dict[str, LangTerms] = Field(default_factory=dict, description="clause id -> how founders name it")
    topic_templates: LangTerms = Field(default_factory=LangTerms)
    fillers: LangTerms = Field(default_factory=LangTerms)
    backgrounds: LangTerms = Field(default_factory=LangTerms)
    wrappers: LangTerms = Field(default_factory=LangTerms)
    code_mixing: dict[str, dict[str, str]] = Field(default_factory=dict)
    cantonese: dict[str, str] = Field(description="Cantonese word -> Mandarin word (Traditional script)")
    cantonese_keep: list[str] = Field(default_factory=list, description="Mandarin words left alone")
    carry: dict[str, dict[str, str]] = Field(default_factory=dict,
                                             description="attribute -> {zh, en}: what a topic switch carries over")
    parts: dict[str, LangTerms] = Field(default_factory=dict,
                                        description="unstated part or 'ranking' -> templates ({name}, {place}, {place2})")
    part_answer: LangTerms = Field(default_factory=LangTerms, description="answerable asks that look like parts")
    ranked_places: LangTerms = Field(default_factory=LangTerms, description="places a ranking compares")
    ellipsis_topics: list[EllipsisTopic] = Field(default_factory=list,
                                                 description="short words a bare ellipsis names a topic by")

    def check(self) -> None:
        unknown = set(self.attributes) - set(ATTRIBUTES)
        if unknown:
            raise ValueError(f"unknown attribute(s) {sorted(unknown)}: use {', '.join(ATTRIBUTES)}")
        for attr, terms in self.attributes.items():
            for t in terms.zh + terms.en + terms.yue:
                if "{name}" not in t:
                    raise ValueError(f"attributes.{attr}: template {t!r} has no {{name}}")
        for t in self.wrappers.zh + self.wrappers.en + self.wrappers.yue:
            if "{q}" not in t:
                raise ValueError(f"wrappers: {t!r} has no {{q}}")


@lru_cache(maxsize=4)
def load_spec(path: Path) -> IntentSpec:
    def checked(spec: IntentSpec) -> IntentSpec:
        spec.check()
        return spec
    return read_rules(path, IntentSpec, "the intent data", checked)


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


_T = TypeVar("_T")


@lru_cache(maxsize=4)
def _cc(config: str) -> _Converter:
    converter: _Converter = opencc.OpenCC(config)  # opencc ships no type stubs
    return converter


class Cantonese:
    """The reviewed word table, both ways: a Cantonese ask in Mandarin words (for search and recognition), and
    a Mandarin template in Cantonese (for training variants)."""

    def __init__(self, table: dict[str, str], keep: list[str]) -> None:
        s = _cc("t2s").convert
        pairs = {**table, **{s(k): s(v) for k, v in table.items()}}
        self._to_mandarin = sorted(pairs.items(), key=lambda kv: -len(kv[0]))
        self._rx = re.compile("|".join(re.escape(k) for k, _ in self._to_mandarin))
        self._keep = [w for k in keep for w in {k, s(k)}]
        # Words with a particle-free, unambiguous Mandarin side turn Mandarin templates into Cantonese.
        back = {v: k for k, v in table.items() if v and (len(v) >= 2 or v in "拿的給誰")}
        self._to_yue = sorted(back.items(), key=lambda kv: -len(kv[0]))
        self._markers = re.compile("|".join(re.escape(k) for k, v in self._to_mandarin if len(k) >= 2 or k in
                                            "喺攞嘅冇咗嗰啲佢哋咩嘢畀俾㗎喎囉唔啱揾搵"))

    def is_cantonese(self, text: str) -> bool:
        return bool(self._markers.search(text))

    def to_mandarin(self, text: str) -> str:
        """The ask in Mandarin words (unchanged when it has no Cantonese word)."""
        if not self.is_cantonese(text):
            return text
        held = {}
        for i, word in enumerate(self._keep):  # "關係" keeps its 係
            if word in text:
                held[f"\x00{i}\x00"] = word
                text = text.replace(word, f"\x00{i}\x00")
        table = dict(self._to_mandarin)
        text = self._rx.sub(lambda m: table[m.group(0)], text)
        for mark, word in held.items():
            text = text.replace(mark, word)
        return text

    def from_mandarin(self, text: str) -> str:
        """A Mandarin (Simplified) text in Cantonese words, Hong Kong script."""
        text = _cc("s2hk").convert(text)
        for zh, yue in self._to_yue:
            text = text.replace(zh, yue)
        return text


@dataclass(frozen=True)
class Sample:
    text: str
    benefit: str  # a fact id, or "none"
    attribute: str | None
    lang: str


def pick(options: Sequence[_T], key: str, salt: str = "") -> _T:
    return options[int(hashlib.sha1((salt + key).encode()).hexdigest(), 16) % len(options)]


def strip_punctuation(text: str) -> str:
    out = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return re.sub(r"\s+", " ", out).strip()


def benefit_names(fact: Fact, claims: ClaimRules | None, spec: IntentSpec, shared: set[str | None]) -> dict[str, list[str]]:
    """A benefit's names per language: its record's names and aliases (bracketed parts also dropped), its claims
    subject's words when no other benefit shares the subject, and the descriptions of intents.yaml."""
    names: dict[str, list[str]] = {"zh": [], "en": []}

    def add(term: str) -> None:
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", term) else "en"
        for t in {term, re.sub(r"\s*[（(][^）)]*[）)]", "", term).strip()}:
            if t and t not in names[lang]:
                names[lang].append(t)

    for term in _fact_names(fact):
        add(term)
    if claims is not None and fact.subject and fact.subject not in shared and fact.subject in claims.spec.subjects:
        sub = claims.spec.subjects[fact.subject]
        for term in [*sub.zh, *sub.en]:
            if len(term) >= 2:
                add(term)
    extra = spec.describe.get(fact.id)
    if extra:
        for term in extra.zh + extra.en:
            add(term)
    return names


def _fact_names(fact: Fact) -> list[str]:
    n = fact.names
    return [t for t in [n.en, n.zh, *n.aliases] if t]


def transforms(text: str, lang: str, spec: IntentSpec, key: str) -> list[str]:
    """The ask as written plus one or two spoken/written forms of it."""
    form = pick(["plain", "filler", "punct", "background", "wrapper", "mixed", "trad"], key, "form")
    out = [text]
    if form == "filler" and getattr(spec.fillers, lang):
        out.append(pick(getattr(spec.fillers, lang), key) + (" " if lang == "en" else "，") + text)
    elif form == "punct":
        out.append(strip_punctuation(text))
    elif form == "background" and getattr(spec.backgrounds, lang):
        out.append(pick(getattr(spec.backgrounds, lang), key) + (" " if lang == "en" else "") + text)
    elif form == "wrapper" and getattr(spec.wrappers, lang):
        out.append(pick(getattr(spec.wrappers, lang), key).format(q=text))
    elif form == "mixed" and lang == "zh":
        mixed = text
        for zh, en in spec.code_mixing.get("zh_to_en", {}).items():
            mixed = mixed.replace(zh, f" {en} ")
        out.append(re.sub(r"\s+", " ", mixed).strip())
    elif form == "trad" and lang == "zh":
        out.append(_cc("s2tw").convert(text))
    return out


def generate(spec: IntentSpec, facts: Sequence[Fact], claims: ClaimRules | None, out_of_scope: list[str],
             titles: dict[str, dict[str, str]] | None = None) -> list[Sample]:
    """Variants per benefit x attribute x language form, the plan's other topics, and the "none" class.
    ``titles``: clause id -> the clause's title per language (a topic's name too)."""
    yue = Cantonese(spec.cantonese, spec.cantonese_keep)
    subjects: dict[str | None, int] = {}
    for f in facts:
        subjects[f.subject] = subjects.get(f.subject, 0) + 1
    shared = {s for s, n in subjects.items() if n > 1}
    samples: list[Sample] = []
    for fact in facts:
        names = benefit_names(fact, claims, spec, shared)
        # targets and the plan's dates are asked about as figures, not applied for
        attrs = list(spec.always) if fact.kind not in ("target", "deadline") else []
        if fact.amount is not None:
            attrs.append("amount")
        if fact.duration is not None:
            attrs.append("duration")
        if fact.id in spec.validity_benefits:
            attrs.append("validity")
        for attr in attrs:
            templates = spec.attributes.get(attr)
            if templates is None:
                continue
            for lang in LANGS:
                own = getattr(templates, lang)
                # Cantonese: its own templates, and Mandarin ones turned Cantonese; names from the Chinese ones
                forms = own if lang != "yue" else own + [yue.from_mandarin(t) for t in templates.zh[::2]]
                pool = names["en"] if lang == "en" else names["zh"]
                if not pool:
                    continue
                for i, template in enumerate(forms):
                    for round_ in range(2):
                        key = f"{fact.id}|{attr}|{lang}|{i}|{round_}"
                        name = pick(pool, key, "name")
                        if lang == "yue":
                            name = yue.from_mandarin(name)
                        elif round_ and lang == "zh" and names["en"] and pick([0, 0, 0, 1], key, "cm"):
                            name = pick(names["en"], key)  # an English benefit name in a Chinese ask
                        text = template.format(name=name)
                        for variant in transforms(text, lang, spec, key)[round_:]:
                            samples.append(Sample(variant, fact.id, attr, lang))
    for clause, terms in spec.topics.items():
        names = {"zh": list(terms.zh), "en": list(terms.en)}
        for lang, title in (titles or {}).get(clause, {}).items():
            names.setdefault(lang, []).append(title)
        for lang in LANGS:
            pool = names["en"] if lang == "en" else names["zh"]
            for i, template in enumerate(getattr(spec.topic_templates, lang)):
                for j, name in enumerate(pool):
                    key = f"{clause}|{lang}|{i}|{j}"
                    if lang == "yue":
                        name = yue.from_mandarin(name)
                    for variant in transforms(template.format(name=name), lang, spec, key):
                        samples.append(Sample(variant, TOPIC + clause, None, lang))
    for text, label, lang, key in need_texts(spec, facts, yue):
        for variant in transforms(text, lang, spec, key):
            samples.append(Sample(variant, label, None, lang))
    for lang in LANGS:
        for text in getattr(spec.none, lang) or []:
            samples.append(Sample(text, NONE, None, lang))
        # An ask that names no benefit ("能领多久？", "who can get it?") is about none by itself: a follow-up
        # then keeps the conversation's benefit instead of switching to a guess.
        for attr, templates in spec.attributes.items():
            for template in getattr(templates, lang):
                for pronoun in getattr(spec.pronouns, lang) or [""]:
                    text = re.sub(r"\s+", " ", template.format(name=pronoun)).strip()
                    samples.append(Sample(text, NONE, attr, lang))
    # Out-of-scope topics, asked like a benefit ("签证最高多少？"): about none of the plan's benefits. Asked for
    # an amount, a condition and a procedure each: with one ask per topic, a need of the plan that shares the
    # sentence's shape ("每个月…要交多少") outweighed the topic it names (社保).
    for term in out_of_scope:
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", term) else "en"
        for attr in [a for a in ("amount", "condition", "procedure") if a in spec.attributes]:
            template = pick(getattr(spec.attributes[attr], lang), term, "none")
            samples.append(Sample(template.format(name=term), NONE, attr, lang))
    seen: set[tuple[str, str]] = set()
    unique = []
    for s in samples:
        if (s.text, s.benefit) not in seen:
            seen.add((s.text, s.benefit))
            unique.append(s)
    return unique


def need_label(key: str, facts: Sequence[Fact], spec: IntentSpec) -> str | None:
    """The class a ``needs`` key stands for: a benefit (fact id) or one of the plan's other topics (clause id);
    None when this corpus has neither (a fact record dropped by the corpus check, another city's corpus)."""
    if any(f.id == key for f in facts):
        return key
    if key in spec.topics:
        return TOPIC + key
    return None


def need_texts(spec: IntentSpec, facts: Sequence[Fact], yue: Cantonese) -> list[tuple[str, str, str, str]]:
    """Every need as (text, class, lang, key): as written, and the Chinese ones in Cantonese words too. The
    needs of a benefit this corpus does not hold are left out (the recogniser trains on the benefits it has)."""
    out = []
    for key, terms in spec.needs.items():
        label = need_label(key, facts, spec)
        if label is None:
            log.warning("needs.%s: no benefit or topic of that id in this corpus; its needs are left out", key)
            continue
        for lang in LANGS:
            texts = getattr(terms, lang) + ([yue.from_mandarin(t) for t in terms.zh] if lang == "yue" else [])
            for i, text in enumerate(texts):
                out.append((text, label, lang, f"need|{key}|{lang}|{i}"))
    return out


def vote_anchors(spec: IntentSpec, facts: Sequence[Fact], samples: Sequence[Sample],
                 yue: Cantonese) -> list[tuple[str, str]]:
    """What the nearest-need vote compares an ask with, as (text, class): every need, and the descriptions of
    the benefits and the plan's other topics, and the generated asks about none of them (``samples`` of class
    none: unrelated asks, out-of-scope topics in the templates, templates naming nothing). An ask nearest a topic's description or an out-of-scope topic then votes for that, not for the
    benefit whose need happens to share its sentence shape ("每个月最低要交多少" of social insurance)."""
    out = [(text, label) for text, label, _, _ in need_texts(spec, facts, yue)]
    for key, terms in spec.describe.items():
        out += [(t, key) for t in terms.zh + terms.en]
    for clause, terms in spec.topics.items():
        out += [(t, TOPIC + clause) for t in terms.zh + terms.en]
    out += [(s.text, NONE) for s in samples if s.benefit == NONE]
    return list(dict.fromkeys(out))
