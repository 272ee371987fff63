"""ROC AUC of `Insult` probabilities. The test set has no id column, so rows are matched on the
`Comment` text, as in the reference: both frames are sorted by comment and must then list the
same comments. Kaggle's test set repeats a few comments, so repeated ids are allowed here (the
shared `align_on_id` refuses them)."""

import pandas as pd
from sklearn.metrics import roc_auc_score

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import (
    require_columns,
    require_numeric,
    require_probabilities,
    require_same_length,
)

ID, TARGET = "Comment", "Insult"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, [ID, TARGET])
    require_same_length(submission, answers)
    y_score = require_numeric(submission[TARGET], TARGET)
    require_probabilities(y_score, TARGET)
    # The reference's default (quicksort) sort: with repeated comments, which answer row pairs
    # with which submission row depends on it, so the same sort is used.
    sub = submission.assign(**{TARGET: y_score}).sort_values(ID)
    ans = answers.sort_values(ID)
    if (sub[ID].to_numpy() != ans[ID].to_numpy()).any():
        raise InvalidSubmissionError(
            "Submission 'Comment' values do not match the test comments (each test comment must "
            "appear exactly as in test.csv, once per test row)."
        )
    return float(roc_auc_score(y_true=ans[TARGET].to_numpy(), y_score=sub[TARGET].to_numpy()))
