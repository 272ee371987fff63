import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.media_lwlrap import lwlrap

from .classes import CLASSES


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if list(submission.columns) != ["fname", *CLASSES]:
        raise InvalidSubmissionError(
            "Submission must have the column 'fname' followed by the 80 class columns in the order "
            "of sample_submission.csv.")
    return lwlrap(submission, answers, id_column="fname", class_columns=CLASSES)
