"""Places that documents govern, for ranking: the short reviewed list in ``corpus/government.yaml``.

A question naming a place ("Dongbin District", "东滨区", "北岭") is searched with the place's Chinese name
too (a Chinese-only district document is found from English), and documents of that place rank above
documents of other places. A document's place is its ``jurisdiction`` (read from its issuer at ingestion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.errors import CorpusError
from assistant.settings import BUILTIN_CORPUS

GAZETTEER = BUILTIN_CORPUS / "government.yaml"
_SUFFIX = re.compile(r"(市|区|县|新区|自治区|省)$")
_EN_SUFFIX = re.compile(r"\s+(city|district|new district|county|province)$", re.I)


@dataclass(frozen=True)
class Place:
    zh: str
    en: str | None = None
    parent: str | None = None


@lru_cache(maxsize=4)
def load_places(path: Path = GAZETTEER) -> dict[str, Place]:
    """Places by Chinese name; a malformed gazetteer fails with its file named."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return {p["zh"]: Place(p["zh"], p.get("en"), p.get("parent")) for p in raw.get("places") or []}
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise CorpusError(f"{path}: invalid places ({exc.__class__.__name__}: {exc})") from None


class Gazetteer:
    def __init__(self, places: dict[str, Place] | None = None) -> None:
        self.places = load_places() if places is None else places
        self._patterns: list[tuple[re.Pattern, str]] = []
        for p in self.places.values():
            names = {p.zh}
            short = _SUFFIX.sub("", p.zh)
            if len(short) >= 2:
                names.add(short)  # "东滨" for 东滨区
            if p.en:
                names |= {p.en.lower(), _EN_SUFFIX.sub("", p.en).lower()}
            for name in names:
                word = r"(?<![a-z]){}(?![a-z])".format(re.escape(name)) if name.isascii() else re.escape(name)
                self._patterns.append((re.compile(word, re.I), p.zh))

    @classmethod
    def with_documents(cls, documents) -> "Gazetteer":
        """The reviewed places plus every place the documents themselves name as their jurisdiction: a district
        the reviewed list has never heard of is still recognised in a question once one of its notices is added
        (its parent: a known place its issuer or title names, "星澜市东滨区科技创新局" -> 星澜市)."""
        places = dict(load_places())
        for d in documents:
            name = getattr(d, "jurisdiction", None)
            if not name or name in places or len(_SUFFIX.sub("", name)) < 2:
                continue
            words = " ".join([*d.issuer.values(), *d.title.values()])
            parent = next((p.zh for p in places.values() if p.zh != name and p.zh in words), None)
            places[name] = Place(name, getattr(d, "jurisdiction_en", None), parent)
        return cls(places)

    def named(self, text: str) -> set[str]:
        """Chinese names of the places a text names (in Chinese or English)."""
        return {zh for pattern, zh in self._patterns if pattern.search(text)}

    def english_words(self) -> set[str]:
        return {w for p in self.places.values() if p.en for w in re.findall(r"[a-z']+", p.en.lower())}

    def related(self, a: str, b: str) -> bool:
        """One place contains the other (a district and its city)."""
        return self.places.get(a, Place(a)).parent == b or self.places.get(b, Place(b)).parent == a

    def weight(self, jurisdiction: str | None, named: set[str]) -> float:
        """How well a document's place fits the places a question names (1 when it names none)."""
        if not named or not jurisdiction:
            return 1.0
        if jurisdiction in named:
            return 1.0
        return 0.55 if any(self.related(jurisdiction, n) for n in named) else 0.4
