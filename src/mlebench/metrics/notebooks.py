"""Orderings of items within groups (AI4Code's cell orders)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._tokens import all_text, arrow_text, as_texts, split_whitespace
from mlebench.metrics._validation import require_columns, require_same_length


def count_inversions(values: Sequence[int]) -> int:
    """Number of pairs i < j with values[i] > values[j] (merge sort, O(n log n)).

    Example: [2, 0, 1] -> pairs (2, 0) and (2, 1) -> 2.
    """
    items = list(values)
    if len(items) < 2:
        return 0
    mid = len(items) // 2
    left, right = sorted(items[:mid]), sorted(items[mid:])
    inversions = count_inversions(items[:mid]) + count_inversions(items[mid:])
    j = 0
    for x in left:  # for each left value, count the right values smaller than it
        while j < len(right) and right[j] < x:
            j += 1
        inversions += j
    return inversions


def kendall_tau_orderings(true_orders: Sequence[Sequence[str]], predicted_orders: Sequence[Sequence[str]]) -> float:
    """Kendall tau pooled over groups: 1 - 4 * (total discordant pairs) / sum of n(n - 1), where
    each predicted order must be a permutation of its true order.

    Example: true [a, b, c], predicted [b, a, c] -> 1 discordant pair (a, b) of n(n-1) = 6:
    1 - 4 * 1 / 6 = 1/3. A reversed order gives 1 - 4 * 3 / 6 = -1.
    """
    inversions = total = 0
    for truth, predicted in zip(true_orders, predicted_orders, strict=True):
        position = {item: i for i, item in enumerate(truth)}
        inversions += count_inversions([position[item] for item in predicted])
        total += len(truth) * (len(truth) - 1)
    if total == 0:
        raise InvalidSubmissionError("Kendall tau is undefined: no group has two or more items.")
    return 1 - 4 * inversions / total


def kendall_tau_of_orders(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """`kendall_tau_orderings` of space-separated orders keyed by id. Every id of the answers
    must appear once, and each predicted order must list exactly the row's items.

    Example: answers {n1: "a b c"}, submission {n1: "b a c"} -> 1/3 (see `kendall_tau_orderings`).
    """
    require_same_length(submission, answers)
    require_columns(submission, [id_column, target_column])
    fast = _kendall_tau_by_arrays(submission, answers, id_column, target_column)
    if fast is not None:
        return fast
    # Something to refuse (or unusual): row by row in the reference's order, the first bad
    # row named.
    if set(submission[id_column]) != set(answers[id_column]):
        raise InvalidSubmissionError(f"Submission '{id_column}' values do not match the test set.")
    sub = submission.sort_values(id_column, kind="mergesort")
    ans = answers.sort_values(id_column, kind="mergesort")
    truths, predictions = [], []
    for row_id, truth, predicted in zip(ans[id_column], ans[target_column].astype(str),
                                        sub[target_column].astype(str), strict=True):
        true_items, predicted_items = truth.split(), predicted.split()
        if len(predicted_items) != len(true_items) or set(predicted_items) != set(true_items):
            raise InvalidSubmissionError(
                f"{id_column}={row_id}: '{target_column}' must list each of the notebook's "
                f"{len(true_items)} cell ids exactly once.")
        truths.append(true_items)
        predictions.append(predicted_items)
    return kendall_tau_orderings(truths, predictions)


def pooled_inversions(rows: np.ndarray, values: np.ndarray) -> int:
    """Inversions summed over groups: pairs i < j of the same group (`rows` is non-decreasing, a
    group's items contiguous and in their order) with values[i] > values[j], values >= 0.

    Counted bit by bit without a Python loop per group: a pair is inverted exactly when, at the
    highest bit where the values differ, the earlier has a 1 and the later a 0. Going from the top
    bit down, the items of each group with equal higher bits are kept contiguous and in order
    (a stable partition by each bit in turn), so each level counts, for every 0, the 1s before it
    in its part. Example: rows [0, 0, 0, 1, 1], values [2, 0, 1, 1, 0] -> 2 + 1 = 3.
    """
    values = np.asarray(values, dtype=np.int64)
    n = len(values)
    if n < 2:
        return 0
    index = np.arange(n)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])  # where each part begins
    inversions = 0
    for bit in reversed(range(int(values.max()).bit_length())):
        b = (values >> bit) & 1
        sizes = np.diff(np.r_[starts, n])
        part = np.repeat(np.arange(len(starts)), sizes)
        ones_so_far = np.cumsum(b)
        ones_before_part = ones_so_far[starts] - b[starts]
        ones_before = (ones_so_far - b - ones_before_part[part])  # earlier 1s of the same part
        inversions += int(ones_before[b == 0].sum())
        # stable partition of every part: its 0s, then its 1s
        zeros = sizes - (ones_so_far[starts + sizes - 1] - ones_before_part)
        start = starts[part]
        zeros_before = index - start - ones_before
        moved = np.empty_like(values)
        moved[start + np.where(b == 0, zeros_before, zeros[part] + ones_before)] = values
        values = moved
        split = (zeros > 0) & (zeros < sizes)
        starts = np.sort(np.r_[starts, (starts + zeros)[split]])
    return inversions


def _kendall_tau_by_arrays(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float | None:
    """`kendall_tau_of_orders` of a valid submission without a Python loop per notebook; None when
    that is not simply so (ids not text, unknown or repeated ids, an order that is not a
    permutation of the notebook's cells, non-ASCII text, no pair at all...): the row-by-row path
    then decides and words the error. The score is a quotient of two integer totals, whatever
    order the notebooks are taken in."""
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s

    n = len(answers)
    sub_ids, ans_ids = submission[id_column], answers[id_column]
    if n == 0 or not (all_text(sub_ids) and all_text(ans_ids)):
        return None
    ids = arrow_text(np.concatenate([ans_ids.to_numpy(), sub_ids.to_numpy()]))
    if ids is None:  # e.g. a lone surrogate
        return None
    # The answers' ids are codes 0..n-1 when they are unique; then (equal lengths) every answer
    # has its own submission row when all of them occur.
    codes = ids.dictionary_encode().indices.to_numpy()
    if not np.array_equal(codes[:n], np.arange(n)) or codes[n:].max() >= n:
        return None
    rows = np.full(n, -1)
    rows[codes[n:]] = np.arange(n)
    if (rows < 0).any():
        return None
    truth = split_whitespace(as_texts(answers[target_column]))
    predicted = split_whitespace(as_texts(submission[target_column])[rows])
    if truth is None or predicted is None:
        return None
    (t_row, t_tok), (p_row, p_tok) = truth, predicted
    lengths = np.bincount(t_row, minlength=n)
    if not np.array_equal(lengths, np.bincount(p_row, minlength=n)):
        return None
    tokens = pa.concat_arrays([t_tok, p_tok]).dictionary_encode().indices.to_numpy()
    width = np.int64(tokens.max(initial=0)) + 1
    t_keys, p_keys = t_row * width + tokens[: len(t_tok)], p_row * width + tokens[len(t_tok):]
    # Each predicted (notebook, cell) must be found in the truth, and none twice: with equal
    # lengths and distinct cells in the truth, the prediction is then a permutation.
    order = np.argsort(t_keys, kind="stable")
    truth_sorted, predicted_sorted = t_keys[order], np.sort(p_keys)
    if (truth_sorted[1:] == truth_sorted[:-1]).any() or \
            (predicted_sorted[1:] == predicted_sorted[:-1]).any():
        return None  # a cell twice: the row-by-row path decides
    if not np.array_equal(truth_sorted, predicted_sorted):
        return None
    found = np.searchsorted(truth_sorted, p_keys)
    starts = np.cumsum(lengths) - lengths
    position = order[found] - starts[p_row]  # each predicted cell's rank in the truth
    total = int((lengths * (lengths - 1)).sum())
    if total == 0:
        return None
    return 1 - 4 * pooled_inversions(p_row, position) / total
