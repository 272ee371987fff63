import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import require_numeric
from mlebench.metrics.tabular_log_mae import group_mean_log_mae

TARGET = "scalar_coupling_constant"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    for column in (TARGET, "id"):
        if column not in submission.columns:
            raise InvalidSubmissionError(f"Submission is missing the '{column}' column.")
    missing = set(answers["id"]) - set(submission["id"])
    if missing or set(submission["id"]) - set(answers["id"]):
        raise InvalidSubmissionError(
            f"Submission ids must be exactly the test ids ({len(missing)} missing, "
            f"{len(set(submission['id']) - set(answers['id']))} unknown)."
        )
    # Every submission row with a test id is scored (as in the reference, which merges on id).
    merged = answers.merge(submission[["id", TARGET]], on="id", suffixes=("_true", "_pred"))
    predicted = require_numeric(merged[f"{TARGET}_pred"], TARGET)  # sklearn refuses NaN/inf
    return group_mean_log_mae(merged[f"{TARGET}_true"], predicted, merged["type"])
