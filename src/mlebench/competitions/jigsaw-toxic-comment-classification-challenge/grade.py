"""Mean column-wise ROC AUC over the six toxicity labels. Test rows that Kaggle did not score
(labels -1) are skipped. Scores need not be probabilities (AUC only ranks them), as in the
reference; the submission must have exactly the columns `id` and the six labels."""

import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import align_on_id, mean_column_wise_auc_roc

CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    extra = [c for c in submission.columns if c not in ("id", *CLASSES)]
    if extra:
        raise InvalidSubmissionError(f"Submission has unexpected column(s) {extra[:5]}.")
    sub, ans = align_on_id(submission, answers, "id", CLASSES)
    scored = (ans[CLASSES].sum(axis=1) >= 0).to_numpy()
    return mean_column_wise_auc_roc(sub[scored], ans[scored], id_column="id", target_columns=CLASSES)
