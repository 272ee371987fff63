import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import require_columns, require_same_length
from mlebench.metrics.segmentation_pixels import global_dice_rle

EMPTY = "-"  # how an empty mask is written (an empty cell is not accepted)


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    """Global Dice over every test pixel. Rows are paired the reference's way: both tables sorted
    by `record_id`, whose sorted values must then be identical (extra columns are ignored)."""
    require_columns(submission, ["record_id", "encoded_pixels"])
    require_same_length(submission, answers)
    try:
        submission = submission.sort_values(by="record_id")
    except TypeError:
        raise InvalidSubmissionError("Column 'record_id' mixes incomparable values.") from None
    answers = answers.sort_values(by="record_id")
    if (submission["record_id"].to_numpy() != answers["record_id"].to_numpy()).any():
        raise InvalidSubmissionError(
            "Submission 'record_id' values must be exactly the test record ids, each once."
        )
    return global_dice_rle(
        submission["encoded_pixels"].replace(EMPTY, ""),
        answers["encoded_pixels"].replace(EMPTY, ""),
        answers["height"],
        answers["width"],
    )
