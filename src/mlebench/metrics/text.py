"""Text-overlap metrics on submission/answers frames keyed by an id column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id


def word_jaccard(prediction: str, truth: str) -> float:
    """Jaccard similarity of the sets of lower-cased, whitespace-separated words.

    Example: "Very good day" vs "good DAY!" -> words {very, good, day} and {good, day!}:
    1 shared out of 4 distinct -> 0.25. Undefined (ZeroDivisionError) when both are empty.
    """
    a, b = set(prediction.lower().split()), set(truth.lower().split())
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def mean_word_jaccard(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Mean over rows of `word_jaccard(predicted text, true text)`; blank cells count as "".

    Example: predictions ["good day", ""] against truths ["good", "so sad"] ->
    (1/2 + 0) / 2 = 0.25.
    A row whose prediction and answer are both empty has no defined score (0/0); like the
    reference grader, such a submission cannot be scored and is refused.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    preds = sub[target_column].fillna("").astype(str).tolist()
    truths = ans[target_column].fillna("").astype(str).tolist()
    scores = []
    for row_id, p, t in zip(sub[id_column].tolist(), preds, truths, strict=True):
        if not p.split() and not t.split():
            raise InvalidSubmissionError(
                f"Row {id_column}={row_id!r}: both the prediction and the answer are empty, so the "
                "word-level Jaccard score is undefined (0/0)."
            )
        scores.append(word_jaccard(p, t))
    return float(np.mean(scores))
