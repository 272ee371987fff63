"""Plain reasons for metric-library failures.

A grader that meets a value of the wrong kind usually fails deep inside scikit-learn, numpy or
pandas (`TypeError: Labels in y_true and y_pred should be of the same type...`). Rather than teach
82 graders to check every column, the failure is explained once, here: the first submission
column whose values are not of the kind the answers' same column holds, with the row and value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlebench.text import excerpt

KIND_WORDS = {"bool": "True or False", "number": "numbers", "text": "text labels"}


def explain_grading_error(submission: Any, answers: Any, error: BaseException) -> str:
    """A one-line reason naming the column, the row and the expected kind of value, or (when no
    column is at fault) a bounded excerpt of the library's message."""
    if isinstance(submission, pd.DataFrame) and isinstance(answers, pd.DataFrame):
        missing = error.args[0] if isinstance(error, KeyError) and error.args else None
        if isinstance(missing, str) and missing in answers.columns \
                and missing not in submission.columns:  # a grader that indexes it directly
            have = [excerpt(c, 60) for c in list(submission.columns)[:20]]
            return f"Submission is missing column '{missing}'; it has {have}."
        for column in answers.columns:
            if column not in submission.columns:
                continue
            reason = _misfit_reason(column, submission[column], answers[column])
            if reason:
                return reason
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    detail = f"{type(error).__name__}: {excerpt(message)}" if message else type(error).__name__
    return f"Submission could not be scored ({detail})."


def _kind(values: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(values.dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(values.dtype):
        return "number"
    if pd.api.types.infer_dtype(values, skipna=True) == "string":
        return "text"
    return None  # mixed or unusual answers: no basis for blaming the submission


def _misfit_reason(column: Any, submitted: pd.Series, expected: pd.Series) -> str | None:
    kind = _kind(expected)
    if kind is None:
        return None
    fits = _fits(submitted.reset_index(drop=True), kind)
    empty = submitted.reset_index(drop=True).isna().to_numpy()
    if expected.isna().any():
        fits = fits | empty  # the answers have gaps too: empty cells are not the problem
    bad = np.flatnonzero(~fits)
    if bad.size == 0:
        return None
    row = int(bad[0])
    value = submitted.iloc[row]
    found = "is empty" if empty[row] else f"has {excerpt(repr(value), 80)}"
    more = f" ({bad.size:,} rows are like it)" if bad.size > 1 else ""
    return (f"Column '{excerpt(column, 60)}' must hold {KIND_WORDS[kind]}, as the answers do; "
            f"row {row + 1} {found}{more}.")


def _fits(values: pd.Series, kind: str) -> np.ndarray:
    """Per value: whether it is of `kind` (text that reads as one counts, as pandas would read it)."""
    if kind == "bool":
        if pd.api.types.is_bool_dtype(values.dtype):
            return np.ones(len(values), dtype=bool)
        return values.map(_is_bool).to_numpy(dtype=bool)
    if kind == "number":
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
            return values.notna().to_numpy()
        as_numbers = pd.to_numeric(values, errors="coerce")
        not_bool = ~values.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy(dtype=bool)
        return as_numbers.notna().to_numpy() & not_bool
    return values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool | np.bool_) or (isinstance(value, str) and value in ("True", "False"))
