"""Orderings of items within groups (AI4Code's cell orders)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from mlebench.errors import InvalidSubmissionError
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
