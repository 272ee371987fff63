"""Regression metrics on submission/answers frames keyed by an id column."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id, require_numeric


def rmse(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Root mean squared error.

    Example: true [1, 2, 3], predicted [1, 2, 5] -> sqrt(4 / 3) = 1.1547.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    y_pred = require_numeric(sub[target_column], target_column)
    return float(skm.root_mean_squared_error(ans[target_column].to_numpy(), y_pred))


def mae(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Mean absolute error. Example: true [1, 2, 3], predicted [2, 2, 5] -> 1."""
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    y_pred = require_numeric(sub[target_column], target_column)
    return float(skm.mean_absolute_error(ans[target_column].to_numpy(), y_pred))


def mean_column_wise_rmsle(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    target_columns: Sequence[str],
) -> float:
    """Mean over target columns of the root mean squared logarithmic error.

    Example: one column, true [0, e-1], predicted [0, 0] -> sqrt((0 + 1) / 2) = 0.70711.
    Negative predictions are invalid (the logarithm of 1 + x is undefined below -1).
    """
    cols = list(target_columns)
    sub, ans = align_on_id(submission, answers, id_column, cols)
    scores = []
    for c in cols:
        y_pred = require_numeric(sub[c], c)
        if (y_pred < 0).any():
            raise InvalidSubmissionError(f"Column '{c}' has negative values (RMSLE needs >= 0).")
        scores.append(skm.root_mean_squared_log_error(ans[c].to_numpy(), y_pred))
    return float(np.mean(scores))
