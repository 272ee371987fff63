import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.correlation import mean_column_wise_spearman

from .classes import CLASSES


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    extra = [c for c in submission.columns if c != "qa_id" and c not in CLASSES]
    if extra:  # the reference accepts exactly qa_id plus the 30 target columns
        raise InvalidSubmissionError(f"Submission has unexpected column(s) {extra[:5]}.")
    return mean_column_wise_spearman(submission, answers, id_column="qa_id", target_columns=CLASSES)
