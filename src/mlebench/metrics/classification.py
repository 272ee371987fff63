"""Classification metrics on submission/answers frames keyed by an id column.

Each function validates its inputs (raising `InvalidSubmissionError` with a precise reason), aligns
rows by id, then calls scikit-learn exactly as the reference implementation does, so scores match.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import (
    align_on_id,
    require_numeric,
    require_numeric_columns,
    require_probabilities,
)


def _labels(df: pd.DataFrame, column: str) -> np.ndarray:
    values = df[column].to_numpy()
    if pd.isna(values).any():
        raise InvalidSubmissionError(f"Column '{column}' has missing values.")
    return values


def accuracy(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Share of rows whose predicted label equals the true label.

    Example: true [a, b, c], predicted [a, b, b] -> 2/3.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    y_true, y_pred = ans[target_column].to_numpy(), _labels(sub, target_column)
    if _all_text(y_true) and _all_text(y_pred):
        # What accuracy_score computes for text labels, without its label-type check, which
        # sorts every label (seconds on a million tokens) only to learn they are "multiclass".
        return float(np.average(y_true == y_pred))
    return float(skm.accuracy_score(y_true=y_true, y_pred=y_pred))


def _all_text(values: np.ndarray) -> bool:
    return values.ndim == 1 and pd.api.types.infer_dtype(values, skipna=False) == "string"


def f1(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    target_column: str,
    average: str = "micro",
) -> float:
    """F1 score of predicted labels (`average` = "micro", "macro" or "weighted").

    Example (micro, single-label): true [a, b, c], predicted [a, b, b] -> 2/3 (equals accuracy).
    Example (macro): same labels -> mean(F1_a=1, F1_b=2/3, F1_c=0) = 5/9.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    y_pred = _labels(sub, target_column)
    return float(skm.f1_score(y_true=_label_values(ans[target_column].to_numpy()),
                              y_pred=_label_values(y_pred), average=average))


def _label_values(values: np.ndarray) -> np.ndarray | list:
    """Labels as sklearn should see them: text or mixed labels as a list (as the reference passes
    them: sklearn then makes one common array type), numbers as they are (the list would only
    be turned back into the same array, at ~0.1 s per million labels)."""
    return values if values.dtype.kind in "biuf" else values.tolist()


def auc_roc(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Area under the ROC curve of a probability (or any score in [0, 1]) for a binary target.

    Example: true [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8] -> 0.75 (3 of 4 pairs ordered).
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    y_score = require_numeric(sub[target_column], target_column)
    require_probabilities(y_score, target_column)
    return float(skm.roc_auc_score(y_true=ans[target_column].to_numpy(), y_score=y_score))


def mean_column_wise_auc_roc(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    target_columns: Sequence[str],
) -> float:
    """Mean over target columns of each column's ROC AUC (multi-label; macro average).

    Example: column A true [0, 1], scores [0.2, 0.9] -> 1; column B true [1, 0], scores [0.2, 0.9]
    -> 0; mean 0.5.
    """
    cols = list(target_columns)
    sub, ans = align_on_id(submission, answers, id_column, cols)
    y_score = require_numeric_columns(sub, cols)
    return float(skm.roc_auc_score(y_true=ans[cols].to_numpy(), y_score=y_score, average="macro"))


def log_loss(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Binary cross-entropy of predicted probabilities of the positive class.

    Example: true [1, 0], predicted [0.8, 0.4] -> -(ln 0.8 + ln 0.6) / 2 = 0.36698.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    y_pred = require_numeric(sub[target_column], target_column)
    require_probabilities(y_pred, target_column)
    return float(skm.log_loss(y_true=ans[target_column].to_numpy(), y_pred=y_pred))


def multiclass_log_loss(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    class_columns: Sequence[str],
    sum_tolerance: float | None = 1e-6,
) -> float:
    """Multi-class cross-entropy: `answers` one-hot over `class_columns`, `submission` holds one
    probability per class column. Rows must sum to 1 (within `sum_tolerance`; None skips the check).

    Example: classes (a, b); true a, predicted (0.5, 0.5) -> ln 2 = 0.69315.
    """
    cols = list(class_columns)
    sub, ans = align_on_id(submission, answers, id_column, cols)
    y_pred = require_numeric_columns(sub, cols)
    if y_pred.size and (y_pred.min() < 0 or y_pred.max() > 1):
        raise InvalidSubmissionError("All class probabilities must be between 0 and 1.")
    if sum_tolerance is not None and not np.allclose(y_pred.sum(axis=1), 1, atol=sum_tolerance):
        raise InvalidSubmissionError("The class probabilities of each row must sum to 1.")
    return float(skm.log_loss(y_true=ans[cols].to_numpy(), y_pred=y_pred))


def quadratic_weighted_kappa(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Cohen's kappa with quadratic weights between predicted and true ordinal labels.

    Example: true [0, 1, 2], predicted [0, 1, 2] -> 1; predicted [0, 0, 0] -> 0.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    y_pred = _labels(sub, target_column)
    return float(skm.cohen_kappa_score(y_pred, ans[target_column].to_numpy(), weights="quadratic"))
