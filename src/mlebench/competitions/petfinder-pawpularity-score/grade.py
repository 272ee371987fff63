import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import require_columns, require_numeric, rmse


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ["Id", "Pawpularity"])
    scores = require_numeric(submission["Pawpularity"], "Pawpularity")
    if ((scores < 1) | (scores > 100)).any():
        raise InvalidSubmissionError("Pawpularity must be between 1 and 100 inclusive.")
    return rmse(submission, answers, id_column="Id", target_column="Pawpularity")
