"""Is each statement of an answer supported? The grounding gate's allow-list (data: corpus/support.yaml).

A statement (statements.py) is supported when what it says comes from the cited clauses, the verified fact records of
those clauses or the question:
- its words: every content word (English, stemmed) and Chinese character pair must occur there, or be a claims.yaml
  term the sources name too. A run no source uses is a claim of its own (an item, a condition, a procedure, a place)
  unless it restates what the cited sentence says in its place (restatement.py);
- its claim markers ("every", 无需申请, "the largest", a website, "already") need a cited clause making the same claim;
- its quotations: verbatim (after folding script, case and punctuation) in a cited clause.
A statement of what the plan does not say (`absence`) holds when that is missing from the sources and their records
(absence.py). Figures are gate.py's."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answering.absence import AbsenceRules
from assistant.answering.bound_conditions import conflicts, moved_within
from assistant.answering.derived import Arithmetic
from assistant.answering.derived import clear_caches as clear_derived_caches
from assistant.answering.enumerations import clear_caches as clear_list_caches
from assistant.answering.enumerations import lists_in, swapped_in
from assistant.answering.modality import clear_caches as clear_modality_caches
from assistant.answering.modality import duty_problem, how_often, marker_exempt, superlative_problem, universal_problem
from assistant.answering.names import AUTHORITY, known_authority, renamed
from assistant.answering.polarity import Polarity
from assistant.answering.relations import Relations
from assistant.answering.relations import clear_caches as clear_relation_caches
from assistant.answering.restated import restated_choice
from assistant.answering.restatement import Restatements, e5_query, glossed, novel_run
from assistant.answering.restatement import clear_caches as clear_restatement_caches
from assistant.answering.restrictions import narrowed_family, restriction_problem
from assistant.answering.roles import Roles
from assistant.answering.sequence import imposed_order
from assistant.answering.statements import CITE_MARK, quotations, spell_out, statements
from assistant.answering.support_spec import SupportSpec
from assistant.answering.vocabulary import CJK as _CJK
from assistant.answering.vocabulary import PUNCT as _PUNCT
from assistant.answering.vocabulary import WORD as _WORD
from assistant.answering.vocabulary import Vocabulary, record_words
from assistant.answering.vocabulary import clear_caches as clear_vocabulary_caches
from assistant.answering.vocabulary import flat_texts as _flat
from assistant.answering.vocabulary import folded_texts as _folded
from assistant.answering.vocabulary import sources_vocabulary as _vocabulary
from assistant.answering.vocabulary import stem as _stem
from assistant.answering.vocabulary import term_pattern as _one
from assistant.answering.vocabulary import terms_pattern as _pattern
from assistant.knowledge.claims import ClaimRules, fold
from assistant.knowledge.figures import extract_figures
from assistant.knowledge.rules_file import read_rules

if TYPE_CHECKING:
    from assistant.knowledge.facts import Fact
    from assistant.knowledge.places import Gazetteer

_URL = re.compile(r"(?:https?://|www\.)[\w./%-]+|[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|com|org|net|cn)\b"
                  r"|\b\d{3,4}[- ]?\d{7,8}\b|\b1[3-9]\d{9}\b")
# Chinese runs of at least this many characters that the sources never use make a statement unsupported;
# shorter ones are paraphrase ("期限" for "最长…个月"). English: this many content words the sources lack.
ZH_NOVEL_MIN = 3
EN_NOVEL_MIN = 2


@dataclass(frozen=True)
class Finding:
    statement: str
    kind: str          # 'words', 'marker', 'quote', 'contact', 'bound_condition', 'absence', 'negation', 'role'
    detail: str


class SupportRules:
    def __init__(self, spec: SupportSpec) -> None:
        self.spec = spec
        self.filler = _pattern(spec.filler.en + spec.filler.zh)
        self.filler_stems = frozenset(_stem(fold(w)) for w in spec.filler.en)   # "paying" is "pay"
        # "…, and encourages joint labs": a verb of what the plan does opens a clause, it names no list item
        self.item_filler = self.filler_stems | {_stem(fold(w)) for w in spec.encouragement.en + spec.provision.en}
        self.markers = {g: _pattern(t.en + t.zh) for g, t in spec.markers.items()}
        # a marker inside a longer reviewed synonym (第一 in 第一步, a step, not a ranking) is that synonym's word
        self.equivalent = _pattern([t for g in spec.equivalents for t in g])
        self.equivalent_of = {fold(t): g for g in spec.equivalents for t in g}
        self.absent = AbsenceRules(spec.absent, _pattern(spec.absence.en + spec.absence.zh), self.filler)
        self.absence = self.absent.pattern
        self.restriction = _pattern(spec.restriction.en + spec.restriction.zh)
        self.leading = _pattern(spec.leading.en + spec.leading.zh)
        self.guidance = _pattern(spec.guidance.en + spec.guidance.zh)
        self.exclusive = _pattern(spec.exclusive.en + spec.exclusive.zh)
        self.reporting = _pattern(spec.reporting.en + spec.reporting.zh)
        self.obligation = _pattern(spec.obligation.en + spec.obligation.zh)
        self.encouragement = _pattern(spec.encouragement.en + spec.encouragement.zh)
        self.periods = {k: rx for k, t in spec.frequency.items() if (rx := _pattern(t.en + t.zh)) is not None}
        self.provision = _pattern(spec.provision.en + spec.provision.zh)
        self.eligibility = _pattern(spec.eligibility.en + spec.eligibility.zh)
        self.ceiling = _pattern(spec.ceiling.en + spec.ceiling.zh)
        self.purpose = _pattern(spec.purpose.en + spec.purpose.zh)
        self.arithmetic = Arithmetic(spec.arithmetic, lambda t: lists_in(t, self.filler, self.filler_stems, _stem),
                                     self.filler)
        self.relations = Relations(spec.relations, self.arithmetic)
        self.restatements = Restatements(spec.restatement, e5_query)
        self.polarity = Polarity(spec.polarity)
        self.roles = Roles(spec.roles, self.encouragement)
        self.per = _pattern(spec.arithmetic.per.en + spec.arithmetic.per.zh)   # "monthly": a rate or a procedure
        # 最高, 最长: caps, not rankings
        self.superlatives_allowed = frozenset(fold(t)[:2] for t in spec.filler.zh if fold(t).startswith("最"))

    def claimed(self, answer: str) -> str:
        """The answer without its statements of what the plan does not say."""
        if self.absence is None:
            return answer
        return " ".join(st.text for st in statements(answer) if not self.absence.search(fold(st.part)))

    # --- what the sources say ----------------------------------------------------------------
    def vocabulary(self, texts: tuple[str, ...], claims: ClaimRules | None) -> Vocabulary:
        return _vocabulary(self, texts, claims)

    def check(self, answer: str, sources: list[str], question: str, claims: ClaimRules | None = None,
              facts: Sequence[Fact] | None = None, places: Gazetteer | None = None, settled: bool = False) -> list[Finding]:
        """What no cited source supports, statement by statement (empty: every statement is supported).
        ``facts``: the verified fact records of the cited clauses; ``settled``: the answer fails anyway."""
        support = tuple([*sources, *record_words(facts or [])])
        pairs, chars, stems = own = self.vocabulary(support, claims)   # cached: a server has seen these clauses
        if question:
            q_pairs, q_chars, q_stems = _vocabulary(self, (question,), None)   # again on the retry
            pairs, chars, stems = pairs | q_pairs, chars | q_chars, stems | q_stems
        src_folded, src_flat = _folded(tuple(sources)), _flat(support)
        out: list[Finding] = []
        for quote in quotations(answer):
            flat = _PUNCT.sub("", fold(quote))
            if flat and not any(flat in s for s in src_flat):
                out.append(Finding(quote, "quote", quote))
        for st in statements(answer):
            text = spell_out(re.sub(r"\[\d{1,3}\]", " ", st.text))
            folded = fold(text)
            if url := _URL.search(folded):
                out.append(Finding(st.text, "contact", url.group()))
                continue
            if self.absence and self.absence.search(fold(st.part)) and (self.absence.search(fold(st.text)) or not any(
                    rx and rx.search(folded) for rx in self.markers.values())):
                # what the plan does not say: its words name what is missing, which must be missing indeed (a
                # clause it governs, "…, for example an age limit", names more of it unless it makes a claim)
                # the sources' own words: the question asking about a thing does not give it
                given = self.absent.problem(text, sources, facts or [], claims, lambda t: novel_run(
                    t, own[0], own[1], own[2] | self.filler_stems, 1, 1, _stem), st.sentence, self.spec.bound_flags,
                    answer[:answer.find(st.sentence)] if st.sentence in answer else "")
                if given:
                    out.append(Finding(st.text, "absence", given))
                continue
            denied = self.polarity.contradicted(folded, sources) or self.polarity.waived(folded, fold(st.sentence), sources, claims)
            if denied:
                out.append(Finding(st.text, "negation", denied))
                continue
            role = self.roles.actor(folded, sources, lambda t: set(self.units(t))) or (
                places is not None and self.roles.place(st.text, st.sentence[:max(0, st.sentence.find(st.text))],
                                                        sources, places, self.units))
            if role:
                out.append(Finding(st.text, "role", role))
                continue
            narrowed = narrowed_family(st.part, sources, claims, self)
            if narrowed:
                out.append(Finding(st.text, "marker", narrowed))
                continue
            duty = duty_problem(folded, sources, claims, self.obligation, self.encouragement, self.filler,
                                self.provision) \
                or superlative_problem(folded, sources, self.superlatives_allowed) or universal_problem(folded, sources) \
                or how_often(folded, sources, self.periods, self.filler, self.absence) \
                or imposed_order(fold(spell_out(CITE_MARK.sub(" ", st.part))), fold(text), sources, self.spec.order)
            if duty:
                out.append(Finding(st.text, "marker", duty))
                continue
            restricted = bool(self.restriction and self.restriction.search(fold(st.part)))
            moved = conflicts(st.part, facts or [], claims, self.spec.bound_flags, restricted) \
                or moved_within(st.part, st.text, facts or [], claims, self.spec.bound_flags,
                                question)
            if moved and claims is not None:  # only claim rules bind a moved condition
                words = claims.spec.flags[moved].asserts
                out.append(Finding(st.text, "bound_condition", (words.zh if _CJK.search(st.text) else words.en)[0]))
                continue
            paren = renamed(folded, src_folded)
            if paren:
                out.append(Finding(st.text, "marker", paren))
                continue
            org = AUTHORITY.search(folded)
            if org and not known_authority(org.group(), src_flat, self.spec.equivalents):
                out.append(Finding(st.text, "marker", text[org.start():org.end()]))
                continue
            related = self.relations.check(st, folded, tuple(sources), claims)
            choice = related.problem or restated_choice(st, sources, claims, self.spec.relations.alternative.en
                                                        + self.spec.relations.alternative.zh, self.spec.restated)
            if choice:
                out.append(Finding(st.text, "marker", choice))
                continue
            # relation words the sources bear out ("只能二选一" where they offer the choice) restrict nothing new
            borne = [w for w in re.split(r"\s+", "".join(a if a != b else " " for a, b in zip(folded, related.folded)))
                     if w]
            folded = related.folded   # the choice the sources offer, said in other words, is no novel word
            limits = any(rx is not None and rx.search(folded) for rx in (self.restriction, self.leading))
            def unsupported(t: str, b: list[str] = borne) -> str | None:
                return self._unsupported(t, pairs, chars, stems, b)
            limited = limits and restriction_problem(spell_out(st.text), spell_out(st.part), sources, self, _stem, unsupported) \
                or swapped_in(st.text, st.part, sources, self.filler, self.item_filler, _stem, self.provision) \
                or self._purpose_problem(folded, unsupported)
            if limited:
                out.append(Finding(st.text, "marker", limited))
                continue
            for group, rx in self.markers.items():
                m = rx.search(folded) if rx else None
                same = _one(m.group()) if m else None   # the claim itself, not a word of its kind
                if m and (marker_exempt(group, folded, m.start(), m.end(), sources, claims, self.spec.bound_flags,
                                        self.eligibility, self.filler) or self._synonym_at(folded, m, src_folded)):
                    continue
                if m and same is not None and not any(same.search(s) for s in src_folded) and not (
                        group == "aggregate" and (self.arithmetic.totals_whole(st.part, sources) or self.arithmetic.names_total(
                            st.part, st.sentence, m.group(), sources, claims))) and not \
                        self.restatements.marker(folded, m.start(), m.end(), st.text, sources, claims, lambda w: w in pairs
                                                 or _stem(w) in stems, places, self.per, settled or bool(out)):
                    out.append(Finding(st.text, "marker", text[m.start():m.end()] or m.group()))
                    break
            else:
                novel = None if self.polarity.contrasted(st.text, st.sentence) or glossed(st.text, st.sentence) \
                    else self.restatements.read_past(folded, partial(self._novel, pairs=pairs, chars=chars, stems=stems, sources=src_folded, sentence=st.sentence), st.text, sources,
                                                    claims, pairs, lambda w: _stem(w) in stems and _stem(w) not in self.filler_stems, places, settled or bool(out))
                if novel:
                    out.append(Finding(st.text, "words", novel))
        return out

    def units(self, text: str) -> list[str]:
        """What ``text`` says, in order, as the roles check compares it: Chinese character pairs and English
        stems, filler words and citation markers left out."""
        folded = fold(CITE_MARK.sub(" ", text))
        if self.filler is not None:
            folded = self.filler.sub(" ", folded)
        out: list[str] = []
        for m in re.finditer(r"[\u3400-\u9fff]+|[a-z][a-z'’-]*[a-z]", folded):
            w = m.group()
            if _CJK.match(w):
                out += [w[i:i + 2] for i in range(len(w) - 1)] or [w]
            elif len(w) > 1 and _stem(w) not in self.filler_stems:
                out.append(_stem(w))
        return out

    def _synonym_at(self, folded: str, m: re.Match[str], src_folded: list[str]) -> bool:
        """The marker ``m`` is part of a longer `equivalents` term (第一步 holds the ranking word 第一) of which a
        cited clause says one synonym (首先): the term says what the clause says, not the marker's claim."""
        for e in self.equivalent.finditer(folded) if self.equivalent else ():
            if e.start() <= m.start() and m.end() <= e.end() and e.end() - e.start() > m.end() - m.start():
                group = self.equivalent_of.get(e.group(), [])
                return any((p := _one(t)) is not None and p.search(s) for t in group for s in src_folded)
        return False

    def _purpose_problem(self, folded: str, unsupported: Callable[[str], str | None]) -> str | None:
        """What a thing is for ("主要用来支持成熟期企业上市融资" where the clause funds seed-stage firms) is a claim as
        strong as whom it is for: the purpose after a `purpose` word, to the end of its clause, word for word."""
        m = self.purpose.search(folded) if self.purpose is not None else None
        if m is None:
            return None
        novel = unsupported(folded[m.end():].strip(" ，。,.;；"))
        return f"{m.group()} {novel}" if novel else None

    def _blanked(self, folded: str) -> str:
        """``folded`` with its figures, filler words and claim markers blanked: what its words must support."""
        blank = list(folded)
        for f in extract_figures(folded):
            blank[f.start:f.end] = " " * (f.end - f.start)
        # a hyphenated word with a content part is one word ("single-person"); one of filler alone says nothing
        whole = [h.span() for h in _HYPHENED.finditer(folded) if self.filler is None
                 or not all(self.filler.fullmatch(p) for p in h.group().split("-"))]
        for rx in [self.filler, *self.markers.values()]:
            for m in rx.finditer(folded) if rx is not None else ():
                if not any(a <= m.start() and m.end() <= b and (a, b) != m.span() for a, b in whole):
                    blank[m.start():m.end()] = " " * (m.end() - m.start())
        return "".join(blank)

    def _unsupported(self, folded: str, pairs: frozenset[str], chars: frozenset[str], stems: frozenset[str],
                     borne: list[str]) -> str | None:
        """Word for word: a Chinese character no source pair covers (read with its neighbours, even those that are
        figures or filler: "5年内创业"), or an English content word no source uses (a restricted phrase)."""
        for w in borne:
            folded = folded.replace(w, " " * len(w))
        blank = self._blanked(folded)
        for run in re.finditer(r"[\u3400-\u9fff]+", folded):
            s, at = run.group(), run.start()
            for i, c in enumerate(s):
                if blank[at + i] == " ":
                    continue
                if not (s[max(i - 1, 0):i + 1] in pairs or s[i:i + 2] in pairs or len(s) == 1 and c in chars):
                    return s
        return novel_run(re.sub(r"[\u3400-\u9fff]", " ", blank), pairs, chars, stems | self.filler_stems, 1, 1, _stem)

    def _novel(self, folded: str, pairs: frozenset[str], chars: frozenset[str], stems: frozenset[str],
               sources: Sequence[str] = (), sentence: str = "") -> str | None:
        """The first run of words no source uses, when long enough to be a claim of its own."""
        text = self._blanked(folded)
        # an "and" inside a name a cited clause writes ("industry and information technology bureau") joins no list
        joins = [m for m in _ITEM.finditer(folded) if not _in_phrase(folded, m, sources)]
        # List items ("A、B和C", "A, B and C") are claims of their own: one unknown item is one claim too many
        zh_list = "、" in folded
        # a clause of a sentence listing "A, B, and C" after its first may be one item ("overseas trademark registration,")
        en_list = any(re.fullmatch(r"and|or", m.group()) for m in joins) or bool(_EN_SERIES.search(fold(sentence))) \
            and not fold(sentence).lstrip().startswith(folded.strip()[:12])
        # cut at separators and, in English, where filler words were ("AI and semiconductor funds to focus") and at
        # the commas of a list ("payments, overseas trademark registration, and other challenges")
        cuts = sorted({0, len(folded), *(m.end() for m in joins), *(m.end() for m in _COMMA.finditer(folded) if en_list),
                       *(m.end() for m in re.finditer(r"[a-z0-9]\s{3,}(?=[a-z])", text))})
        for a, b in zip(cuts, cuts[1:]):
            item = text[a:b]
            short_zh = zh_list and 0 < len(_CJK.findall(item)) <= LIST_ITEM_CHARS
            short_en = en_list and 0 < len(_WORD.findall(item)) <= LIST_ITEM_WORDS
            # the statement's first piece opens with what governs the list ("选址由各区在人才密度高、…"), not an item
            found = novel_run(item, pairs, chars, stems | self.filler_stems, 2 if short_zh else ZH_NOVEL_MIN,
                               1 if short_en else EN_NOVEL_MIN, _stem, lead=zh_list and a > 0)
            if found:
                return found
        return None


# where a list item ends: 、 and the connectives 和 及 与 或 同 "and" "or"
_ITEM = re.compile(r"[、/和及与或同]|(?<![a-z])(?:and|or)(?![a-z])")
_COMMA = re.compile(r",(?![0-9]{3})")
_EN_SERIES = re.compile(r"[a-z], [a-z][a-z -]*, (?:and|or) [a-z]")
_BEFORE, _AFTER = re.compile(r"([a-z]+)\s*$"), re.compile(r"\s*([a-z]+)")
_HYPHENED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


def _in_phrase(folded: str, join: re.Match[str], sources: Sequence[str]) -> bool:
    """An English "and"/"or" with the words either side of it as a cited clause writes them together."""
    if not join.group().isalpha() or not join.group().isascii():
        return False
    left, right = _BEFORE.search(folded[:join.start()]), _AFTER.match(folded, join.end())
    if not left or not right:
        return False
    phrase = f"{left.group(1)} {join.group()} {right.group(1)}"
    return any(re.search(r"(?<![a-z])" + re.escape(phrase) + r"(?![a-z])", s) for s in sources)
LIST_ITEM_CHARS, LIST_ITEM_WORDS = 6, 3


def clear_caches() -> None:
    """Forget the sources' vocabularies (benchmarks measure answers on sources never seen)."""
    for cached in (spell_out, statements):
        cached.cache_clear()
    clear_vocabulary_caches()
    clear_modality_caches()
    clear_list_caches()
    clear_relation_caches()
    clear_derived_caches()
    clear_restatement_caches()


@lru_cache(maxsize=8)
def load_support(path: Path) -> SupportRules:
    """Read and validate corpus/support.yaml; a broken file is a CorpusError naming what is wrong."""
    return read_rules(path, SupportSpec, "the support rules", SupportRules)
