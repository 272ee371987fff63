"""Label-weighted label-ranking average precision (lwlrap), the metric of Freesound Audio
Tagging 2019: multi-label, one score column per class."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from mlebench.metrics._validation import align_on_id, require_numeric_columns


def lwlrap_from_arrays(truth: np.ndarray, scores: np.ndarray) -> float:
    """For every true (clip, label) pair: the share of the clip's labels scored at least as high
    as that label that are true (its precision at its rank); lwlrap is the mean over all true
    pairs, so each label counts in proportion to its positives. Computed, like the organisers'
    reference code, as scikit-learn's LRAP with each clip weighted by its number of true labels
    (clips without labels are left out).

    Example: clip 1 truth (1, 0, 1) scores (0.9, 0.8, 0.1): label A rank 1 -> 1, label C rank 3
    with 2 true among the top 3 -> 2/3; clip 2 truth (0, 1, 0) scores (0.5, 0.5, 0.1): label B
    ties with A at rank 2 -> 1/2. Mean over the 3 true pairs: (1 + 2/3 + 1/2) / 3 = 13/18.
    """
    weight = np.sum(truth > 0, axis=1)
    keep = np.flatnonzero(weight > 0)
    if scores.shape[1] > MAX_VECTORISED_LABELS:
        return float(skm.label_ranking_average_precision_score(
            truth[keep, :] > 0, scores[keep, :], sample_weight=weight[keep]))
    return _weighted_lrap(truth[keep, :] > 0, scores[keep, :], weight[keep])


# Up to this many labels per row, each row's label-by-label comparison table is built at once.
MAX_VECTORISED_LABELS = 256
_ROW_BLOCK = 512  # rows per block of (rows x labels x labels) comparisons: <= 32 MiB of booleans


def _weighted_lrap(relevant: np.ndarray, scores: np.ndarray, weight: np.ndarray) -> float:
    """scikit-learn's `label_ranking_average_precision_score(relevant, scores, sample_weight=
    weight)`, float for float, without a Python call per row: a label's rank is the number of the
    row's labels scored at least as high, its L the number of relevant ones among them (scipy's
    "max" ranks), a row's value the mean of L / rank over its relevant labels in column order
    (rows with the same number of relevant labels are averaged together, as numpy averages each
    one), 1 where every label is relevant; weighted and summed in row order, as sklearn does."""
    n, labels = relevant.shape
    ratio = np.empty((n, labels))
    for start in range(0, n, _ROW_BLOCK):
        s = scores[start:start + _ROW_BLOCK]
        at_least = s[:, None, :] >= s[:, :, None]  # [i, j, l]: label l scored >= label j
        rank = at_least.sum(axis=2)
        hits = (at_least & relevant[start:start + _ROW_BLOCK, None, :]).sum(axis=2)
        ratio[start:start + _ROW_BLOCK] = hits / rank
    count = relevant.sum(axis=1)
    per_row = np.empty(n)
    for k in np.unique(count).tolist():
        rows = np.flatnonzero(count == k)
        if k == labels:
            per_row[rows] = 1.0
        else:  # boolean indexing keeps row-major order: each row's relevant labels, by column
            per_row[rows] = ratio[rows][relevant[rows]].reshape(len(rows), k).mean(axis=1)
    total = 0.0
    for value, w in zip(per_row.tolist(), weight.tolist(), strict=True):
        total += value * w
    return total / int(weight.sum())


def lwlrap(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, class_columns: Sequence[str]
) -> float:
    """lwlrap of a submission holding one numeric score per class column (any real numbers; only
    their order within a row matters) against 0/1 answers; see `lwlrap_from_arrays`."""
    cols = list(class_columns)
    sub, ans = align_on_id(submission, answers, id_column, cols)
    scores = require_numeric_columns(sub, cols)
    return lwlrap_from_arrays(ans[cols].to_numpy(dtype=float), scores)
