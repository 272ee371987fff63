import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import mean_column_wise_auc_roc

CLASSES = ["healthy", "multiple_diseases", "rust", "scab"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    extra = sorted(set(submission.columns) - {"image_id", *CLASSES})
    if extra:  # the reference requires exactly these five columns
        raise InvalidSubmissionError(f"Submission has unexpected column(s) {extra[:5]}.")
    # Scores are only ranked, so (as in the reference) they need not lie in [0, 1].
    return mean_column_wise_auc_roc(submission, answers, id_column="image_id", target_columns=CLASSES)
