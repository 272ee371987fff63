"""Mean Levenshtein distance between predicted and true InChI strings (lower is better).

Rows are matched on `image_id`. Like the reference, every prediction is turned into text first, so
an empty cell is scored as the string "nan" rather than refused."""

import pandas as pd

from mlebench.metrics import align_on_id, mean_levenshtein

ID, TARGET = "image_id", "InChI"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    sub, ans = align_on_id(submission, answers, ID, [TARGET])
    return mean_levenshtein(ans[TARGET].astype(str).tolist(), sub[TARGET].astype(str).tolist())
