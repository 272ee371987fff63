"""Input checks shared by the metrics: every problem becomes an `InvalidSubmissionError` whose
message tells the user (or the agent) exactly what to fix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.memory import release_free_heap
from mlebench.metrics._tokens import in_arrow
from mlebench.text import excerpt

QUOTE_LIMIT = 60  # characters of one id or column name quoted in a message


def _quote(values) -> list[str]:
    return [excerpt(v, QUOTE_LIMIT) for v in values]


def require_columns(df: pd.DataFrame, columns: Sequence[str], what: str = "Submission") -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InvalidSubmissionError(
            f"{what} is missing column(s) {missing}; it has {_quote(list(df.columns)[:20])}."
        )


def require_same_length(submission: pd.DataFrame, answers: pd.DataFrame) -> None:
    if len(submission) != len(answers):
        raise InvalidSubmissionError(
            f"Submission has {len(submission)} rows but {len(answers)} are expected."
        )


def _numpy_numbers(dtype: object) -> bool:
    """Numbers in a NumPy dtype: `pd.to_numeric` would return them unchanged."""
    return isinstance(dtype, np.dtype) and dtype.kind in "fiu"


def require_numeric(values: pd.Series | np.ndarray, column: str, finite: bool = True) -> np.ndarray:
    """The column as float64; refuses text, NaN and (when `finite`) infinities."""
    if _numpy_numbers(getattr(values, "dtype", None)):
        arr = np.asarray(values, dtype=float)
    else:
        try:
            arr = pd.to_numeric(pd.Series(values), errors="raise").to_numpy(dtype=float)
        except (ValueError, TypeError):
            raise InvalidSubmissionError(f"Column '{column}' must be numeric.") from None
    if np.isnan(arr).any():
        raise InvalidSubmissionError(f"Column '{column}' has {int(np.isnan(arr).sum())} missing/NaN values.")
    if finite and np.isinf(arr).any():
        raise InvalidSubmissionError(f"Column '{column}' has infinite values.")
    return arr


def require_numeric_columns(frame: pd.DataFrame, columns: Sequence[str],
                            finite: bool = True) -> np.ndarray:
    """`columns` as one (rows x columns) float64 array, with `require_numeric`'s checks and
    messages (the first offending column in `columns` order is named). Many probability
    columns of numbers are converted in one block instead of one Series at a time."""
    cols = list(columns)
    block_frame = frame[cols]
    if block_frame.shape[1] == len(cols) and all(map(_numpy_numbers, block_frame.dtypes)):
        block = block_frame.to_numpy(dtype=float)
        bad = ~np.isfinite(block) if finite else np.isnan(block)
        if not bad.any():
            return block
    return np.column_stack([require_numeric(frame[c], c, finite) for c in cols])


def require_probabilities(arr: np.ndarray, column: str) -> None:
    if arr.size and (arr.min() < 0 or arr.max() > 1):
        raise InvalidSubmissionError(
            f"Column '{column}' must hold probabilities between 0 and 1 inclusive."
        )


def align_on_id(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    target_columns: Sequence[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check shape, columns and ids, then return the submission's rows in the answers' order.

    Raises for a wrong row count, a missing column, duplicate ids, or ids that differ from the
    answers' (naming a few of them). Row pairing is the same as the reference's sort-both-by-id,
    without sorting: a submission already in the answers' order (the usual case: agents write the
    sample submission's order) is recognised by one element-wise comparison, and any other order
    is aligned by hashing (`id_positions`). Precondition (every preparer guarantees it): the
    answers' ids are unique.
    """
    positions = id_positions(submission, answers, id_column, target_columns)
    answers = _renumbered(answers)
    if isinstance(positions, slice):
        return _renumbered(submission), answers
    release_free_heap()  # the hash tables' pages, before the reordered copy is made
    if _is_arrow_text(submission[id_column]) and _is_arrow_text(answers[id_column]):
        # the aligned ids are the answers' ids (checked): reused rather than gathered
        others = [c for c in submission.columns if c != id_column]
        sub = submission[others].take(positions).reset_index(drop=True)
        sub.insert(list(submission.columns).index(id_column), id_column, answers[id_column])
        return sub, answers
    return submission.iloc[positions].reset_index(drop=True), answers


def id_positions(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    target_columns: Sequence[str],
) -> slice | np.ndarray:
    """`align_on_id`'s checks, then the submission's row of each answers' row: `slice(None)`
    when the submission lists the answers' ids in their order. For metrics that pair rows
    without making a reordered copy of the submission."""
    assert id_column in answers.columns, f"answers lack id column {id_column}"
    require_columns(submission, [id_column, *target_columns])
    require_same_length(submission, answers)
    arrow = _arrow_positions(submission[id_column], answers[id_column])
    if arrow is not None:  # text ids in Arrow memory on both sides: aligned without Python strings
        return arrow
    sub_ids, ans_ids = submission[id_column].to_numpy(), answers[id_column].to_numpy()
    if sub_ids.dtype != ans_ids.dtype:
        sub_ids, ans_ids = sub_ids.astype(str).astype(object), ans_ids.astype(str).astype(object)
    if _same_sequence(sub_ids, ans_ids):
        return slice(None)
    positions = _positions_by_hash(sub_ids, ans_ids)
    if positions is None:  # a hash collision or odd ids: the exact (slower) way
        positions = _positions_exact(sub_ids, ans_ids, id_column)
    return positions


def _renumbered(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame.reset_index(drop=True)`, without its copy of every column when the index already
    is 0..n-1 (as read from a file; the copy costs time and memory at millions of rows)."""
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return frame
    return frame.reset_index(drop=True)


def _arrow_positions(sub_ids: pd.Series, ans_ids: pd.Series) -> slice | np.ndarray | None:
    """For Arrow text ids on both sides: `slice(None)` when the submission lists the answers' ids
    in their order, else the submission's row of each answer id; None when that is not so simple
    (other id types, unknown or duplicate ids: the general path decides and words the error)."""
    if not (_is_arrow_text(sub_ids) and _is_arrow_text(ans_ids)):
        return None
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s
    import pyarrow.compute as pc

    sub = pa.chunked_array(sub_ids.array.__arrow_array__()).cast(pa.large_string())
    ans = pa.chunked_array(ans_ids.array.__arrow_array__()).cast(pa.large_string())
    if sub.null_count or ans.null_count:
        return None
    if sub.equals(ans):
        return slice(None)
    positions = pc.index_in(ans, value_set=sub)  # first row of each answer id in the submission
    if positions.null_count:
        return None
    positions = positions.to_numpy()
    covered = np.zeros(len(sub), dtype=bool)
    covered[positions] = True
    # equal lengths and unique answer ids: every submission row is used once exactly when the
    # submission has no duplicate and no unknown id
    return positions if covered.all() else None


def _is_arrow_text(values: pd.Series) -> bool:
    if not in_arrow(values):
        return False
    dtype = values.dtype
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s

    return pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)


def _same_sequence(a: np.ndarray, b: np.ndarray) -> bool:
    with np.errstate(invalid="ignore"):
        return bool(len(a) == len(b) and (a == b).all())


def _positions_by_hash(sub_ids: np.ndarray, ans_ids: np.ndarray) -> np.ndarray | None:
    """Positions of the answers' ids in the submission via 64-bit hashes of the ids, checked
    exactly afterwards; None when the hashes cannot decide (duplicates, unknown ids, collisions),
    so that the exact path words the error."""
    if sub_ids.dtype == object:
        try:
            sub_keys = pd.util.hash_array(sub_ids, categorize=False)
            ans_keys = pd.util.hash_array(ans_ids, categorize=False)
        except TypeError:
            return None
    else:
        sub_keys, ans_keys = sub_ids, ans_ids
    sub_index = pd.Index(sub_keys)
    if sub_index.has_duplicates:
        return None
    positions = sub_index.get_indexer(ans_keys)
    if (positions < 0).any() or not _same_sequence(sub_ids[positions], ans_ids):
        return None
    return positions


def _positions_exact(sub_ids: np.ndarray, ans_ids: np.ndarray, id_column: str) -> np.ndarray:
    sub_index = pd.Index(sub_ids)
    if sub_index.has_duplicates:
        dup = pd.Series(sub_ids)[sub_index.duplicated()]
        raise InvalidSubmissionError(
            f"Submission has duplicate '{id_column}' values, e.g. {_quote(dup.head(3))}."
        )
    positions = sub_index.get_indexer(pd.Index(ans_ids))
    if (positions < 0).any():
        unknown = sorted(set(map(str, sub_ids)) - set(map(str, ans_ids)))[:3]
        missing = sorted(set(map(str, ans_ids)) - set(map(str, sub_ids)))[:3]
        raise InvalidSubmissionError(
            f"Submission '{id_column}' values do not match the test set "
            f"(unknown e.g. {_quote(unknown)}, missing e.g. {_quote(missing)})."
        )
    return positions
