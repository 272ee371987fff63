"""Mean column-wise root mean squared error (MCRMSE) over the scored rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from mlebench.metrics._validation import align_on_id, require_columns, require_numeric


def mean_column_wise_rmse(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    target_columns: Sequence[str],
    scored_column: str | None = None,
    required_columns: Sequence[str] = (),
) -> float:
    """Mean over `target_columns` of each column's RMSE. Every answer id must appear exactly once;
    when `scored_column` (a boolean column of the answers) is given, only its True rows count and
    the other rows may hold anything. `required_columns` must be present but are not scored.

    Example: column A true [1, 2], predicted [1, 4] -> RMSE sqrt(4 / 2) = 1.41421; column B true
    [0, 0], predicted [3, 0] -> sqrt(9 / 2) = 2.12132; MCRMSE 1.76777.
    """
    cols = list(target_columns)
    require_columns(submission, [id_column, *cols, *required_columns])
    sub, ans = align_on_id(submission, answers, id_column, cols)
    if scored_column is not None:
        keep = ans[scored_column].to_numpy(dtype=bool)
        sub, ans = sub[keep], ans[keep]
    # Score the rows in id order, as the reference implementation does (same float sums).
    order = np.argsort(ans[id_column].to_numpy().astype(str), kind="stable")
    errors = [
        skm.root_mean_squared_error(ans[c].to_numpy()[order], require_numeric(sub[c], c)[order])
        for c in cols
    ]
    return float(np.mean(errors))
