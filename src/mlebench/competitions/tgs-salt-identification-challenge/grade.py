import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.media_iou import mean_precision_iou

COLUMNS = ["id", "rle_mask"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if set(submission.columns) != set(COLUMNS):
        raise InvalidSubmissionError(
            f"Submission must have exactly the columns {COLUMNS}, got {list(submission.columns)}.")
    return mean_precision_iou(submission, answers, id_column="id", mask_column="rle_mask",
                              height=101, width=101)
