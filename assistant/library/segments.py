"""Index segments: the entries, vectors and keyword postings of a set of documents, written once.

A version of the index is a list of segments (named by its manifest, see ``index.py``). Adding a
document writes one small segment; removing one rewrites only the segment that held it. Keyword
scores are BM25 (the same Lucene formula and defaults as bm25s) computed across segments with the
*global* document frequencies and mean length, so a clause ranks the same whichever segment holds it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy import sparse as sp

from assistant.types import Document
from assistant.understanding.text import split_sentences, tokenize

K1, B = 1.5, 0.75  # bm25s defaults


@dataclass
class Entry:
    """One searchable unit: a whole clause or one sentence of it, in one language."""

    clause_id: str
    lang: str
    kind: str  # "clause" | "sentence"
    sent: int  # sentence number within the clause text, -1 for the whole clause
    text: str

    @property
    def key(self) -> str:
        return f"{self.clause_id}|{self.lang}|{self.sent}"

    @property
    def doc_id(self) -> str:
        return self.clause_id.split(":", 1)[0]


def document_entries(doc: Document) -> list[Entry]:
    entries: list[Entry] = []
    for clause in doc.clauses:
        for lang, text in clause.text.items():
            head = " ".join(x for x in (clause.label.get(lang, ""), clause.title.get(lang, "")) if x)
            entries.append(Entry(clause.id, lang, "clause", -1, f"{head}\n{text}".strip()))
            for i, sentence in enumerate(split_sentences(text)):
                entries.append(Entry(clause.id, lang, "sentence", i, sentence))
    return entries


class Segment:
    """Entries of some documents with their vectors (float32, unit length) and term counts."""

    def __init__(self, name: str, entries: list[Entry], vectors: np.ndarray, terms: sp.csr_matrix,
                 vocab: list[str]) -> None:
        if not (len(entries) == vectors.shape[0] == terms.shape[0]) or terms.shape[1] != len(vocab):
            raise ValueError(f"segment {name} is inconsistent: {len(entries)} entries, {vectors.shape[0]} vectors, "
                             f"{terms.shape} term counts for {len(vocab)} words")
        self.name = name
        self.entries = entries
        self.vectors = vectors
        self.terms = terms.tocsc()  # column access: the postings of one word
        self.vocab = {w: i for i, w in enumerate(vocab)}
        self.lengths = np.asarray(terms.sum(axis=1)).ravel().astype(np.float32)
        self.df = Counter({w: int(n) for w, n in zip(vocab, np.diff(self.terms.indptr)) if n})
        self._distinct: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def docs(self) -> set[str]:
        return {e.doc_id for e in self.entries}

    @classmethod
    def build(cls, name: str, entries: list[Entry], vectors: np.ndarray) -> Segment:
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for r, e in enumerate(entries):
            for word, n in Counter(tokenize(e.text) or ["∅"]).items():
                rows.append(r)
                cols.append(vocab.setdefault(word, len(vocab)))
                vals.append(n)
        terms = sp.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(entries), len(vocab)))
        return cls(name, entries, np.asarray(vectors, dtype=np.float32).reshape(len(entries), -1), terms, list(vocab))

    def without(self, name: str, docs: set[str]) -> Segment | None:
        """This segment less the entries of ``docs`` (None when nothing is left)."""
        keep = [i for i, e in enumerate(self.entries) if e.doc_id not in docs]
        if not keep:
            return None
        return Segment(name, [self.entries[i] for i in keep], self.vectors[keep], self.terms.tocsr()[keep],
                       self._words())

    def distinct(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows with a vector of their own, copies, their originals): an added document's clause of a single
        sentence (most articles of a notice) has exactly that sentence's vector (the mean of one), so dense
        search computes it once. Worked out once per segment."""
        if self._distinct is None:
            sentences: dict[tuple[str, str], list[int]] = {}
            for i, e in enumerate(self.entries):
                if e.kind == "sentence":
                    sentences.setdefault((e.clause_id, e.lang), []).append(i)
            pairs = [(i, only[0]) for i, e in enumerate(self.entries) if e.kind == "clause"
                     and len(only := sentences.get((e.clause_id, e.lang), [])) == 1]
            copy, orig = (np.asarray(pairs, dtype=np.int64).T if pairs else (np.zeros(0, np.int64),) * 2)
            if len(copy):
                # equal up to the rounding of re-normalising a unit vector (built-in clauses keep their own)
                same = np.abs(self.vectors[copy] - self.vectors[orig]).max(axis=1) <= 1e-6
                copy, orig = copy[same], orig[same]
            keep = np.ones(len(self.entries), dtype=bool)
            keep[copy] = False
            self._distinct = (np.flatnonzero(keep), copy, orig)
        return self._distinct

    def token_sets(self) -> list[set[str]]:
        """Each entry's distinct keyword tokens, read back from its postings (no second tokenising pass)."""
        rows = self.terms.tocsr()
        words = np.asarray(self._words(), dtype=object)
        # "∅" stands for an entry without tokens (bm25 needs one)
        return [set(words[rows.indices[lo:hi]]) - {"∅"} for lo, hi in zip(rows.indptr[:-1], rows.indptr[1:])]

    def _words(self) -> list[str]:
        return sorted(self.vocab, key=self.vocab.__getitem__)

    @classmethod
    def merge(cls, name: str, parts: list[Segment]) -> Segment:
        """One segment holding ``parts`` (compaction: no re-embedding, no re-tokenising)."""
        vocab: dict[str, int] = {}
        blocks = []
        for part in parts:
            remap = np.asarray([vocab.setdefault(w, len(vocab)) for w in part._words()], dtype=np.int64)
            coo = part.terms.tocoo()
            blocks.append((coo.row, remap[coo.col] if len(remap) else coo.col, coo.data, coo.shape[0]))
        total = sum(b[3] for b in blocks)
        offsets = np.cumsum([0] + [b[3] for b in blocks])
        rows = np.concatenate([b[0] + off for b, off in zip(blocks, offsets)]) if blocks else np.zeros(0)
        terms = sp.csr_matrix((np.concatenate([b[2] for b in blocks]), (rows, np.concatenate([b[1] for b in blocks]))),
                              shape=(total, len(vocab)))
        return cls(name, [e for p in parts for e in p.entries], np.vstack([p.vectors for p in parts]), terms,
                   list(vocab))

    # --- disk ----------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write under ``folder/name`` atomically (a temporary folder renamed in, its files fsynced)."""
        final = folder / self.name
        tmp = folder / f".{self.name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "entries.json").write_text(json.dumps([asdict(e) for e in self.entries], ensure_ascii=False), "utf-8")
        np.save(tmp / "vectors.npy", self.vectors)
        sp.save_npz(tmp / "terms.npz", self.terms.tocsr())
        (tmp / "vocab.json").write_text(json.dumps(self._words(), ensure_ascii=False), "utf-8")
        for f in tmp.iterdir():
            _fsync(f)
        os.rename(tmp, final)
        _fsync(folder)

    @classmethod
    def load(cls, folder: Path, name: str) -> Segment:
        path = folder / name
        entries = [Entry(**e) for e in json.loads((path / "entries.json").read_text(encoding="utf-8"))]
        vectors = np.load(path / "vectors.npy")
        vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
        return cls(name, entries, vectors, sp.load_npz(path / "terms.npz").tocsr(), vocab)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Keywords:
    """BM25 over several segments with global statistics (what one bm25s index of all entries would give)."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments
        self.offsets = np.cumsum([0] + [len(s.entries) for s in segments])
        self.n = int(self.offsets[-1])
        self.df: Counter[str] = Counter()
        for s in segments:
            self.df.update(s.df)
        lengths = sum(float(s.lengths.sum()) for s in segments)
        self.avgdl = lengths / self.n if self.n else 1.0
        # the length part of the BM25 denominator, per entry, once per version
        self._norm = [K1 * ((1 - B) + B * s.lengths / self.avgdl) for s in segments]

    @property
    def vocab(self) -> set[str]:
        return set(self.df)

    def idf(self, word: str) -> float:
        df = self.df.get(word, 0)
        return float(np.log(1 + (self.n - df + 0.5) / (df + 0.5)))

    def scores(self, tokens: list[str]) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        for word, times in Counter(tokens).items():
            if word not in self.df:
                continue
            idf = self.idf(word) * times
            for s, off, norm in zip(self.segments, self.offsets, self._norm):
                col = s.vocab.get(word)
                if col is None:
                    continue
                lo, hi = s.terms.indptr[col], s.terms.indptr[col + 1]
                rows, tf = s.terms.indices[lo:hi], s.terms.data[lo:hi]
                out[off + rows] += idf * tf / (norm[rows] + tf)
        return out
