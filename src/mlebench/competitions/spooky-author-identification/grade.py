"""Multi-class log loss over the three authors; each row's probabilities must sum to 1 (within
1e-6) and the submission must have exactly the columns `id,EAP,HPL,MWS`."""

import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import multiclass_log_loss

CLASSES = ["EAP", "HPL", "MWS"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if submission.shape[1] != len(CLASSES) + 1:
        raise InvalidSubmissionError(
            f"Submission has {submission.shape[1]} columns; expected exactly {['id', *CLASSES]}."
        )
    return multiclass_log_loss(submission, answers, id_column="id", class_columns=CLASSES,
                               sum_tolerance=1e-6)
