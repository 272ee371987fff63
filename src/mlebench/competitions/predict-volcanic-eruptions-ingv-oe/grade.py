"""MAE of `time_to_eruption`, rounded to a whole number, as the reference grades it.

Like the reference, rows are matched by merging on `segment_id` after checking that the
submission's set of ids equals the test set's: a submission that repeats a test id (with every id
present) is accepted and the repeated row counts twice. Predictions are converted to numbers the
way scikit-learn does; NaN, infinite or non-numeric predictions make the submission invalid.
"""

import pandas as pd
from sklearn.metrics import mean_absolute_error

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import require_columns

ID, TARGET = "segment_id", "time_to_eruption"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, [TARGET, ID])
    submitted, expected = set(submission[ID]), set(answers[ID])
    if submitted != expected:
        missing = sorted(map(str, expected - submitted))[:3]
        unknown = sorted(map(str, submitted - expected))[:3]
        raise InvalidSubmissionError(
            f"Submission '{ID}' values differ from the test set (missing e.g. {missing}, unknown e.g. {unknown})."
        )
    merged = answers.merge(submission[[ID, TARGET]], on=ID, suffixes=("_true", "_pred"))
    try:
        score = mean_absolute_error(merged[f"{TARGET}_true"], merged[f"{TARGET}_pred"])
    except (ValueError, TypeError) as e:
        raise InvalidSubmissionError(f"Column '{TARGET}' must hold finite numbers ({e}).") from None
    return int(round(score))
