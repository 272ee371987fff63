"""Pixel-count scores of run-length-encoded masks: the global Dice over every pixel of a test set
(google-research-identify-contrails-reduce-global-warming) and the binary F-beta of large masks
(vesuvius-challenge-ink-detection).

Both scores depend only on three counts: `tp` (pixels set in both masks), `pred` (set in the
prediction) and `true` (set in the truth). They are computed from the runs themselves, without
drawing the masks, so a 40-megapixel Vesuvius fragment with a million runs is scored in about a
second. The runs come from `mlebench.metrics.rle.rle_runs`, the codec's run-based decoder.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from mlebench.metrics.rle import rle_runs, rle_runs_many


def run_counts(
    pred: tuple[np.ndarray, np.ndarray], true: tuple[np.ndarray, np.ndarray]
) -> tuple[int, int, int]:
    """`(tp, pred, true)` pixel counts of two masks given as disjoint runs (see `rle_runs`).

    Example: pred runs [0, 2), true runs [1, 4) -> (1, 2, 3).
    """
    (p_lo, p_end), (t_lo, t_end) = pred, true
    n_pred, n_true = int((p_end - p_lo).sum()), int((t_end - t_lo).sum())
    if not n_pred or not n_true:
        return 0, n_pred, n_true
    # Sweep over all run boundaries: between consecutive boundaries the number of masks covering
    # the pixels is constant, and the true positives are where it is 2.
    positions = np.concatenate([p_lo, p_end, t_lo, t_end])
    steps = np.concatenate([np.ones(len(p_lo), np.int64), -np.ones(len(p_end), np.int64),
                            np.ones(len(t_lo), np.int64), -np.ones(len(t_end), np.int64)])
    order = np.argsort(positions, kind="stable")
    positions, coverage = positions[order], np.cumsum(steps[order])
    tp = int(np.diff(positions)[coverage[:-1] == 2].sum())
    return tp, n_pred, n_true


def run_counts_many(
    pred: tuple[np.ndarray, np.ndarray, np.ndarray],
    true: tuple[np.ndarray, np.ndarray, np.ndarray],
    n_rows: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`run_counts` of many pairs of masks at once: per row, the int64 arrays `(tp, pred, true)`.
    Each side is `(rows, lows, ends)` as `rle_runs_many` returns it (disjoint runs per row).

    Example: pred runs row 0 [0, 2), row 1 [5, 6); true runs row 0 [1, 4) -> tp [1, 0],
    pred [2, 1], true [3, 0].
    """
    (p_row, p_lo, p_end), (t_row, t_lo, t_end) = pred, true
    n_pred = np.bincount(p_row, weights=p_end - p_lo, minlength=n_rows).astype(np.int64)
    n_true = np.bincount(t_row, weights=t_end - t_lo, minlength=n_rows).astype(np.int64)
    # The sweep of `run_counts` over all rows together: positions keyed by row first, so rows
    # never mix (coverage is 0 between one row's last boundary and the next row's first).
    span = int(max(p_end.max(initial=0), t_end.max(initial=0))) + 1
    rows = np.concatenate([p_row, p_row, t_row, t_row])
    keys = rows * span + np.concatenate([p_lo, p_end, t_lo, t_end])
    steps = np.concatenate([np.ones(len(p_lo), np.int64), -np.ones(len(p_end), np.int64),
                            np.ones(len(t_lo), np.int64), -np.ones(len(t_end), np.int64)])
    order = np.argsort(keys, kind="stable")
    keys, rows, coverage = keys[order], rows[order], np.cumsum(steps[order])
    both = coverage[:-1] == 2
    tp = np.bincount(rows[:-1][both], weights=np.diff(keys)[both], minlength=n_rows)
    # float64 sums of whole numbers below 2**53: exact
    return tp.astype(np.int64), n_pred, n_true


def dice_from_counts(tp: int, pred: int, true: int, both_empty_value: float = np.nan) -> float:
    """2 tp / (pred + true); `both_empty_value` when neither mask has a foreground pixel.
    Example: (1, 2, 3) -> 2 / 5 = 0.4."""
    if pred + true == 0:
        return both_empty_value
    return 2 * tp / (pred + true)


def fbeta_from_counts(tp: int, pred: int, true: int, beta: float) -> float:
    """Binary F-beta, (1 + b^2) tp / (b^2 true + pred), evaluated with the same floating-point
    operations as scikit-learn's `fbeta_score` (so results agree bit for bit); 0 when neither
    mask has a foreground pixel (scikit-learn's `zero_division="warn"` value).

    Example: beta 0.5, (tp, pred, true) = (1, 2, 3) -> 1.25 / (0.75 + 2) = 0.4545...
    """
    beta2 = beta**2
    denominator = beta2 * true + pred
    if denominator == 0:
        return 0.0
    return float((1 + beta2) * tp / denominator)


def global_dice_rle(
    pred_rles: Iterable[str],
    true_rles: Iterable[str],
    heights: Iterable[int],
    widths: Iterable[int],
    both_empty_value: float = np.nan,
) -> float:
    """Dice coefficient of all images taken together (the pixels of every image pooled, not a mean
    of per-image scores). Masks are column-major run-length strings (see `rle_runs`), paired in
    the given order, each read with its image's height and width.

    Example (2 x 1 images): pred "1 1" and "1 2", true "1 2" and "" -> tp 1, pred 3, true 2,
    Dice 2 / 5 = 0.4.
    """
    pred_rles, true_rles = list(pred_rles), list(true_rles)
    heights, widths = np.asarray(heights), np.asarray(widths)
    if len(pred_rles) == len(true_rles) == len(heights) == len(widths) and \
            heights.dtype.kind in "iu" and widths.dtype.kind in "iu":
        sizes = heights.astype(np.int64) * widths.astype(np.int64)
        pred = rle_runs_many(pred_rles, sizes)
        true = None if pred is None else rle_runs_many(true_rles, sizes)
        if true is not None:  # the usual, valid case: every row at once
            counts = run_counts_many(pred, true, len(sizes))
            tp, n_pred, n_true = (int(c.sum()) for c in counts)  # exact integer totals
            return dice_from_counts(tp, n_pred, n_true, both_empty_value)
    # Something to refuse (or unusual): row by row, the first bad mask named.
    tp = n_pred = n_true = 0
    for pred_rle, true_rle, height, width in zip(pred_rles, true_rles, heights, widths, strict=True):
        n = int(height) * int(width)
        true = rle_runs(true_rle, n)
        a, b, c = run_counts(rle_runs(pred_rle, n), true)
        tp, n_pred, n_true = tp + a, n_pred + b, n_true + c
    return dice_from_counts(tp, n_pred, n_true, both_empty_value)


def fbeta_rle_row_major(pred_rle: str, true_rle: str, height: int, width: int, beta: float) -> float:
    """Binary F-beta of one predicted against one true mask, both run-length strings numbered
    row by row (pixel 1 is the top-left, 2 its right neighbour, ...), as Vesuvius' ink labels are.
    (The counts do not depend on the numbering as long as both masks use the same one.)

    Example (height 1, width 4, beta 0.5): pred "1 2", true "2 3" -> tp 1, pred 2, true 3,
    F0.5 = 1.25 / (0.25 * 3 + 2) = 0.4545...
    """
    n = int(height) * int(width)
    true = rle_runs(true_rle, n)
    return fbeta_from_counts(*run_counts(rle_runs(pred_rle, n), true), beta=beta)
