import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.signal_angular import mean_angular_error


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if set(submission.columns) != {"event_id", "azimuth", "zenith"}:
        raise InvalidSubmissionError(
            f"Submission must have exactly the columns event_id, azimuth and zenith; it has {list(submission.columns)}."
        )
    for column in ("azimuth", "zenith"):
        if not np.issubdtype(submission[column].dtype, np.number):
            raise InvalidSubmissionError(f"Column '{column}' must be numeric.")
        if not np.isfinite(submission[column]).all():
            raise InvalidSubmissionError(f"Column '{column}' has NaN or infinite values.")
    if len(submission) != len(answers):
        raise InvalidSubmissionError(
            f"Submission has {len(submission)} rows; expected one per test event ({len(answers)})."
        )
    sub_order, ans_order = _id_orders(submission["event_id"], answers["event_id"])
    return mean_angular_error(
        answers["azimuth"].to_numpy()[ans_order], answers["zenith"].to_numpy()[ans_order],
        submission["azimuth"].to_numpy()[sub_order], submission["zenith"].to_numpy()[sub_order],
    )


def _id_orders(sub_ids: pd.Series, ans_ids: pd.Series) -> tuple[np.ndarray | slice, np.ndarray | slice]:
    """The reference checks that the id sets are equal, then sorts both frames by event_id.
    With unique answer ids and equal lengths that is: the sorted id arrays are equal. Numeric ids
    are checked that way with numpy (13M-row Python sets take seconds); others as the reference."""
    sub, ans = sub_ids.to_numpy(), ans_ids.to_numpy()
    numeric = all(np.issubdtype(a.dtype, np.number) for a in (sub, ans))
    if numeric and not (np.isnan(sub).any() if sub.dtype.kind == "f" else False):
        if np.array_equal(sub, ans):  # the answers' own order (agents follow the sample): one sort
            order = _sorting_order(ans)
            return order, order
        sub_order, ans_order = _sorting_order(sub), _sorting_order(ans)
        if np.array_equal(sub[sub_order], ans[ans_order]):
            return sub_order, ans_order
    if set(sub_ids) != set(ans_ids):
        raise InvalidSubmissionError("Submission event_ids must be exactly the test event_ids.")
    return _positions(sub_ids), _positions(ans_ids)


def _sorting_order(ids: np.ndarray) -> np.ndarray | slice:
    if len(ids) < 2 or bool((ids[1:] > ids[:-1]).all()):
        return slice(None)  # already in event_id order (the usual case): no sort needed
    # Not a stable sort: where it matters (repeated ids) the sorted ids cannot equal the
    # answers' unique ones, and the submission is refused either way; ~3x faster on 13M ids.
    return np.argsort(ids)


def _positions(ids: pd.Series) -> np.ndarray:
    """Row positions in event_id order, as `sort_values("event_id")` orders them."""
    return ids.reset_index(drop=True).sort_values().index.to_numpy()
