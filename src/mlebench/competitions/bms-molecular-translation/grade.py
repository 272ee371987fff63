"""Mean Levenshtein distance between predicted and true InChI strings (lower is better).

Rows are matched on `image_id`. Like the reference, every prediction is turned into text first, so
an empty cell is scored as the string "nan" rather than refused. Read with the fast reader: the
ids and InChI strings of a file without empty cells stay in Arrow memory (aligned by Arrow's
hashing, made into Python strings a chunk of pairs at a time by the metric)."""

import pandas as pd

from mlebench.metrics import id_positions, mean_levenshtein
from mlebench.metrics._tokens import as_texts, in_arrow

ID, TARGET = "image_id", "InChI"


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    rows = id_positions(submission, answers, ID, [TARGET])  # pairs, without a reordered copy
    return mean_levenshtein(_texts(answers[TARGET]), _texts(submission[TARGET]), pred_rows=rows)


def _texts(column: pd.Series) -> pd.Series | object:
    """Arrow text as it is (the fast reader keeps it only when no cell is empty), other columns
    as `astype(str)` makes them."""
    return column if in_arrow(column) else as_texts(column)
