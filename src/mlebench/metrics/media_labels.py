"""Macro F1 over integer class labels (herbarium-2021-fgvc8, herbarium-2022-fgvc9)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id, require_columns, require_numeric
from mlebench.metrics.classification import f1


def _integer_labels(values: pd.Series, column: str) -> pd.Series:
    """Numbers truncated to integers as Python's `int()` does (the reference's conversion)."""
    arr = require_numeric(values, column)
    if (np.abs(arr) >= 2**63).any():
        raise InvalidSubmissionError(f"Column '{column}' holds class ids out of range.")
    return pd.Series(np.trunc(arr).astype(np.int64), index=values.index)


def macro_f1_integer_labels(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Macro-averaged F1 (unweighted mean over every class seen in the answers or the predictions)
    of predicted integer class ids; numeric predictions are truncated
    to integers like Python's `int()` (`7.0` and `7.9` count as 7); text or NaN is invalid.

    Example: true [1, 1, 2], predicted [1, 2, 2] -> F1(1) = 2/3 (precision 1, recall 1/2),
    F1(2) = 2/3 (precision 1/2, recall 1) -> 2/3.
    """
    require_columns(submission, [id_column, target_column])
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    sub = sub.assign(**{target_column: _integer_labels(sub[target_column], target_column)})
    ans = ans.assign(**{target_column: ans[target_column].astype(np.int64)})
    return f1(sub, ans, id_column, target_column, average="macro")
