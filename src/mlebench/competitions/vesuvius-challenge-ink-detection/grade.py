import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import require_same_length
from mlebench.metrics.segmentation_pixels import fbeta_rle_row_major

COLUMNS = ["Id", "Predicted"]
BETA = 0.5


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    """Mean over test fragments of the F0.5 score of the ink mask (one fragment in practice).
    As in the reference, rows are paired by position and must carry the same `Id`, the submission
    must have exactly the columns `Id` and `Predicted`, and `Predicted` must be a non-empty
    run-length string numbered row by row."""
    require_same_length(submission, answers)
    if len(submission.columns) != len(COLUMNS) or set(submission.columns) != set(COLUMNS):
        raise InvalidSubmissionError(
            f"Submission must have exactly the columns {COLUMNS}, got {list(submission.columns)}."
        )
    scores = []
    for position in range(len(answers)):
        sub_id, ans_id = submission["Id"].iloc[position], answers["Id"].iloc[position]
        if not sub_id == ans_id:
            raise InvalidSubmissionError(
                f"Row {position + 1} has Id {sub_id!r}; expected {ans_id!r} (rows are matched in order)."
            )
        predicted = submission["Predicted"].iloc[position]
        if not isinstance(predicted, str):
            raise InvalidSubmissionError(
                f"'Predicted' for Id {ans_id!r} must be a run-length string, got {predicted!r}."
            )
        scores.append(fbeta_rle_row_major(
            predicted, answers["Predicted"].iloc[position],
            height=int(answers["height"].iloc[position]),
            width=int(answers["width"].iloc[position]), beta=BETA,
        ))
    return float(np.mean(scores))
