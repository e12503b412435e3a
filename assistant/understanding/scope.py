"""Whose policy: a document's level and type, and which documents a question is answered from.

Retrieval is scoped before it is ranked. A question (or an API filter) naming documents, issuers or
places is answered from those; one naming none is answered from the deployment's home jurisdiction
(``OPC_HOME_JURISDICTION``, Shenzhen municipal by default) and documents in force today, and from the
whole library only when nothing there answers. The level and type rules are data in
``corpus/government.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import CorpusError, InvalidQuestion, NotFound
from assistant.knowledge.government import government_file, load_government
from assistant.understanding.text import segment, to_simplified

if TYPE_CHECKING:
    from assistant.knowledge.corpus import Corpus
    from assistant.types import Document

LEVELS = ("national", "provincial", "municipal", "district")
DOC_TYPES = ("plan", "implementing_rules", "guide", "notice")
MAX_FILTER = 50  # ids or issuers one request may narrow to


@dataclass(frozen=True)
class Kinds:
    national_issuer: re.Pattern[str]
    suffixes: tuple[tuple[str, str], ...]
    types: tuple[tuple[str, re.Pattern[str]], ...]


def load_kinds(path: Path | None = None) -> Kinds:
    """The level and type rules of the deployment's government.yaml; a malformed file fails with its name."""
    return _load_kinds(government_file(path))


@lru_cache(maxsize=4)
def _load_kinds(path: Path) -> Kinds:
    raw = load_government(path)
    try:
        levels = raw["levels"]
        suffixes = tuple((str(k), str(v)) for k, v in levels["suffixes"].items())
        types = tuple((str(t), re.compile(p, re.I)) for t, p in raw["doc_types"])
        bad = [v for _, v in suffixes if v not in LEVELS] + [t for t, _ in types if t not in DOC_TYPES]
        if bad:
            raise ValueError(f"unknown level or type {bad[0]!r}")
        return Kinds(re.compile(levels["national_issuer"], re.I), suffixes, types)
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise CorpusError(f"{path}: invalid levels / doc_types ({exc.__class__.__name__}: {exc})") from None


def level_of(jurisdiction: str | None, issuer: dict[str, str]) -> str | None:
    kinds = load_kinds()
    if any(kinds.national_issuer.search(name) for name in issuer.values()):
        return "national"
    if not jurisdiction:
        return None
    return next((level for suffix, level in kinds.suffixes if jurisdiction.endswith(suffix)), None)


def type_of(title: dict[str, str]) -> str:
    kinds = load_kinds()
    for text in title.values():
        for kind, pattern in kinds.types:
            if pattern.search(text):
                return kind
    return "notice"


@dataclass
class Scope:
    """The documents a question is answered from, tried in order: the first that answers is used."""

    tiers: list[set[str]] = field(default_factory=list)  # doc ids; an empty list means the whole library
    reason: str = "all"  # "filter" | "named" | "home" | "all"
    prefer: set[str] = field(default_factory=set)  # searched on their own too, so many look-alikes never hide them


_WRAPPER = re.compile(r"^(?:关于)?(?:印发|发布|公布)?[《“]?|[》”]?(?:的通知|的公告)?$|[（(](?:试行|暂行|征求意见稿|修订)[)）]")
_INNER = re.compile(r"《([^》]{4,})》")
_PERIOD = re.compile(r"\s*[（(][^（）()]*\d[^（）()]*[）)]")


def _names(doc: Document, fold: Callable[[str], str]) -> list[str]:
    """How a question may name a document: its titles (also as people shorten them: the 《…》 inside a notice's
    title, without "（试行）", without its period, without the issuing place), short titles, number and issuer (4+ characters)."""
    titles = [*doc.title.values(), *doc.short_title.values()]
    for t in list(titles):
        titles += _INNER.findall(t)
    # a title is named without its period too: "深圳市打造…行动计划" names "…行动计划（2026—2027年）"
    titles += [_PERIOD.sub("", t).strip() for t in titles]
    short = [_WRAPPER.sub("", t).strip() for t in titles]
    place = doc.jurisdiction or ""
    if len(place) >= 2:
        bare = place[:-1] if place[-1] in "市区县省" else place
        for t in list(short):
            p = place if place in t else bare if bare in t else None
            if p and len(t.split(p, 1)[1]) >= 6:
                short.append(t.split(p, 1)[1])
    out = [*titles, *short, *_tails([t for t in short if not _PERIOD.search(t)]), doc.doc_number or "", *doc.issuer.values()]
    return list(dict.fromkeys(fold(n) for n in out if len(n) >= 4))


# A Chinese title is also named by its tail from a word on: "算力券管理办法" names "星澜市人工智能算力券管理办法",
# "融资支持实施细则" the district's "一人公司融资支持实施细则". At least this many characters and words, so that a
# bare kind of document ("管理办法", "实施细则") names none.
TAIL_CHARS, TAIL_WORDS = 6, 3


def _tails(titles: list[str]) -> list[str]:
    out = []
    for title in titles:
        if not re.search(r"[\u4e00-\u9fff]", title):
            continue
        words = segment(title)
        for i in range(1, len(words) - TAIL_WORDS + 1):
            tail = "".join(words[i:])
            if len(tail) >= TAIL_CHARS:
                out.append(tail)
    return out


NAME_KEY = 4  # every name is at least this long; its first characters key it in the name index


class Scoper:
    """The documents' names and scopes, prepared once per corpus. Names are indexed by their first
    ``NAME_KEY`` characters, so naming a document costs a look-up per position of the question, not a scan of
    every name of a library of thousands."""

    def __init__(self, corpus: Corpus, home: str | None,
                 fold: Callable[[str], str] = lambda t: to_simplified(t).lower()) -> None:
        self.corpus = corpus
        self.home = home
        self.names: dict[str, list[tuple[str, str]]] = {}  # first characters -> (name, doc id)
        # Every document's names, the built-in plan's included: a question naming the plan's title or issuer
        # is answered from the plan, never only from an added document claiming the same name.
        for d in corpus.documents:
            for name in _names(d, fold):
                self.names.setdefault(name[:NAME_KEY], []).append((name, d.id))
        self.library = any(d.authority == "document" for d in corpus.documents)
        self._home: dict[str, tuple[set[str], set[str]]] = {}
        # The built-in documents (the plan and its background) are preferred where they are the home's own (a
        # deployment elsewhere answers its own first), and rank among themselves as they do without a library.
        self.builtin = {d.id for d in corpus.documents if d.authority != "document" and d.jurisdiction in (None, home)}

    def named(self, low: str) -> set[str]:
        """Documents whose title, number or issuer appears in ``low`` (folded question text)."""
        found: set[str] = set()
        for i in range(len(low) - NAME_KEY + 1):
            for name, doc_id in self.names.get(low[i : i + NAME_KEY], ()):
                if low.startswith(name, i):
                    found.add(doc_id)
        return found

    def home_tiers(self, today: str) -> tuple[set[str], set[str]]:
        """(home documents in force with the built-in ones, documents in force anywhere) as of ``today``."""
        if today not in self._home:
            docs = self.corpus.documents
            in_force = {d.id for d in docs if d.authority != "document" or d.status(today) == "in_force"}
            home = {d.id for d in docs if d.id in in_force and (d.authority != "document" or d.jurisdiction == self.home)}
            self._home = {today: (home, in_force)}
        return self._home[today]

    def scope(self, text: str, places: set[str], today: str, chosen: set[str] | None) -> Scope:
        if chosen is not None:
            return Scope([chosen], "filter")
        if not self.library:  # the built-in corpus alone: nothing to scope
            return Scope([], "all")
        named = self.named(to_simplified(text).lower())
        if named:
            return Scope([named, set()], "named", named & self.builtin)
        if places:  # a place's documents; the built-in plan of that place first among them
            named = {d.id for d in self.corpus.documents if d.jurisdiction in places}
            if named:
                return Scope([named, set()], "place", named & self.builtin)
        # The built-in plan (and its background) always belong to the home library; then documents in force
        # anywhere; then everything (an expired document answers only when nothing else does, with its note).
        home, in_force = self.home_tiers(today)
        return Scope([home, in_force, set()], "home", self.builtin)


def check_filter(corpus: Corpus, documents: list[str] | None, issuers: list[str] | None) -> set[str] | None:
    """The documents an API request narrows to (None: no filter). Unknown ids and issuers are errors."""
    if not documents and not issuers:
        return None
    if len(documents or []) + len(issuers or []) > MAX_FILTER:
        raise InvalidQuestion(f"Narrow to at most {MAX_FILTER} documents and issuers.")
    chosen: set[str] = set()
    for doc_id in documents or []:
        chosen.add(corpus.document(doc_id).id)  # NotFound names the unknown id
    for issuer in issuers or []:
        want = to_simplified(issuer.strip()).lower()
        found = {d.id for d in corpus.documents
                 if want and any(want in to_simplified(n).lower() for n in d.issuer.values())}
        if not found:
            raise NotFound(f"No document issued by {issuer!r}.")
        chosen |= found
    return chosen


# --- the eligibility check narrowed to places ---------------------------
_PLACE_SUFFIX = re.compile(r"(市|区|县|省|\s+(city|district|county|province))$", re.I)


@lru_cache(maxsize=4096)  # a library's documents name few places
def _place_key(name: str) -> str:
    return _PLACE_SUFFIX.sub("", to_simplified(name.strip()).lower()).strip()


def check_jurisdictions(corpus: Corpus, names: list[str] | None) -> set[str] | None:
    """The documents of the places a request names ("深圳市", "深圳", "Shenzhen", "Nanshan District"); None for
    no places. A place no document governs is an error naming it."""
    if not names:
        return None
    if len(names) > MAX_FILTER:
        raise InvalidQuestion(f"Narrow to at most {MAX_FILTER} places.")
    by_place: dict[str, set[str]] = {}  # folded once per request: a library has thousands of documents
    for d in corpus.documents:
        for j in {d.jurisdiction, d.jurisdiction_en} - {None, ""}:
            by_place.setdefault(_place_key(j), set()).add(d.id)
    chosen: set[str] = set()
    for name in names:
        found = by_place.get(_place_key(name), set())
        if not found:
            raise NotFound(f"No document of the place {name!r}.")
        chosen |= found
    return chosen
