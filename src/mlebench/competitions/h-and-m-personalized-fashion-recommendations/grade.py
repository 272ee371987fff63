import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import mean_average_precision_at_k
from mlebench.metrics._tokens import all_text, arrow_text, as_texts
from mlebench.metrics.ranking import mean_average_precision_at_k_of_texts


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if set(submission.columns) != {"customer_id", "prediction"}:
        raise InvalidSubmissionError(
            f"Submission must have exactly the columns customer_id and prediction; it has {list(submission.columns)}."
        )
    pairs = _pairs_by_id(submission, answers)
    if pairs is not None:
        try:
            return mean_average_precision_at_k_of_texts(*pairs, k=12)
        except UnicodeError:  # a text Arrow cannot hold (a lone surrogate): the loop scores it
            pass
    return _grade_by_sorting(submission, answers)


def _pairs_by_id(submission: pd.DataFrame, answers: pd.DataFrame
                 ) -> tuple[np.ndarray, np.ndarray] | None:
    """The (answer, prediction) texts of every scored customer in ascending customer_id order;
    None unless the ids are plain strings, the answers' unique and every one of them in the
    submission exactly once (then the reference's sort-and-pair-by-position pairs each customer
    with its own row, as here). Anything else (missing customers, duplicates) takes
    `_grade_by_sorting`, which reproduces the reference's pairing and its errors."""
    import pyarrow.compute as pc  # lazy: importing pyarrow costs ~0.1 s

    sub_ids, ans_ids = submission["customer_id"], answers["customer_id"]
    if not (all_text(sub_ids) and all_text(ans_ids)):
        return None
    sub_ids, ans_ids = arrow_text(sub_ids.to_numpy()), arrow_text(ans_ids.to_numpy())
    if sub_ids is None or ans_ids is None:  # e.g. a lone surrogate
        return None
    rows = np.arange(len(sub_ids))
    if len(sub_ids) != len(ans_ids):  # customers without purchases are not scored
        scored = pc.is_in(sub_ids, value_set=ans_ids)
        rows = rows[scored.to_numpy(zero_copy_only=False)]
        sub_ids = sub_ids.filter(scored)
    if len(sub_ids) != len(ans_ids):
        return None
    # Arrow orders text by its UTF-8 bytes, which is Python's code point order: the reference's
    # sort_values order.
    order = pc.sort_indices(ans_ids).to_numpy()
    sorted_ids = ans_ids.take(order)
    if len(sorted_ids) > 1 and not pc.all(pc.not_equal(sorted_ids[1:], sorted_ids[:-1])).as_py():
        return None  # a customer twice in the answers
    found = pc.index_in(sorted_ids, value_set=sub_ids)  # each customer's submission row
    if found.null_count:
        return None
    # (n distinct customers found among n rows: each row is one customer's, none repeated)
    actual = answers["prediction"].to_numpy()[order]
    predicted = submission["prediction"].to_numpy()[rows[found.to_numpy()]]
    # astype(str) as the reference (NaN -> "nan"), skipped when every cell already is a string
    return as_texts(actual), as_texts(predicted)


def _grade_by_sorting(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = set(answers["customer_id"]) - set(submission["customer_id"])
    if missing:
        raise InvalidSubmissionError(f"Submission lacks {len(missing)} of the scored customer_ids.")
    # Only customers who bought something in the test period are scored.
    submission = submission[submission["customer_id"].isin(answers["customer_id"])]
    submission = submission.sort_values("customer_id").reset_index(drop=True)
    answers = answers.sort_values("customer_id").reset_index(drop=True)
    # str.split per value: what pandas' .str.split(" ") does, without its per-row overhead
    actual = [set(v.split(" ")) for v in answers["prediction"].astype(str).tolist()]
    predicted = [v.split(" ") for v in submission["prediction"].astype(str).tolist()]
    # Like the reference, rows are paired by position after sorting, and surplus rows (from
    # duplicate customer_ids) are dropped.
    n = min(len(actual), len(predicted))
    return mean_average_precision_at_k(actual[:n], predicted[:n], k=12)
