"""Nearest need: the recogniser's vote from the needs of corpus/intents.yaml (what each benefit is for, in a
founder's words). The classifier learns the wordings it was trained on; a founder who describes the benefit
instead of naming it ("somewhere cheap to live while I build this") is often nearer, in the embedding, to one of
the needs written for that benefit than the classifier's reading of it is sure. When the ask is that near a need,
the need's class gets a share of the probability (the vote), and the classifier keeps the rest.

Thresholds measured on written paraphrase probes (tests/paraphrase_probes.yaml, split fit) and the read blind sets;
scored on the held split.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

NEED_MIN = 0.84  # cosine similarity (e5 query embeddings) from which the nearest need votes at all
NEED_FULL = 0.93  # ... and at which its vote reaches NEED_WEIGHT (linear between)
NEED_WEIGHT = 0.4  # the share of the probability the nearest need's class may take
NEED_MARGIN = 0.01  # the vote is whole only when the nearest class leads the next by this much (else in proportion)


def need_model(classes: Sequence[str], vectors: np.ndarray) -> dict[str, np.ndarray]:
    """What the vote needs, stored in the model file: the needs' unit embeddings and their classes."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    return {"need_vectors": unit.astype(np.float16), "need_classes": np.array(list(classes))}


class NeedVote:
    def __init__(self, model: dict[str, np.ndarray], benefits: Sequence[str]) -> None:
        index = {b: i for i, b in enumerate(benefits)}
        classes = [str(c) for c in model.get("need_classes", [])]
        keep = [i for i, c in enumerate(classes) if c in index]  # a class the classifier no longer has: no vote
        self._vectors = model["need_vectors"][keep].astype(np.float32) if keep else np.zeros((0, 1), np.float32)
        self._rows = np.array([index[classes[i]] for i in keep], dtype=int)
        self._size = len(benefits)

    def lean(self, pb: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """``pb`` with the nearest needs' classes given their vote (unchanged when no need is near)."""
        if not len(self._rows):
            return pb
        unit = vector / (np.linalg.norm(vector) or 1.0)
        sims = self._vectors @ unit
        best = np.full(self._size, -1.0, dtype=np.float32)
        np.maximum.at(best, self._rows, sims)
        top = float(best.max())
        if top < NEED_MIN:
            return pb
        second = float(np.partition(best, -2)[-2]) if self._size > 1 else -1.0
        # an ask as near another class's anchor is ambiguous evidence: the vote shrinks with the lead
        weight = NEED_WEIGHT * min(1.0, (top - NEED_MIN) / (NEED_FULL - NEED_MIN) if NEED_FULL > NEED_MIN else 1.0)
        weight *= min(1.0, (top - second) / NEED_MARGIN) if NEED_MARGIN > 0 else 1.0
        vote = (best == top).astype(np.float32)
        vote /= vote.sum()
        return (1.0 - weight) * pb + weight * vote  # type: ignore[no-any-return]  # numpy types this Any
