import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._tokens import in_arrow
from mlebench.metrics.signal_edit_distance import mean_levenshtein


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    for column in ("id", "sentence"):
        if column not in submission.columns:
            raise InvalidSubmissionError(f"Submission is missing the '{column}' column.")
    if len(submission) != len(answers):
        raise InvalidSubmissionError(
            f"Submission has {len(submission)} rows; expected one per test sentence ({len(answers)})."
        )
    # Rows are paired as the reference pairs them (both sorted by id), through the sort orders
    # alone: no sorted copy of the sentences is made.
    sub_order, ans_order = _order(submission["id"]), _order(answers["id"])
    sub_ids = submission["id"].to_numpy()[sub_order]
    if (sub_ids != answers["id"].to_numpy()[ans_order]).any():
        raise InvalidSubmissionError("Submission ids must be exactly the test ids.")
    predicted = submission["sentence"]
    # Arrow text (a fast reader keeps a column in Arrow memory only when no cell is empty) is all
    # text; other columns are checked in one C pass, then cell by cell to name the bad ones.
    # (This competition reads with the exact reader: measured, its sentences took less memory
    # as Python strings than kept in Arrow beside the mapped answers.)
    if not (in_arrow(predicted) or pd.api.types.infer_dtype(predicted, skipna=False) == "string"):
        bad = [i for i, text in zip(sub_ids, predicted.to_numpy()[sub_order], strict=True)
               if not isinstance(text, str)]
        if bad:
            raise InvalidSubmissionError(
                f"Every sentence must be text; ids {bad[:5]} are empty or not text.")
    pred_rows = np.empty(len(ans_order), dtype=np.int64)
    pred_rows[ans_order] = sub_order  # the submission's row paired with each answers' row
    return mean_levenshtein(answers["sentence"], predicted, pred_rows=pred_rows)


def _order(ids: pd.Series) -> np.ndarray:
    """The rows in `sort_values()` order (pandas' own sort, as the reference's frame sort)."""
    return ids.reset_index(drop=True).sort_values().index.to_numpy()
