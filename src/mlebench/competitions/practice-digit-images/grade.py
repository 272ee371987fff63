import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import accuracy, require_columns, require_numeric

DIGITS = set(range(10))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["id", "label"])
    labels = require_numeric(submission["label"], "label")
    if not np.isin(labels, list(DIGITS)).all():
        raise InvalidSubmissionError("Column 'label' must hold whole digits 0 to 9.")
    submission = submission.assign(id=submission["id"].astype(str), label=labels.astype(int))
    answers = answers.assign(id=answers["id"].astype(str))
    return accuracy(submission, answers, id_column="id", target_column="label")
