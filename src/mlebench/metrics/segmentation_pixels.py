"""Pixel-count scores of run-length-encoded masks: the global Dice over every pixel of a test set
(google-research-identify-contrails-reduce-global-warming) and the binary F-beta of large masks
(vesuvius-challenge-ink-detection).

Both scores depend only on three counts: `tp` (pixels set in both masks), `pred` (set in the
prediction) and `true` (set in the truth). They are computed from the runs themselves, without
drawing the masks, so a 40-megapixel Vesuvius fragment with a million runs is scored in about a
second. `rle_runs` reads a run-length string and accepts and rejects exactly what the
reference's decoder does (the loop decoder `segmentation_rle.rle_decode` follows the same rules,
except that it rejects every number beyond the int64 range, some of which the reference accepts);
`rle_decode_fast` draws the same mask from those runs. The tests check both against
`rle_decode` on random strings and against the reference's outcomes for huge numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from mlebench.errors import InvalidSubmissionError

_INT64_MAX = int(np.iinfo(np.int64).max)


def _short(rle: str) -> str:
    return repr(rle[:40] + ("..." if len(rle) > 40 else ""))


def _plain_numbers(rle: str) -> np.ndarray | None:
    """The numbers of a string made only of ASCII spaces and groups of at most 18 digits (which
    `int()` and numpy read alike, without overflow), parsed in C; None for any other string."""
    if not rle.isascii():
        return None
    text = np.frombuffer(rle.encode("ascii"), dtype=np.uint8)
    digit = (text >= ord("0")) & (text <= ord("9"))
    if not (digit | (text == ord(" "))).all():
        return None
    edges = np.flatnonzero(np.diff(np.concatenate([[False], digit, [False]]).view(np.int8)))
    groups = edges[1::2] - edges[0::2]
    if not len(groups) or groups.max() > 18:
        return None
    values = np.fromstring(rle, dtype=np.int64, sep=" ")
    return values if len(values) == len(groups) else None


def _huge_runs(rle: str, numbers: list[int], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Runs of a string with numbers beyond the int64 range, decided by the same numpy arithmetic
    as the reference's decoder, run by run: depending on how numpy holds the numbers (int64,
    uint64, float64 or Python ints) the runs either index the mask (a huge run is cut at the
    image's end) or fail (invalid). Only absurd submissions get here, so speed does not matter."""
    starts, lengths = numbers[0::2], numbers[1::2]
    if starts != sorted(starts):
        raise InvalidSubmissionError(f"Mask {_short(rle)}: run starts must be in ascending order.")
    if min(numbers) <= 0:
        raise InvalidSubmissionError(f"Mask {_short(rle)}: starts and lengths must be positive.")
    flat = np.zeros(n, dtype=bool)
    try:
        lows = np.array(starts) - 1
        highs = lows + lengths
        for lo, hi in zip(lows, highs, strict=False):
            if flat[lo:hi].any():
                raise InvalidSubmissionError(f"Mask {_short(rle)}: runs overlap.")
            flat[lo:hi] = True
    except (TypeError, ValueError, OverflowError):
        raise InvalidSubmissionError(f"Mask {_short(rle)}: numbers out of range.") from None
    edges = np.flatnonzero(np.diff(np.concatenate([[False], flat, [False]]).view(np.int8)))
    return edges[0::2], edges[1::2]


def rle_runs(rle: str, n_pixels: int) -> tuple[np.ndarray, np.ndarray]:
    """The pixels a run-length string marks in an image of `n_pixels`, as disjoint runs
    `[lows[i], ends[i])` of 0-based pixel indices in ascending order (empty runs left out).

    The reference's rules (as in `segmentation_rle.rle_decode`): a string; integer tokens; 1-indexed starts,
    ascending and > 0; lengths > 0; a run past the last pixel is cut there; runs may not
    overlap; an odd count is combined by numpy broadcasting, as in the reference. Anything else
    raises `InvalidSubmissionError`. Example (6 pixels): "2 2 5 9" -> lows [1, 4], ends [3, 6].
    """
    if not isinstance(rle, str):
        raise InvalidSubmissionError(f"A mask must be a run-length string, got {rle!r}.")
    n = int(n_pixels)
    empty = np.zeros(0, dtype=np.int64)
    if not rle.strip():
        return empty, empty
    values = _plain_numbers(rle)
    if values is None:  # anything but short digit groups and spaces: Python's int() decides
        try:
            numbers = list(map(int, rle.split()))
        except ValueError:
            raise InvalidSubmissionError(f"Mask {_short(rle)} is not a list of integers.") from None
        if max(numbers) > _INT64_MAX or min(numbers) < -_INT64_MAX:
            return _huge_runs(rle, numbers, n)
        values = np.asarray(numbers, dtype=np.int64)
    starts, lengths = values[0::2], values[1::2]
    if (starts[1:] < starts[:-1]).any():
        raise InvalidSubmissionError(f"Mask {_short(rle)}: run starts must be in ascending order.")
    if (starts <= 0).any() or (lengths <= 0).any():
        raise InvalidSubmissionError(f"Mask {_short(rle)}: starts and lengths must be positive.")
    lows = starts - 1
    try:
        highs = lows + lengths
    except ValueError:
        raise InvalidSubmissionError(
            f"Mask {_short(rle)}: expected `start length` pairs, got {len(values)} numbers."
        ) from None
    count = min(len(lows), len(highs))  # the reference pairs them with zip()
    lows, ends = lows[:count], np.minimum(highs[:count], n)
    # Starts ascend, so a run overlaps an earlier one exactly when it marks something and starts
    # before the furthest (clipped) end reached so far.
    marks = lows < ends
    if count > 1 and (marks[1:] & (lows[1:] < np.maximum.accumulate(ends)[:-1])).any():
        raise InvalidSubmissionError(f"Mask {_short(rle)}: runs overlap.")
    return lows[marks], ends[marks]


def rle_decode_fast(rle: str, height: int, width: int) -> np.ndarray:
    """The same `height` x `width` boolean mask as `segmentation_rle.rle_decode` (column-major,
    1-indexed runs), drawn from `rle_runs` without a per-run Python loop.

    Example (height 3, width 2): "2 3" -> [[0, 1], [1, 0], [1, 0]].
    """
    height, width = int(height), int(width)
    n = height * width
    lows, ends = rle_runs(rle, n)
    edges = np.zeros(n + 1, dtype=np.int8)
    edges[lows] = 1
    edges[ends] -= 1  # the runs are disjoint: each end occurs once, possibly at a later start
    flat = np.cumsum(edges[:n], dtype=np.int8).view(bool)
    return flat.reshape((width, height)).T


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
