"""Edit-distance metrics (Levenshtein) for text and for sequences of labels.

Both use the `Levenshtein` package (insertions, deletions and substitutions each cost 1), which
works on strings and on any sequences of hashable items.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from Levenshtein import distance
from rapidfuzz.distance import Levenshtein as _levenshtein
from rapidfuzz.process import cpdist

from mlebench.metrics._tokens import in_arrow, one_array

# Pairs per `cpdist` call. Arrow text (a fast-reader column) becomes Python strings one chunk at
# a time, so a million long strings never exist at once.
_CHUNK = 1 << 16


def mean_levenshtein(y_true: Sequence[str] | Any, y_pred: Sequence[str] | Any,
                     pred_rows: slice | np.ndarray | None = None) -> float:
    """Mean character-level Levenshtein distance between paired strings (lower is better).
    Either side may also be text in Arrow memory (a `pd.ArrowDtype` string column or a pyarrow
    array, no missing cells). `pred_rows[i]` is the row of `y_pred` paired with `y_true[i]`
    (`id_positions`: `align_on_id`'s pairing without its reordered copy; default: the same row).

    Example: truths ["the cat sat", "a b"] and predictions ["the cat", "a b"]:
    "the cat sat" -> "the cat" needs 4 deletions (" sat"), "a b" matches: (4 + 0) / 2 = 2.0.
    """
    y_true, y_pred = _pairable(y_true), _pairable(y_pred)
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred must have the same length")
    if len(y_true) == 0:
        raise ValueError("cannot average over zero rows")
    true_rows = None  # the row of y_true paired with each row of y_pred
    if pred_rows is not None and not isinstance(pred_rows, slice):
        true_rows = np.empty(len(pred_rows), dtype=np.int64)
        true_rows[pred_rows] = np.arange(len(pred_rows))
        y_true = _gatherable(y_true)
    # Chunks follow y_pred's rows (slices of a CSV reader's many-chunk column are free, gathers
    # from it would copy it whole each time). Levenshtein.distance is rapidfuzz's; cpdist takes a
    # chunk's pairs in one call (no Python call per row). The distances are whole numbers: their
    # exact sum over the count is the mean the reference takes of its list of ints (np.mean sums
    # them exactly in float64), whatever the order of the pairs.
    total = 0
    for start in range(0, len(y_pred), _CHUNK):
        stop = min(start + _CHUNK, len(y_pred))
        truths = (_strings(y_true, start, stop) if true_rows is None
                  else _strings_at(y_true, true_rows[start:stop]))
        distances = cpdist(truths, _strings(y_pred, start, stop), scorer=_levenshtein.distance,
                           dtype=np.int64)
        total += int(distances.sum())
    return total / len(y_true)


def _pairable(values: Any) -> Any:
    """A pyarrow array for Arrow-backed text, else a numpy array."""
    if isinstance(values, pd.Series):
        return values.array.__arrow_array__() if in_arrow(values) else values.to_numpy()
    if hasattr(values, "to_pylist"):
        return values
    return values if isinstance(values, np.ndarray) else np.asarray(values, dtype=object)


def _gatherable(values: Any) -> Any:
    return one_array(values) if hasattr(values, "num_chunks") else values


def _strings(values: Any, start: int, stop: int) -> Sequence[str]:
    if hasattr(values, "to_pylist"):  # a pyarrow array: this chunk's Python strings
        return values.slice(start, stop - start).to_numpy(zero_copy_only=False)  # (made in C++)
    return values[start:stop]


def _strings_at(values: Any, rows: np.ndarray) -> Sequence[str]:
    if hasattr(values, "to_pylist"):
        return values.take(rows).to_numpy(zero_copy_only=False)
    return values[rows]


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
