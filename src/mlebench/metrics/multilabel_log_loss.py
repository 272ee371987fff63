"""Weighted multi-label binary log loss (RSNA 2022 cervical spine fracture detection).

Every (sample, label) cell contributes a binary cross-entropy weighted by a per-label weight that
depends on whether the true label is negative or positive; each sample's loss is its weighted sum
divided by the sum of its weights, and the score is the mean over samples (lower is better).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mlebench.metrics._validation import align_on_id, require_numeric, require_probabilities

EPSILON = 1e-15


def weighted_multilabel_log_loss(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    negative_weights: Sequence[float],
    positive_weights: Sequence[float],
    eps: float = EPSILON,
) -> float:
    """`y_true` (0/1) and `y_pred` (probabilities) of shape (samples, labels); predictions are
    clipped to [eps, 1 - eps].

    Example: one sample, two labels with negative weights (1, 1) and positive weights (2, 2); true
    (1, 0), predicted (0.8, 0.4): losses (-ln 0.8, -ln 0.6) = (0.22314, 0.51083), weights (2, 1)
    -> (2 * 0.22314 + 0.51083) / 3 = 0.31904.
    """
    y_true = np.asarray(y_true)
    y_pred = np.clip(np.asarray(y_pred), eps, 1 - eps)
    loss = -(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))
    neg = np.asarray(negative_weights, dtype=np.float32)
    pos = np.asarray(positive_weights, dtype=np.float32)
    weights = y_true * pos + (1 - y_true) * neg
    per_sample = np.sum(loss * weights, axis=1) / weights.sum(axis=1)
    return float(np.mean(per_sample))


def melted_weighted_log_loss(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    target_column: str,
    labels: Sequence[str],
    negative_weights: Sequence[float],
    positive_weights: Sequence[float],
    separator: str = "_",
) -> float:
    """`weighted_multilabel_log_loss` on long-format frames: one row per (sample, label) whose id
    is `<sample><separator><label>` (split at the first separator) and whose `target_column` holds
    the probability (submission) or the 0/1 truth (answers). Samples are taken in sorted order and
    labels in the order of `labels`; the submission must have exactly the answers' ids.

    Example: ids `s_a`, `s_b` with truth (1, 0) and predictions (0.8, 0.4), labels (a, b),
    weights as in `weighted_multilabel_log_loss`'s example -> 0.31904.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    y_pred = require_numeric(sub[target_column], target_column)
    require_probabilities(y_pred, target_column)
    truth = ans[target_column].to_numpy()
    assert not pd.isna(truth).any() and np.isin(truth, [0, 1]).all(), "answers must be 0/1"

    parts = ans[id_column].astype(str).str.split(separator, n=1, expand=True)
    assert parts.shape[1] == 2 and not parts[1].isna().any(), f"answer ids need a '{separator}'"
    samples, sample_index = np.unique(parts[0].to_numpy(), return_inverse=True)
    label_position = {label: i for i, label in enumerate(labels)}
    label_index = parts[1].map(label_position)
    assert not label_index.isna().any(), f"answers hold labels outside {list(labels)}"
    label_index = label_index.to_numpy(dtype=int)
    assert len(ans) == len(samples) * len(labels), "answers must hold every label of every sample"

    true_matrix = np.zeros((len(samples), len(labels)), dtype=truth.dtype)
    pred_matrix = np.zeros((len(samples), len(labels)), dtype=float)
    true_matrix[sample_index, label_index] = truth
    pred_matrix[sample_index, label_index] = y_pred
    return weighted_multilabel_log_loss(true_matrix, pred_matrix, negative_weights, positive_weights)
