"""Top-1 classification error where a prediction may be a ranked list: each `predicted` value is an
integer label, or a string of space-separated labels of which only the first counts (Kaggle's
iNaturalist submissions list several guesses). Error = 1 - accuracy.

Hand-computed example: true labels {a: 3, b: 7, c: 1}; predictions {a: "3 5 9", b: "2 7", c: 1}
-> first guesses 3, 2, 1 -> two of three right -> error 1 - 2/3 = 1/3.
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import accuracy_score

from mlebench.errors import InvalidSubmissionError


def _first_label(value: object) -> int:
    if isinstance(value, int):  # includes bool, as int(True) == 1
        return int(value)
    if isinstance(value, str) and value.split():
        try:
            return int(value.split()[0])
        except ValueError:
            pass
    raise InvalidSubmissionError(f"Prediction must be an integer label or a space-separated list of them, got {value!r}.")


def top1_error(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str = "id", target_column: str = "predicted"
) -> float:
    """1 - accuracy of the first predicted label of each row (see the module docstring).

    Invalid: a wrong row count, a missing column, ids (after sorting) not equal to the answers'
    (which catches duplicates), or a prediction that is not an integer / list of integers (a
    float column, e.g. one with missing values, counts as not integer).
    """
    if len(submission) != len(answers):
        raise InvalidSubmissionError(f"Submission has {len(submission)} rows but {len(answers)} are expected.")
    missing = [c for c in (id_column, target_column) if c not in submission.columns]
    if missing:
        raise InvalidSubmissionError(f"Submission must have '{id_column}' and '{target_column}' columns (missing {missing}).")
    sub = submission.sort_values(id_column)
    ans = answers.sort_values(id_column)
    if (sub[id_column].to_numpy() != ans[id_column].to_numpy()).any():
        raise InvalidSubmissionError(f"Submission '{id_column}' values do not match the test set (missing, unknown or duplicated ids).")
    y_true = [int(y) for y in ans[target_column]]
    y_pred = [_first_label(y) for y in sub[target_column]]  # iterating a Series yields Python scalars
    return float(1 - accuracy_score(y_true=y_true, y_pred=y_pred))
