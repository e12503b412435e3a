"""The clauses of a founder's message and which of them ask (assistant/understanding/frame.py frames them).

A message is parted into sentences, each into clauses: at punctuation, between Chinese words a space parts, and —
for English written without any — before a capitalised opener or a question word that begins an ask of its own.
A clause asks when a question word or mark makes it one, unless only a particle that also ends statements does
and the clause tells the founder's story, or when it is a statement ending in a tag ("…200万对吧").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from assistant.knowledge.claims import Matcher, fold
from assistant.knowledge.figures import extract_figures
from assistant.understanding.text import without_spans

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from assistant.knowledge.places import Gazetteer
    from assistant.types import Frame
    from assistant.understanding.dates import YearParser

_SENTENCE = re.compile(r"(?<=[。！？!?；;\n])|(?<=[a-z0-9)”\"'][.])\s+", re.I)
# a full-width comma always parts clauses ("…嚟㗎，2021年…"); an ASCII one not inside a figure ("300,000"); an
# enumeration comma (、) never does: it lists within one clause ("用在办事大厅、网上办事的系统里")
# a dash parts too ("Worked at Baidu 2018–2024 — how much …"), not one between figures ("2026—2027年")
# and, in Chinese written without any punctuation, before 然后 ("…在大疆干了好多年然后现在想…多少"): a run-on goes on
_CLAUSE = re.compile(r"，|(?<!\d),|,(?!\d{3}(?!\d))|[：:]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=然后)"
                     r"|(?<!\d)(?:[—–]+|--)(?!\d)|\s+-\s+")
# "and" before an ask of its own: a question word, or a wondering said after a story in a run-on ("we just quit
# our jobs last year and were wondering how long …")
_EN_AND = re.compile(r"\s+(?:and|also|plus)\s+(?=(?:what|when|where|who|how|which|whether|is|are|do|does|can)\b|"
                     r"(?:(?:i|we)\s+)?(?:(?:was|were|am|are|'m|'re)\s+)?(?:wondering|curious|keen to know|"
                     r"want(?:ed)? to know|would like to know)\b)", re.I)
_EN_OPENER = re.compile(r"(?<=[a-z0-9])\s+(?=(?:How|What|Which|When|Where|Who|Why|Is|Are|Can|Could|Do|Does|Will|Would|"
                        r"Should|Now|So|Also|My|We|Our|If|Since|Because|But|Then|Concretely|Anyway|Honestly|"
                        r"Basically)\b)")
# A question word with what it asks, inside an unpunctuated English clause ("If I move to Shenzhen how much could
# …"): where a new ask may begin. "which"/"who" are left out: they open relative clauses as often.
_EN_WH = re.compile(r"(?<=\w)\s+(?=(?:how|what|when|where|why)\s+(?:much|many|long|often|soon|is|are|was|were|do|does|"
                    r"did|can|could|would|will|should|s|'s|kind|type|exactly)\b)", re.I)
# an auxiliary, then a subject: a pronoun or article, or a name and its verb ("does Guangzhou have …")
_EN_AUX_Q = re.compile(r"(?:do|does|did|can|could|is|are|was|were|will|would|should|may|am|have|has)\s+"
                       r"(?:i|we|you|they|he|she|it|there|this|that|the|a|an|any|these|those)\b"
                       r"|(?:do|does|did|will|would|can|could)\s+\w+\s+(?:have|has|offer|give|provide|run)\b")
_WH = frozenset("how what what's which when where who whom why whose".split())
_YEAR = re.compile(r"(?<![0-9])((?:19|20)\d\d)(?![0-9])")
_YEAR_WORD = re.compile(r"(?<![0-9])(?:19|20)\d\d\s*年?")
_DONE = {"过", "了", "咗"}  # aspect markers: something done (in Simplified; the text is folded)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_OR = re.compile(r"\bor\b|还是|或者|或是|定系|定还是|抑或", re.I)  # options offered to a "which"
# "or" opening a proposition of its own ("还是说计划没讲？", "or does the plan not say?"): an ask, never options
_OR_SAYING = re.compile(r"(?:还是|或者|定系|抑或)(?:说|讲|话)|\bor (?:is|are|does|do|did|has|have|will|can|would|maybe)\b", re.I)
_WHERE = re.compile(r"\bwhere\b|边度|哪里|哪儿", re.I)  # a question word choosing among places offered before it


def offers_options(folded: str, ranked: Matcher) -> bool:
    """The text offers options: an "or" word, or Cantonese 定 alone between two of what may be ranked ("南山定福田"):
    定 is "or" only there (一定, 确定, 定期 are not)."""
    if _OR.search(folded):
        return True
    found = ranked.find(folded)
    return any(folded[a.end:b.start].strip() == "定" for a, b in zip(found, found[1:]))


def bare(text: str) -> str:
    """Folded words only: "Isn't it?" -> "isn t it"."""
    return re.sub(r"[\W_]+", " ", fold(text)).strip()


class ClauseReader:
    """Mixed into ``FrameRules``: parting a message and telling asks from the rest, with its terms."""

    asking: Matcher
    which: Matcher
    instructions: Matcher
    embedding: Matcher
    conditional: Matcher
    plan_named: Matcher
    ranked: Matcher
    about_me: Matcher
    chatter: Matcher
    weak_asking: set[str]
    dates: YearParser
    _tags: set[str]

    # --- pieces ---------------------------------------------------------------------------------
    def parts(self, text: str) -> list[list[str]]:
        """Sentences, each split into clauses (commas, colons, and spaces between Chinese words). English without
        punctuation is split before a capitalised opener ("… in Shenzhen How much is …", "… since If I move …")
        and before a question word that starts a new ask (:meth:`_wh_split`)."""
        out = []
        text = _EN_OPENER.sub("\n", text)
        for sentence in _SENTENCE.split(text):
            clauses = [c.strip() for c in _CLAUSE.split(sentence or "") if c and c.strip()]
            more = []
            for c in clauses:
                for p in _EN_AND.split(c):
                    more += self._wh_split(p.strip()) if p.strip() else []
            if more:
                out.append(more)
        return self._options_kept_together(out)

    def _options_kept_together(self, sentences: list[list[str]]) -> list[list[str]]:
        """A sentence naming only options stays with the "which" ask it offers them to, in the sentence before
        ("邊個區最好？南山定福田？") or after ("Nanshan or Futian? Where is the rent cheaper?"): one sentence."""
        out: list[list[str]] = []
        for sentence in sentences:
            first = fold(sentence[0])
            if out and len(sentence) == 1 and self._only_options(first) and self.which.find(fold(out[-1][-1])):
                out[-1].append(sentence[0])
            elif out and len(out[-1]) == 1 and self._only_options(fold(out[-1][0])) and \
                    (self.which.find(first) or _WHERE.search(first)):
                out[-1] += sentence
            else:
                out.append(list(sentence))
        return out

    def _with_options(self, kept: list[tuple[str, bool, set[str]]], zh: bool,
                      story: Matcher | None = None) -> list[tuple[str, bool, set[str]]]:
        """(clause, asks, subjects) with a part naming only the options of a "which" ask joined to that ask: after it
        ("Which is cheaper for me — A or B?", "哪个上限高，过渡房还是住房补贴？", "邊個最好？南山定福田？") or before
        it, not telling the story ("A or B: where is the rent cheaper?", "A还是B，哪个更划算？"). A personal choice
        is then judged whole, a comparison keeps what it compares."""
        out: list[tuple[str, bool, set[str]]] = []
        for clause, asks, subjects in kept:
            folded = fold(clause)
            if out and asks and out[-1][1] and self.which.find(fold(out[-1][0])) and self._only_options(folded):
                out[-1] = (self._join([out[-1][0], clause], zh), True, out[-1][2] | subjects)
            elif out and asks and self._only_options(before := fold(out[-1][0])) and \
                    not (story is not None and story.find(before)) and (self.which.find(folded) or _WHERE.search(folded)):
                out[-1] = (self._join([out[-1][0], clause], zh), True, out[-1][2] | subjects)
            else:
                out.append((clause, asks, subjects))
        return out

    def _only_options(self, folded: str) -> bool:
        """The part names options and asks nothing else ("南山定福田？", "A or B")."""
        return offers_options(folded, self.ranked) and not _OR_SAYING.search(folded) \
            and not self.asking.find(_OR.sub(" ", folded))

    def _wh_split(self, clause: str) -> list[str]:
        """An English clause parted before a question word that begins an ask of its own: after a lead-in that asks
        nothing ("If I move to Shenzhen | how much could …"), or after an ask ("what's the maximum | where do I
        submit"), but not after a word that embeds it ("tell me how much", "wondering what is")."""
        if _CJK.search(clause):
            return [clause]
        out, last = [], 0
        for m in _EN_WH.finditer(clause):
            before = clause[last:m.start()].strip()
            tail = " ".join(bare(before).split()[-2:])
            if not tail or any(e.end == len(tail) for e in self.embedding.find(tail)):
                continue
            asks = bool(self.asking.find(fold(before)))
            if asks and not (self._is_ask(before) and clause[m.end():m.end() + 5].lower().startswith(("wher", "when", "how"))):
                continue
            out.append(before)
            last = m.end()
        out.append(clause[last:].strip())
        return [p for p in out if p]

    @staticmethod
    def _states_figure(clause: str) -> bool:
        """The part states an amount (not a date): "…最高60万", "up to 1 million yuan"."""
        return any(f.kind not in ("date", "year") for f in extract_figures(clause))

    def _lead(self, pending: list[tuple[str, set[str]]], clause: str, subjects: set[str],
              told: Callable[[Iterable[tuple[str, set[str]]]], None]) -> list[tuple[str, set[str]]]:
        """The lead-in parts before an ask with ``clause`` added. A part that only says when ("2024年的时候") dates
        the ask after it; followed by another lead-in ("2021年，硕士毕业，能申请吗") it dates that one, the founder's
        story: it is told."""
        if not self.dates.only_when(fold(clause)):
            told([p for p in pending if self.dates.only_when(fold(p[0]))])
            pending = [p for p in pending if not self.dates.only_when(fold(p[0]))]
        return [*pending, (clause, subjects)]

    @staticmethod
    def _beside_unstated(frame: Frame, recs: Sequence[object], sure: float) -> None:
        """Beside a part the plan leaves unstated, an ask naming no benefit that the recogniser places in a clause
        of the plan at ``sure`` ("备案指导由哪个平台提供？有没有电话？") is on topic: answered from that clause, the
        part declared — not declined as if the part were all that was asked."""
        if any(a.kind == "unstated" for a in frame.asks):
            for ask, rec in zip(frame.asks, recs):
                if ask.kind == "other" and getattr(rec, "clause_confidence", 0.0) >= sure:
                    ask.kind = "topic"

    @staticmethod
    def _story_like(clause: str, story: Matcher | None, places: Gazetteer | None) -> bool:
        """The part tells the founder's story: first person, a place or a year."""
        return (story is not None and bool(story.find(fold(clause)))) or bool(_YEAR.search(clause)) \
            or bool(places is not None and places.find(clause))

    def _qualifies(self, clause: str, story: Matcher | None, places: Gazetteer | None) -> bool:
        """The part qualifies the ask after it rather than telling the story: it opens with a condition and names
        no place (a place in the founder's story is never judged), or it names the plan, speaks of no one and
        names no place (the places it says the plan names are searched, not judged: :meth:`read`), or it only says
        when ("2024年的时候，…多少？": the year dates the ask)."""
        if self.dates.only_when(fold(clause)):
            return True
        folded = fold(clause).lstrip()
        named_place = places is not None and bool(places.find(clause))
        # Chinese puts the subject first ("我们的产品要是被采用了"); English "if" opens the clause ("not sure if")
        if any(m.start <= 2 or _CJK.search(folded[m.start:m.end]) for m in self.conditional.find(folded)):
            return not named_place
        return self._names_plan(clause, story) and not named_place

    def _about_founder(self, asks: list[str], recs: list[Any], background: list[str], lang: str, zh: bool,
                       claims: Any, learned: Any, story: Matcher | None, places: Gazetteer | None) -> list[str]:
        """Asks referring to the founder or their case and naming no topic ("is there anything for someone like
        me?", "这种算不算人才"): recognised (``recs`` replaced) with the whole story told before (chatter excepted);
        returns that story as searched, for the search text."""
        told = [b for b in background if not self.chatter.find(fold(b))]
        if learned is None or not told:
            return []
        found: list[str] = []
        for i, ask in enumerate(asks):
            subject = claims.subject_of(ask) if claims is not None else None
            named = subject is not None and not claims.named_loosely(ask, subject)
            # the ask names its matter itself: a benefit, or a clause the recogniser reads in its own words
            sure = (getattr(recs[i], "benefit", None) and getattr(recs[i], "confidence", 0.0) >= 0.6) or \
                (getattr(recs[i], "likely_clause", None) and getattr(recs[i], "clause_confidence", 0.0) >= 0.6)
            if named or sure or not self.about_me.find(fold(ask)):
                continue
            recs[i] = learned(self._join([*told, ask], zh), lang)
            found += [self._searched(b, story, places) for b in told]
        return list(dict.fromkeys(found))

    def _searched(self, part: str, story: Matcher | None, places: Gazetteer | None) -> str:
        """A part of the story as searched: without its years and the places the founder tells of — but with those
        it says the plan names ("计划里提到前海和河套，它们是做什么的？")."""
        return _YEAR_WORD.sub("", part if self._names_plan(part, story) else self._placeless(part, places))

    def _names_plan(self, clause: str, story: Matcher | None) -> bool:
        """The part speaks of the plan itself ("计划里提到…", "the plan mentions …"), not of the founder."""
        folded = fold(clause)
        return bool(self.plan_named.find(folded)) and not (story is not None and story.find(folded))

    @staticmethod
    def _placeless(clause: str, places: Gazetteer | None) -> str:
        """A background part without the places it names: they say where the founder comes from."""
        if places is None:
            return clause
        return without_spans(clause, places.find(clause))

    def _asks(self, clause: str, story_like: bool) -> bool:
        """The part asks: a question (:meth:`_is_ask`) — unless only a particle that also ends statements makes it
        one and it tells the story ("我廣州人嚟㗎") — or a statement ending in a tag ("…200萬對吧")."""
        words = bare(clause)
        if any(words.endswith(t) and (_CJK.search(t) or " " in t) and (words == t or _CJK.search(t)
               or words.endswith(" " + t)) for t in self._tags):
            return True
        if not self._is_ask(clause):
            return False
        if story_like and "?" not in clause and "？" not in clause:
            folded = fold(clause)
            return any(folded[m.start:m.end] not in self.weak_asking for m in self.asking.find(folded))
        return True

    def _is_ask(self, clause: str) -> bool:
        if "?" in clause or "？" in clause:
            return True
        folded = fold(clause)
        found = self.asking.find(folded)
        if not found:
            return False
        if _CJK.search(clause):
            # "拿过几个奖", "做咗几年": 几 after an aspect marker counts what was done (a few), it asks nothing
            # ... and so does 几 in a clause ending in something done ("跟几个区的部门都聊过"): a few, no question
            done = re.sub(r"[\W_]+$", "", folded)[-1:] in ("过", "咗")
            return any(not (folded[m.start:m.end].startswith("几") and
                            (folded[max(0, m.start - 1):m.start] in _DONE or done)) for m in found)
        # English: a question word opens the clause (after a filler), or a request phrase stands anywhere; an
        # auxiliary opening a clause without a question mark is a story ("did my undergrad in Singapore").
        lead = re.match(r"\s*(?:(?:so|and|also|but|ok|okay|then|now|hi|hey|well)\W+)*", folded)
        opening = lead.end() if lead else 0  # the pattern matches every text, if only emptily
        return bool(_EN_AUX_Q.match(folded[opening:])) or any(
            " " in folded[m.start:m.end] or (m.start <= opening and folded[m.start:m.end] in _WH) for m in found)

    def _drop_instructions(self, clause: str) -> str:
        folded = fold(clause)
        spans = self.instructions.find(folded)
        if not spans:
            return clause
        out, last = [], 0
        for m in spans:
            out.append(clause[last:m.start])
            last = m.end
        out.append(clause[last:])
        return re.sub(r"\s{2,}", " ", "".join(out)).strip(" ，,。.")

    @staticmethod
    def _join(parts: list[str], zh: bool) -> str:
        return ("，" if zh else ", ").join(p.strip(" ，,。.") for p in parts if p.strip(" ，,。."))

