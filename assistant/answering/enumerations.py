"""Lists a text enumerates ("A、B和C", "A, B, and C") and what an answer does with a cited clause's lists.

A list item is a claim of membership: "the platform offers A、B、C以及D" says D is one of THOSE services, not merely a
word the sources use somewhere (D may be a problem another list of the plan names). And a restriction that keeps
some items of a list the clause enumerates ("仅限A" where the clause supports A、B和C) narrows the clause.

Items are read by where their head word sits: the first item of a list ends at the separator ("支持**高校**、"), the
last one starts after the connective ("和**企业**组建"), a middle item is whole. Words that carry no claim
(support.yaml `filler`: 提供, 支持, 的, "the") are cut off the first item's front. An item ending with a source item's
head is that item too (跨境税务 is 税务). A list of two is read where one of its items is an item of a cited list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from assistant.knowledge.claims import fold

# where a list cannot continue: sentence and clause punctuation, brackets, quotes
_SEGMENT_ZH = re.compile(r"[，。；：！？,;:!?（）()“”「」『』\"\n]")
# 同 is Cantonese "and" except inside a word (同一, 协同, 共同, 同时)
_CONNECTIVE_ZH = re.compile(r"以及|或者|和|及|与|或|(?<![协共相一不等如连会])同(?![一时步等样期类业])")
_CJK = re.compile(r"[\u3400-\u9fff]")
# a list continued after a comma: "A、B、C，仲有D呢啲难题", "A、B，以及D" (D is claimed one of them)
# only where what follows names the list's kind again (呢啲难题, 等专业服务): "，仲有相应嘅贴息" adds another thing
_CONTINUES = r"(?:另外仲有|另外还有|仲有|还有|以及|另外|同埋|再加上)"
_CONTINUED_ZH = re.compile(r"[，,]\s*" + _CONTINUES + r"(?=[^，,。；;]{2,}?(?:呢啲|呢几|这些|这几|等|之类))")
_CONTINUER_ZH = re.compile(r"、" + _CONTINUES)
# what closes a list ("A、B、C等难题", "A、B这些服务"): the last item ends right before it
_CLOSER_ZH = re.compile(r"等|之类|这些|这几|呢啲|呢几")
_RUN_ZH = re.compile(r"[\u3400-\u9fffa-z0-9]+")
# an English list: comma-separated items closed by "and"/"or" (the last item's first word)
_SEGMENT_EN = re.compile(r"[.;:!?()\"“”\n]|\s[-–—]\s")
_EN_AND = re.compile(r"(?:,\s*|\s+)(?:and|or)\s+([a-z][a-z0-9'’-]*)")
_COMMA = re.compile(r",(?![0-9]{3})")   # not the comma of 100,000
_OPENS_AND = re.compile(r"\s*(?:and|or)\s")
_COMPOUND = re.compile(r"([a-z]+)-([a-z]+)")
_EN_WORD = re.compile(r"[a-z][a-z0-9'’-]*")
Stem = Callable[[str], str]
_CUT_ZH = re.compile(r"[的对为向由在于从把将给]")
# the head of a first item ends it, the head of a last item starts it: two characters, or a Latin word ("API")
_FIRST_KEY = re.compile(r"(?:[a-z][a-z0-9]*|[\u3400-\u9fff]{2})$")
_LAST_KEY = re.compile(r"[a-z][a-z0-9]*|[\u3400-\u9fff]{2}")
_NUMBER_WORDS = frozenset({"hundred", "thousand", "million", "billion"})
LEAD_ZH, LEAD_EN = 12, 8   # how far before its first item a list's governing word may stand
EDGE_ZH = 4          # characters of a first or last item that can hold its head word
MIDDLE_WORDS = 5     # a comma-separated chunk longer than this is a clause, not a list item
EN_LAST_WORDS = 2    # the words after "and" that may name the last item of an English list


@dataclass(frozen=True)
class Item:
    key: str           # what names the item: its head (Chinese, 2+ characters) or head word (English, stemmed)
    start: int         # span of the item's text in the folded text
    end: int
    text: str = ""     # its words, filler cut off (Chinese): a source item's head inside it makes it that item
    whole: str = ""    # a last item a closing word ends (海外推广等): all of its head, compared whole, not by a prefix


@dataclass(frozen=True)
class Listing:
    items: tuple[Item, ...]
    span: str          # the text of the whole list (a member of the list occurs in it)
    lead: str = ""     # the words before and of its first item: what governs the list ("提供政策咨询")


def _zh_lists(text: str, filler: re.Pattern[str] | None) -> list[Listing]:
    out: list[Listing] = []
    pos = 0
    for seg in [*_SEGMENT_ZH.split(text)]:
        at = text.find(seg, pos)
        pos = at + len(seg)
        pieces = seg.split("、")
        if len(pieces) < 2:
            conn = _CONNECTIVE_ZH.search(seg)
            if not conn:
                continue
            pieces = [seg[:conn.start()], seg[conn.end():]]
        else:
            conn = _CONNECTIVE_ZH.search(pieces[-1])
            if conn and conn.start() > 0:   # "税务和知识产权服务": two items
                pieces = [*pieces[:-1], pieces[-1][:conn.start()], pieces[-1][conn.end():]]
        first = _after_filler(pieces[0], filler)[-EDGE_ZH:]
        last = _before_filler(pieces[-1], filler)[:EDGE_ZH]
        head, tail = _FIRST_KEY.search(first), _LAST_KEY.match(last)
        if not head or not tail or any(not p.strip() for p in pieces[1:-1]):
            continue
        items = [Item(head.group(), at, at + len(pieces[0]), _after_filler(pieces[0], filler))]
        off = at + len(pieces[0]) + 1
        for m in pieces[1:-1]:
            items.append(Item(m, off, off + len(m), m))
            off += len(m) + 1
        end = at + len(seg)
        closed = _CLOSER_ZH.search(pieces[-1])
        whole = _before_filler(pieces[-1][:closed.start()], filler) if closed else ""
        items.append(Item(tail.group(), end - len(pieces[-1]), end, _before_filler(pieces[-1], filler),
                          whole if len(whole) <= 2 * EDGE_ZH else ""))
        span = first + text[at + len(pieces[0]):end - len(pieces[-1])] + last
        out.append(Listing(tuple(items), span, pieces[0][-LEAD_ZH:]))
    return out


def _cut(piece: str, filler: re.Pattern[str] | None) -> list[str]:
    """The runs of ``piece`` between words that carry no claim (a lone character of filler, 人 or 者, may be part of
    the item: only the words of two characters or more and the particles of _CUT_ZH cut)."""
    if filler is not None:
        piece = filler.sub(lambda m: " " if len(m.group()) > 1 else m.group(), piece)
    return _RUN_ZH.findall(_CUT_ZH.sub(" ", piece))


def _after_filler(piece: str, filler: re.Pattern[str] | None) -> str:
    """The first item: the last run of the piece no filler word cuts ("对新引进的博士" -> 博士)."""
    runs = _cut(piece, filler)
    return runs[-1] if runs else ""


def _before_filler(piece: str, filler: re.Pattern[str] | None) -> str:
    runs = _cut(piece, filler)
    return runs[0] if runs else ""


def _en_lists(text: str, filler_stems: frozenset[str], stem: Stem) -> list[Listing]:
    out: list[Listing] = []
    for seg in _SEGMENT_EN.split(text):
        span = ""
        for m in _EN_AND.finditer(seg):
            last = stem(m.group(1))
            if last in filler_stems or last in _NUMBER_WORDS:
                continue
            chunks = _COMMA.split(seg[:m.start()])
            keys: list[str] = []
            texts: list[str] = []
            for i in range(len(chunks) - 1, -1, -1):   # the items before "and", back to the list's first
                # a chunk opening with "and" starts a list of its own: "…is active, and the city and districts"
                first = i == 0 or len(chunks[i].split()) > MIDDLE_WORDS or bool(_OPENS_AND.match(chunks[i]))
                word = _content(chunks[i], filler_stems, stem, from_end=first)
                if not word:
                    break
                keys.insert(0, word)   # a first item ends with its head word, a middle one starts with it
                texts.insert(0, "" if first else _words(chunks[i], filler_stems, stem))
                if first:
                    break
            if keys and last not in keys:
                span = span or " ".join(stem(w) for w in _EN_WORD.findall(seg))
                # the first item's last words and the next item: "…life cycle, offering policy consultation"
                lead = " ".join(chunks[i].split()[-LEAD_EN:] + chunks[i + 1:i + 2])
                after = _words(" ".join(_EN_WORD.findall(seg[m.start(1):])[:EN_LAST_WORDS]), filler_stems, stem)
                out.append(Listing(tuple(Item(k, 0, 0, t) for k, t in zip([*keys, last], [*texts, after])), span,
                                   lead))
    return out


def _words(chunk: str, filler_stems: frozenset[str], stem: Stem) -> str:
    """An English item's words that name something, stemmed: "research institutes" is an item of a list naming
    "institutes" (its key is its first word)."""
    return " ".join(s for w in _EN_WORD.findall(chunk) if (s := stem(w)) not in filler_stems and len(s) > 2)


def _content(chunk: str, filler_stems: frozenset[str], stem: Stem, from_end: bool) -> str | None:
    """The first (``from_end``: the last) word of ``chunk`` that names something."""
    words = _EN_WORD.findall(chunk)
    for w in reversed(words) if from_end else words:
        s = stem(w)
        if s not in filler_stems and s not in _NUMBER_WORDS and len(s) > 2:
            return s
    return None


@lru_cache(maxsize=4096)
def lists_in(text: str, filler: re.Pattern[str] | None, filler_stems: frozenset[str], stem: Stem) -> tuple[Listing, ...]:
    """The lists ``text`` (folded) enumerates, Chinese and English."""
    return tuple(_zh_lists(text, filler) + _en_lists(text, filler_stems, stem))


@lru_cache(maxsize=1024)
def _source_lists(sources: tuple[str, ...], filler: re.Pattern[str] | None, filler_stems: frozenset[str],
                  stem: Stem) -> tuple[tuple[int, Listing], ...]:
    """The lists of the cited sources, with the source they are in: read once per set of clauses in a server."""
    return tuple((n, lst) for n, s in enumerate(sources) for lst in lists_in(fold(s), filler, filler_stems, stem))


def clear_caches() -> None:
    """Forget the lists read (benchmarks measure answers on sources never seen)."""
    lists_in.cache_clear()
    _source_lists.cache_clear()


def _in(key: str, text: str, words: frozenset[str]) -> bool:
    """``key`` is in a list's ``text``: a substring of a Chinese list ("api" in "和api调用"), a word of an English one."""
    if re.search(r"[\u3400-\u9fff]", key + text):   # 网络同数据 is 网络和数据: the connective is no part of the name
        return _CONNECTIVE_ZH.sub("和", key) in _CONNECTIVE_ZH.sub("和", text)
    return key in words


def kept_subset(phrase: str, sources: list[str], filler: re.Pattern[str] | None, filler_stems: frozenset[str],
                stem: Stem) -> str | None:
    """The items a restricted ``phrase`` keeps of a list a source enumerates, when it keeps some but not all."""
    folded = fold(phrase)
    words = frozenset(stem(w) for w in _EN_WORD.findall(folded))
    for _, listing in _source_lists(tuple(sources), filler, filler_stems, stem):
        keys = {it.key for it in listing.items}
        kept = {k for k in keys if _in(k, folded, words)}
        if kept and kept < keys:
            return "、".join(sorted(kept))
    return None


def _member(item: Item, listing: Listing, words: frozenset[str], last: bool) -> bool:
    """``item`` is one of ``listing``'s: its head is in the list ("支付" in "跨境支付、网络和数据、海外推广"), or it ends
    with the head of one of the list's items (跨境税务 is a kind of 税务; 模型研发 is no kind of 模型). A Chinese
    noun ends with its head: a list's last item, which runs on, and a source list's last item, whose key is its
    first characters, are matched by their keys only."""
    return _in(item.key, listing.span, words) or bool(item.text) and not last and any(
        _CJK.search(it.key) and item.text.endswith(it.key) for it in listing.items[:-1])


def _pair_swapped(pair: tuple[Item, ...], members: list[list[Item]], sources: tuple[str, ...],
                  homes: list[int]) -> str | None:
    """A list of two ("A和B", "A同B"), which is as often a phrase as a list, read as one only where an item is an
    item of a cited clause's list: the other one is swapped in when it is an item of another list of that clause
    only ("城市治理和先进制造" where the clause opens 城市治理和公共服务 and matches 先进制造、现代服务), or names
    what no cited source names, not a character of it ("前海同南沙" where the clause relies on 前海、河套)."""
    a, b = pair
    in_a = {homes[i] * 1000 + i for i, m in enumerate(members) if a in m}
    in_b = {homes[i] * 1000 + i for i, m in enumerate(members) if b in m}
    for known, other, other_in in ((in_a, b, in_b), (in_b, a, in_a)):
        if not known:
            continue
        if not other_in and _CJK.search(other.key) and not any(c in fold(s) for s in sources for c in other.key):
            return other.key   # a name of which no cited source has a character (智慧 for 智能 is a wording)
        if other_in and not known & other_in and {k // 1000 for k in known} & {k // 1000 for k in other_in}:
            return other.key if other is b else None
    return None


def swapped_items(part: str, sources: list[str], filler: re.Pattern[str] | None, filler_stems: frozenset[str],
                  stem: Stem, provision: re.Pattern[str] | None = None) -> list[str]:
    """Items of a list ``part`` (folded) enumerates that belong to ANOTHER list of the sources than the one its other
    items come from ("政策咨询、税务以及跨境支付服务" where 跨境支付 is one of the 出海专区's problems), even one of the
    same clause, and even as a part of a longer item (跨境税务). Lists of one clause that are each what it provides
    (``provision``: 提供, "offering") are one list: an answer may merge them (the platform's services and its
    professional services)."""
    joined = _CONTINUER_ZH.sub("、", _CONTINUED_ZH.sub("、", part))
    continued, part = joined != part, joined
    said = lists_in(part, filler, filler_stems, stem)
    src_lists = _source_lists(tuple(sources), filler, filler_stems, stem) if said else ()
    out: list[str] = []
    for listing in said if src_lists else []:
        spans = [(n, lst, frozenset(lst.span.split())) for n, lst in src_lists]
        members = [[it for it in listing.items if _member(it, lst, words, it is listing.items[-1])]
                   for _, lst, words in spans]
        if len(listing.items) == 2:   # "A和B" (a phrase as often as a list), "A、B"
            if _compound(listing.items, sources, stem):
                continue
            found = _pair_swapped(listing.items, members, tuple(sources), [n for n, _, _ in spans])
            out += [found] if found else []
            continue
        provided = [provision is not None and bool(provision.search(lst.lead)) for _, lst, _ in spans]
        # English lists of one sentence share its words: of those, the one the sentence provides
        # a tie of lists that share the sentence's words: the one whose items the statement's items name
        keyed = [sum(1 for it in listing.items if ({it.key} | _also(it)) & {k.key for k in lst.items})
                 for _, lst, _ in spans]
        best = max(range(len(spans)), key=lambda i: (len(members[i]), keyed[i], provided[i]))
        if len(members[best]) < 2:
            continue
        home = {it.key for it in members[best]}
        if provided[best]:
            home |= {it.key for i, (n, _, _) in enumerate(spans) if n == spans[best][0] and provided[i]
                     for it in members[i]}
        chars = {c for i, (n, lst, _) in enumerate(spans) if i == best or (n == spans[best][0] and provided[i]
                                                                          and provided[best]) for c in lst.span}
        for it in listing.items:
            if it.key not in home and not _also(it) & {k.key for k in spans[best][1].items} \
                    and any(it in m for m in members):
                out.append(it.key)
                continue
            # named as it is in a cited list; a last item's key is only its first characters
            last = it is listing.items[-1]
            if last and not continued and not it.whole:
                continue   # a last item runs on into the sentence ("光明…集聚区"): its key alone names it
            # a closed last item is named by all of its head: 海外融资等 is not 海外推广等 for sharing 海外
            named = (not last or bool(it.whole)) and any(_in(it.whole or it.key, lst.span, words)
                                                          for _, lst, words in spans)
            if not named and (extra := _extra(it, listing, chars, sources)):
                out.append(extra)
    return out


def _also(item: Item) -> set[str]:
    """The words of an English item beside its key: "research institutes" is an item of a list naming "institutes"."""
    return set() if _CJK.search(item.key) else set(item.text.split()) - {item.key}


def _compound(pair: tuple[Item, ...], sources: list[str], stem: Stem) -> bool:
    """"The city and districts" where a cited clause writes "city-district": the compound's two parts, not a list."""
    keys = {it.key for it in pair}
    return any({stem(a), stem(b)} == keys for s in sources for a, b in _COMPOUND.findall(fold(s)))


def _extra(item: Item, listing: Listing, chars: set[str], sources: list[str]) -> str | None:
    """An item of no cited list, among items of one, named in words the cited list lacks ("海外融资" among 跨境支付、
    网络和数据、海外推广; a fund the clause does not name among its funds): two characters of its head the list's text
    lacks, and no cited source naming it as it is. A wording of a listed item (网络数据) uses the list's characters."""
    text = item.whole or item.text or item.key
    if item is listing.items[0]:
        text = text[-EDGE_ZH * 2:]
    elif item is listing.items[-1] and not item.whole:
        text = text[:EDGE_ZH]
    for part in _CONNECTIVE_ZH.split(text):   # "税务同知识产权服务": two items in one piece
        if _CJK.search(part) and not any(part in fold(s) for s in sources) \
                and sum(1 for c in part if _CJK.match(c) and c not in chars) >= 2:
            return part
    return None


def swapped_in(statement: str, part: str, sources: list[str], filler: re.Pattern[str] | None,
               filler_stems: frozenset[str], stem: Stem, provision: re.Pattern[str] | None) -> str | None:
    """The swapped item (``swapped_items``) of the list of ``part`` that ``statement`` names: a finding is reported
    at the clause holding it. A list of three items or more holds a comma, a shorter one 、 or a connective: without
    any, there is none to read."""
    if "、" not in part and "," not in part and not _CONNECTIVE_ZH.search(part) and not _EN_AND.search(fold(part)):
        return None
    # Cantonese 嘅 is the written 的: an item reads as the clause writes it (符合条件嘅人工智能个人)
    here = fold(statement).replace("嘅", "的")
    items = swapped_items(fold(part).replace("嘅", "的"), sources, filler, filler_stems, stem, provision)
    return next((i for i in items if i in here), None)
