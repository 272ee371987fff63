"""Jigsaw's bias-aware ROC AUC (overall AUC blended with per-identity subgroup AUCs)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id


def _at_least_half(values: pd.Series) -> np.ndarray:
    """1 where value >= 0.5, else 0 (NaN counts as 0)."""
    return (values.to_numpy(dtype=float) >= 0.5).astype(int)


def generalized_mean(scores: Sequence[float], power: float, count: int) -> float:
    """(sum(s ** power) / count) ** (1 / power). Example: scores [0.5, 1.0], power -5, count 2:
    ((32 + 1) / 2) ** -0.2 = 16.5 ** -0.2 = 0.57067."""
    return (sum([s**power for s in scores]) / count) ** (1 / power)


def bias_weighted_auc(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    identity_columns: Sequence[str],
    id_column: str = "id",
    prediction_column: str = "prediction",
    target_column: str = "toxicity",
    power: float = -5,
    weight: float = 0.25,
) -> float:
    """weight * overall AUC + sum over the subgroup, BPSN and BNSP AUCs of weight * their
    generalized mean (power -5) across identities, as the reference grader computes it.

    Like the reference, predictions, targets and identities are all binarized at 0.5 before the
    AUCs are computed (so only the side of 0.5 a prediction falls on matters; NaN predictions
    count as 0), and a submission may name its prediction column `toxicity` instead of
    `prediction` (not both). Subgroup: rows mentioning the identity; BPSN: non-toxic rows
    mentioning it plus toxic rows not mentioning it; BNSP: the converse.

    Example (one identity, weight 0.25, power -5): true toxicity [1, 0, 1, 0], identity
    [1, 1, 0, 0], predictions [0.9, 0.7, 0.8, 0.1] -> binary [1, 1, 1, 0]. Overall AUC 0.75;
    subgroup (rows 1, 2) 0.5; BPSN (rows 2, 3) 0.5; BNSP (rows 1, 4) 1.0. Each generalized mean
    of one value is that value: 0.25 * (0.75 + 0.5 + 0.5 + 1.0) = 0.6875.
    """
    if prediction_column in submission.columns and target_column in submission.columns:
        raise InvalidSubmissionError(
            f"Submission has both '{prediction_column}' and '{target_column}' columns; keep one.")
    if prediction_column not in submission.columns and target_column in submission.columns:
        submission = submission.rename(columns={target_column: prediction_column})
    sub, ans = align_on_id(submission, answers, id_column, [prediction_column])
    values = sub[prediction_column]
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
        raise InvalidSubmissionError(f"Column '{prediction_column}' must be numeric.")
    y_pred = _at_least_half(values)
    y_true = _at_least_half(ans[target_column])

    overall = roc_auc_score(y_true, y_pred)
    per_kind: list[list[float]] = [[], [], []]  # subgroup, BPSN, BNSP
    for column in identity_columns:
        mentioned = _at_least_half(ans[column]) == 1
        toxic = y_true == 1
        masks = (mentioned, (~toxic & mentioned) | (toxic & ~mentioned),
                 (toxic & mentioned) | (~toxic & ~mentioned))
        for scores, mask in zip(per_kind, masks, strict=True):
            scores.append(roc_auc_score(y_true[mask], y_pred[mask]))
    means = [generalized_mean(scores, power, len(identity_columns)) for scores in per_kind]
    return float(weight * overall + sum(weight * m for m in means))
