import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import f1, require_columns, require_same_length


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    # Macro F1 over category ids. Predictions are converted with int() as in the reference
    # (so 3.0 and "3" count as 3; a value int() refuses, such as NaN or "abc", is invalid).
    require_same_length(submission, answers)
    require_columns(submission, ["Id", "Predicted"])
    try:
        predicted = [int(v) for v in submission["Predicted"]]
    except (TypeError, ValueError, OverflowError):
        raise InvalidSubmissionError("Column 'Predicted' must hold integer category ids.") from None
    return f1(submission.assign(Predicted=predicted), answers, id_column="Id", target_column="Predicted",
              average="macro")
