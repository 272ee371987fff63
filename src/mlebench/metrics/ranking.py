"""Ranking metrics over lists of predictions."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np


def average_precision_at_k(actual: set[Hashable], predicted: Sequence[Hashable], k: int) -> float:
    """AP@k of a ranked prediction list against a set of relevant items.

    Repeated predictions count once. Example: actual {a}, predicted [b, a, c], k=3 -> 1/2.
    """
    if not actual:
        return 0.0
    hits, score, seen = 0, 0.0, set()
    for i, p in enumerate(list(predicted)[:k]):
        if p in actual and p not in seen:
            hits += 1
            score += hits / (i + 1.0)
        seen.add(p)
    return score / min(len(actual), k)


def mean_average_precision_at_k(
    actual: Sequence[set[Hashable]], predicted: Sequence[Sequence[Hashable]], k: int
) -> float:
    """MAP@k: the mean of AP@k over rows.

    Example: rows ({a}, [a, b]) and ({b}, [a, b]) with k=2 -> (1 + 1/2) / 2 = 0.75.
    """
    if len(actual) != len(predicted):
        raise ValueError("actual and predicted must have the same number of rows")
    return float(np.mean([average_precision_at_k(a, p, k) for a, p in zip(actual, predicted, strict=True)]))


def _split_on_spaces(texts):
    """`str.split(" ")` of every text at once: (offsets, tokens), row i's tokens being
    `tokens[offsets[i]:offsets[i + 1]]` (an Arrow array). Arrow's `split_pattern` splits exactly
    as Python does (empty tokens kept)."""
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s
    import pyarrow.compute as pc

    lists = pc.split_pattern(pa.array(texts, type=pa.large_string()), pattern=" ")
    offsets = lists.offsets.to_numpy()
    return offsets - offsets[0], lists.flatten()


def mean_average_precision_at_k_of_texts(
    actual: Sequence[str], predicted: Sequence[str], k: int
) -> float:
    """`mean_average_precision_at_k` of space-separated texts, each split with `str.split(" ")`
    (row i: the set of `actual[i]`'s tokens against the ranked tokens of `predicted[i]`), without a
    Python loop per row: the same per-row floating-point operations in the same order, hence the
    same float. Raises what Arrow raises for a text it cannot hold (e.g. a lone surrogate).

    Example (k=3): actual ["1 2", "5"], predicted ["2 3 1", "7 5"] -> (5/6 + 1/2) / 2 = 2/3.
    """
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s

    n = len(actual)
    if n != len(predicted):
        raise ValueError("actual and predicted must have the same number of rows")
    if n == 0:
        return float(np.mean([]))  # NaN with numpy's warning, as the loop gives
    a_off, a_tok = _split_on_spaces(actual)
    p_off, p_tok = _split_on_spaces(predicted)
    a_row = np.repeat(np.arange(n), np.diff(a_off))
    p_len = np.diff(p_off)
    p_row = np.repeat(np.arange(n), p_len)
    p_pos = np.arange(len(p_tok)) - np.repeat(p_off[:-1], p_len)  # rank - 1 within the row
    top = p_pos < k  # only the first k predictions count
    if not top.all():
        p_tok, p_row, p_pos = p_tok.filter(pa.array(top)), p_row[top], p_pos[top]
    # One integer per distinct token, then one per (row, token): set membership becomes integer
    # comparison.
    codes = pa.concat_arrays([a_tok, p_tok]).dictionary_encode().indices.to_numpy().astype(np.int64)
    width = int(codes.max()) + 1
    a_keys = np.unique(a_row * width + codes[: len(a_tok)])  # sorted, repeats removed
    p_keys = p_row * width + codes[len(a_tok):]
    relevant = np.bincount(a_keys // width, minlength=n)  # len(set(actual[i].split(" ")))
    # A prediction scores when it is relevant and not already seen earlier in its row's top k.
    found = np.searchsorted(a_keys, p_keys)
    found[found == len(a_keys)] = 0
    candidates = np.flatnonzero(a_keys[found] == p_keys)
    ck = p_keys[candidates]
    order = np.argsort(ck, kind="stable")  # repeats of a (row, token) pair: earliest first
    first = np.ones(len(ck), dtype=bool)
    first[order[1:]] = ck[order[1:]] != ck[order[:-1]]
    hits_at = candidates[first]  # ascending: by row, then rank
    hit_row, hit_pos = p_row[hits_at], p_pos[hits_at]
    hits = np.arange(len(hits_at)) - np.searchsorted(hit_row, hit_row) + 1  # hits so far in the row
    terms = np.zeros((n, k))
    terms[hit_row, hit_pos] = hits / (hit_pos + 1.0)
    # Summed rank by rank, as the loop adds them (adding an exact 0.0 changes nothing), so that
    # each row's rounding is the loop's.
    score = np.zeros(n)
    for j in range(k):
        score = score + terms[:, j]
    return float(np.mean(score / np.minimum(relevant, k)))
