import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import mean_average_precision_at_k


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if set(submission.columns) != {"customer_id", "prediction"}:
        raise InvalidSubmissionError(
            f"Submission must have exactly the columns customer_id and prediction; it has {list(submission.columns)}."
        )
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
