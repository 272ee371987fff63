"""Macro F1 over integer category ids, pairing rows as the reference does.

Kaggle's train.csv lists a few images twice (one row per annotation), so the answers can repeat an
`Id`. The reference therefore does not match rows by id: it sorts the submission and the answers
by `Id` (pandas' default sort) and pairs them position by position, requiring the two sorted id
columns to be equal. This grader does the same, so a submission must repeat exactly the ids the
answers repeat. Categories are converted with Python's `int()` (7.0 -> 7; NaN or text that is not
an integer is invalid).
"""

import pandas as pd
from sklearn.metrics import f1_score

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import require_columns, require_same_length

ID, TARGET = "Id", "Category"


def _as_ints(values: pd.Series) -> list[int]:
    try:
        return [int(v) for v in values]
    except (ValueError, TypeError, OverflowError) as e:
        raise InvalidSubmissionError(f"Column '{TARGET}' must hold integer category ids ({e}).") from None


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_same_length(submission, answers)
    require_columns(submission, [ID, TARGET])
    try:
        submission = submission.sort_values(ID)
    except TypeError:
        raise InvalidSubmissionError(f"Column '{ID}' mixes text and numbers.") from None
    answers = answers.sort_values(ID)
    if (submission[ID].to_numpy() != answers[ID].to_numpy()).any():
        raise InvalidSubmissionError(
            f"Submission '{ID}' values do not match the test set's (each test row needs one row)."
        )
    y_true = [int(v) for v in answers[TARGET]]
    return float(f1_score(y_true=y_true, y_pred=_as_ints(submission[TARGET]), average="macro"))
