import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id
from mlebench.metrics.images_ranking import space_separated_map_at_k


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    # Exactly the two columns are allowed (the reference rejects extra columns).
    if set(submission.columns) != {"Image", "Id"}:
        raise InvalidSubmissionError(
            f"Submission must have exactly the columns 'Image' and 'Id'; it has {list(submission.columns)[:10]}.")
    sub, ans = align_on_id(submission, answers, "Image", ["Id"])
    return space_separated_map_at_k(sub["Id"], ans["Id"], k=5)
