"""Edit-distance metrics (Levenshtein) for text and for sequences of labels.

Both use the `Levenshtein` package (insertions, deletions and substitutions each cost 1), which
works on strings and on any sequences of hashable items.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
from Levenshtein import distance
from rapidfuzz.distance import Levenshtein as _levenshtein
from rapidfuzz.process import cpdist


def mean_levenshtein(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    """Mean character-level Levenshtein distance between paired strings (lower is better).

    Example: truths ["the cat sat", "a b"] and predictions ["the cat", "a b"]:
    "the cat sat" -> "the cat" needs 4 deletions (" sat"), "a b" matches: (4 + 0) / 2 = 2.0.
    """
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred must have the same length")
    if len(y_true) == 0:
        raise ValueError("cannot average over zero rows")
    # Levenshtein.distance is rapidfuzz's; cpdist computes the pairs in one call (no Python call
    # per row), and int64 distances average exactly as the list of ints the reference averages.
    distances = cpdist(y_true, y_pred, scorer=_levenshtein.distance, dtype=np.int64)
    return float(np.mean(distances))


def sequence_edit_error_rate(
    y_true: Sequence[Sequence[Hashable]], y_pred: Sequence[Sequence[Hashable]]
) -> float:
    """Sum of the Levenshtein distances between paired label sequences, divided by the total
    number of labels in the true sequences (an error rate; it can exceed 1).

    Example: truths [[1, 2, 3], [4, 5]] and predictions [[1, 3], [4, 5, 6]]: one deletion
    (2) and one insertion (6) -> (1 + 1) / (3 + 2) = 0.4.
    """
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred must have the same length")
    total = sum(len(t) for t in y_true)
    if total == 0:
        raise ValueError("the true sequences hold no labels")
    return float(np.sum([distance(t, p) for t, p in zip(y_true, y_pred, strict=True)]) / total)
