import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import multiclass_log_loss

from .species import SPECIES


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    extra = sorted(set(submission.columns) - {"id", *SPECIES})
    if extra:  # the reference requires exactly id + the 99 species columns
        raise InvalidSubmissionError(f"Submission has unexpected column(s) {extra[:5]}.")
    return multiclass_log_loss(submission, answers, id_column="id", class_columns=SPECIES)
