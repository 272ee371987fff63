"""Matthews correlation coefficient of predicted labels, rows matched by id."""

from __future__ import annotations

import pandas as pd
from sklearn import metrics as skm

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id


def matthews_correlation(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Matthews correlation coefficient between true and predicted labels (1 perfect, 0 no better
    than chance, -1 always wrong). Labels are used as given (as scikit-learn does), so a binary
    target takes 0/1 predictions; missing or continuous predictions are refused.

    Example: true [1, 1, 0, 0], predicted [1, 0, 0, 0] -> TP 1, TN 2, FP 0, FN 1:
    (1 * 2 - 0 * 1) / sqrt((1 + 0) * (1 + 1) * (2 + 0) * (2 + 1)) = 2 / sqrt(12) = 0.57735.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    y_pred = sub[target_column].to_numpy()
    if pd.isna(y_pred).any():
        raise InvalidSubmissionError(
            f"Column '{target_column}' has {int(pd.isna(y_pred).sum())} missing values."
        )
    try:
        return float(skm.matthews_corrcoef(ans[target_column].to_numpy(), y_pred))
    except (TypeError, ValueError) as e:
        # e.g. probabilities instead of labels, or text mixed with numbers
        raise InvalidSubmissionError(
            f"Column '{target_column}' must hold class labels like the answers' ({e})."
        ) from None
