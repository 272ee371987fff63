import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import require_numeric
from mlebench.metrics.tabular_log_mae import group_mean_log_mae

TARGET = "scalar_coupling_constant"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    for column in (TARGET, "id"):
        if column not in submission.columns:
            raise InvalidSubmissionError(f"Submission is missing the '{column}' column.")
    missing, unknown = _id_differences(submission["id"], answers["id"])
    if missing or unknown:
        raise InvalidSubmissionError(
            f"Submission ids must be exactly the test ids ({missing} missing, {unknown} unknown)."
        )
    sub_ids, ans_ids = submission["id"].to_numpy(), answers["id"].to_numpy()
    sub_index = pd.Index(sub_ids)
    if len(sub_ids) == len(ans_ids) and sub_index.is_unique:
        # One row per test id: the merge below pairs them in the answers' order, as this does.
        order = slice(None) if np.array_equal(sub_ids, ans_ids) else sub_index.get_indexer(ans_ids)
        predicted = require_numeric(submission[TARGET].to_numpy()[order], TARGET)
        return group_mean_log_mae(answers[TARGET], predicted, answers["type"])
    # Every submission row with a test id is scored (as in the reference, which merges on id).
    merged = answers.merge(submission[["id", TARGET]], on="id", suffixes=("_true", "_pred"))
    predicted = require_numeric(merged[f"{TARGET}_pred"], TARGET)  # sklearn refuses NaN/inf
    return group_mean_log_mae(merged[f"{TARGET}_true"], predicted, merged["type"])


def _id_differences(sub_ids: pd.Series, ans_ids: pd.Series) -> tuple[int, int]:
    """How many distinct test ids the submission lacks, and how many distinct ids it has that are
    not test ids (the reference compares the two id sets). Integer ids with numpy: Python sets
    of 465k ids cost a third of a second."""
    sub, ans = sub_ids.to_numpy(), ans_ids.to_numpy()
    if sub.dtype.kind in "iu" and ans.dtype.kind in "iu":
        return len(np.setdiff1d(ans, sub)), len(np.setdiff1d(sub, ans))
    sub_set, ans_set = set(sub_ids), set(ans_ids)
    return len(ans_set - sub_set), len(sub_set - ans_set)
