"""Metrics on predicted probabilities that are not plain classification losses: the probabilistic
F-beta score (rsna-breast-cancer-detection) and Kaggle's row-wise Kullback-Leibler divergence
between vote distributions and predicted distributions (hms-harmful-brain-activity-classification).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import (
    align_on_id,
    require_columns,
    require_numeric,
    require_same_length,
)


def probabilistic_fbeta_from_arrays(labels: np.ndarray, probabilities: np.ndarray, beta: float = 1.0) -> float:
    """Probabilistic F-beta: precision and recall computed from probabilities instead of hard labels.

    Each prediction is clipped to [0, 1]. With `tp` the summed probabilities of the positive rows,
    `fp` those of the negative rows and `P` the number of positive rows, precision = tp / (tp + fp)
    and recall = tp / P; the score is the usual F-beta of the two, and 0 when either is 0 (or
    undefined: no probability mass at all, or no positive row).

    Example: labels [1, 0, 1], probabilities [0.8, 0.4, 0.2] -> tp = 1.0, fp = 0.4,
    precision = 1/1.4 = 0.7142857, recall = 1/2 = 0.5, F1 = 2 * 0.357142857 / 1.2142857 = 0.5882353.
    """
    labels = np.asarray(labels).astype(bool)
    p = np.clip(np.asarray(probabilities, dtype=float), 0.0, 1.0)
    positives = int(labels.sum())
    tp = float(p[labels].sum())
    fp = float(p[~labels].sum())
    if positives == 0 or tp + fp == 0:
        return 0.0
    precision, recall = tp / (tp + fp), tp / positives
    if precision <= 0 or recall <= 0:
        return 0.0
    b2 = beta * beta
    return float((1 + b2) * precision * recall / (b2 * precision + recall))


def probabilistic_f1(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    target_column: str,
    beta: float = 1.0,
) -> float:
    """Probabilistic F-beta (F1 by default) of a submission of probabilities against 0/1 labels.

    The submission must hold every answer id exactly once (any order); predictions must be numeric
    (booleans count as 0/1; values outside [0, 1], infinities included, are clipped); NaN is refused.
    See `probabilistic_fbeta_from_arrays` for the formula and a worked example.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    values = sub[target_column]
    if values.dtype == bool:
        values = values.astype(float)
    predictions = require_numeric(values, target_column, finite=False)
    return probabilistic_fbeta_from_arrays(ans[target_column].to_numpy(), predictions, beta)


def kl_divergence_from_arrays(
    solution: np.ndarray,
    predicted: np.ndarray,
    epsilon: float = 1e-15,
    clip_columns: np.ndarray | None = None,
) -> float:
    """Kaggle's micro-averaged Kullback-Leibler divergence: the mean over rows of
    sum_j y_j * log(y_j / clip(p_j, eps, 1 - eps)), where terms with y_j == 0 count as 0.

    `clip_columns` (booleans, one per column; default all) says which columns get the epsilon
    clipping: Kaggle's code clips each column in place, which leaves an integer-typed column
    unchanged, so a 0 there against a positive target gives an infinite divergence.

    Example: y = [0.5, 0.5, 0], p = [0.25, 0.25, 0.5] -> 2 * 0.5 * log(2) = 0.6931472 for that row.
    """
    y = np.asarray(solution, dtype=float)
    p = np.asarray(predicted, dtype=float)
    clipped = np.clip(p, epsilon, 1 - epsilon)
    if clip_columns is not None:
        clipped = np.where(np.asarray(clip_columns, dtype=bool)[None, :], clipped, p)
    nonzero = y != 0
    terms = np.zeros_like(y)
    with np.errstate(divide="ignore"):
        terms[nonzero] = y[nonzero] * np.log(y[nonzero] / clipped[nonzero])
    return float(np.mean(terms.sum(axis=1)))


def _require_distributions(frame: pd.DataFrame, what: str) -> np.ndarray:
    """Every column numeric (one common numeric type), in [0, 1], rows summing to 1 (np.allclose);
    missing cells are skipped, as pandas' min/max/sum do in Kaggle's check."""
    if not pd.api.types.is_numeric_dtype(frame.to_numpy()):
        raise InvalidSubmissionError(f"All probability columns of the {what} must be numeric.")
    values = frame.to_numpy(dtype=float)
    present = values[~np.isnan(values)]
    if present.size and present.min() < 0:
        raise InvalidSubmissionError(f"All probabilities in the {what} must be at least zero.")
    if present.size and present.max() > 1:
        raise InvalidSubmissionError(f"All probabilities in the {what} must be at most one.")
    if not np.allclose(np.nansum(values, axis=1), 1):
        raise InvalidSubmissionError(f"The probabilities in some rows of the {what} do not add up to one.")
    return values


def vote_kl_divergence(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    vote_columns: Sequence[str],
    epsilon: float = 1e-15,
) -> float:
    """KL divergence between the answers' vote distributions (votes / total votes per row) and a
    submission's predicted distributions, Kaggle-style (`kl_divergence_from_arrays`).

    Checks, in the order of the reference grader: the id and vote columns exist; the row count
    matches; every row's predictions round (5 decimals) to a sum of 1; the submission's set of ids
    equals the answers'. Rows are then paired by sorting both tables by id with the same (not stable)
    sort the reference uses, so answers may repeat an id (several labelled windows of one
    recording) and a submission may repeat ids in other proportions as long as the id sets agree.
    Finally every non-id submission column must be numeric in [0, 1] with rows summing to 1
    (np.allclose), as in Kaggle's metric, which also sees any extra column. NaN and True/False
    predictions are refused. Integer-typed prediction columns (a CSV of bare 0/1) are not clipped
    away from 0, exactly as in Kaggle's code, so a 0 against a positive vote scores infinity.
    """
    vote_columns = list(vote_columns)
    require_columns(submission, [id_column, *vote_columns])
    require_same_length(submission, answers)
    predicted = submission[vote_columns]
    if any(pd.api.types.is_bool_dtype(t) for t in predicted.dtypes):
        raise InvalidSubmissionError("The prediction columns must hold numbers, not True/False.")
    if not pd.api.types.is_numeric_dtype(predicted.to_numpy()):
        raise InvalidSubmissionError(f"The prediction columns {vote_columns} must be numeric.")
    if predicted.isna().to_numpy().any():
        raise InvalidSubmissionError("The submission has missing/NaN probabilities.")
    row_sums = predicted.sum(axis=1).to_numpy(dtype=float)
    if not all(round(x, 5) == 1 for x in row_sums.tolist()):  # Python's decimal rounding, as the reference
        raise InvalidSubmissionError("The predicted probabilities of every row must add up to 1.")
    if set(submission[id_column]) != set(answers[id_column]):
        raise InvalidSubmissionError(f"The submission's '{id_column}' values differ from the test set's.")

    # The reference sorts both tables with pandas' default (quicksort) sort: same permutation here.
    sub_order = np.argsort(submission[id_column].to_numpy(), kind="quicksort")
    ans_order = np.argsort(answers[id_column].to_numpy(), kind="quicksort")
    votes = answers[vote_columns].to_numpy(dtype=float)[ans_order]
    solution = votes / votes.sum(axis=1, keepdims=True)
    _require_distributions(pd.DataFrame(solution), "answers")
    others = submission.drop(columns=[id_column])
    _require_distributions(others, "submission")
    # As in Kaggle's code, integer-typed columns escape the epsilon clipping (see above).
    clip = np.array([not pd.api.types.is_integer_dtype(t) for t in predicted.dtypes])
    return kl_divergence_from_arrays(solution, predicted.to_numpy(dtype=float)[sub_order], epsilon, clip)
