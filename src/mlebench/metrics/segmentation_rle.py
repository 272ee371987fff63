"""Kaggle-style run-length encoding of binary masks, as the segmentation graders read it.

A mask is numbered 1, 2, 3, ... down the first column, then down the second, and so on (column-major,
1-indexed). An encoding is a space-separated list of `start length` pairs: "1 3 10 2" marks pixels
1, 2, 3, 10 and 11. An empty (or all-blank) string is an empty mask.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from mlebench.errors import InvalidSubmissionError


def _short(rle: str) -> str:
    return repr(rle[:40] + ("..." if len(rle) > 40 else ""))


def rle_decode(rle: str, height: int, width: int) -> np.ndarray:
    """Decode `rle` into a `height` x `width` boolean mask.

    Rules (the same as the reference grader's decoder, whose failures make a submission invalid):
    the value must be a string; every token an integer; starts ascending and > 0; lengths > 0;
    runs may not overlap. A run reaching past the last pixel is cut at the image's end, and a start
    beyond it marks nothing. With an odd number of tokens the trailing start has no length: the
    starts and lengths are then combined by numpy broadcasting exactly as in the reference (one
    length is applied to every start; no length at all gives an empty mask; otherwise invalid).

    Example (height 3, width 2, pixels numbered 1 2 3 down column 0 and 4 5 6 down column 1):
    "2 3" marks pixels 2, 3, 4 -> [[0, 1], [1, 0], [1, 0]].
    """
    if not isinstance(rle, str):
        raise InvalidSubmissionError(f"A mask must be a run-length string, got {rle!r}.")
    height, width = int(height), int(width)
    if not rle.strip():
        return np.zeros((height, width), dtype=bool)
    try:
        numbers = [int(token) for token in rle.split()]
    except ValueError:
        raise InvalidSubmissionError(f"Mask {_short(rle)} is not a list of integers.") from None
    starts, lengths = numbers[0::2], numbers[1::2]
    if starts != sorted(starts):
        raise InvalidSubmissionError(f"Mask {_short(rle)}: run starts must be in ascending order.")
    if any(s <= 0 for s in starts) or any(n <= 0 for n in lengths):
        raise InvalidSubmissionError(f"Mask {_short(rle)}: starts and lengths must be positive.")
    # Numbers past the image act like the image's end (slicing clips them), so capping them keeps
    # every decision while letting numbers beyond int64 through, as the reference's do.
    cap = height * width + 1
    lows = np.asarray([min(s, cap) for s in starts], dtype=np.int64) - 1
    try:
        highs = lows + np.asarray([min(n, cap) for n in lengths], dtype=np.int64)
    except ValueError:
        raise InvalidSubmissionError(
            f"Mask {_short(rle)}: expected `start length` pairs, got {len(numbers)} numbers."
        ) from None
    flat = np.zeros(height * width, dtype=bool)
    for lo, hi in zip(lows.tolist(), highs.tolist(), strict=False):
        # Slicing clips a run at the image's end, like the reference.
        if flat[lo:hi].any():
            raise InvalidSubmissionError(f"Mask {_short(rle)}: runs overlap.")
        flat[lo:hi] = True
    return flat.reshape((width, height)).T


def rle_encode(mask: np.ndarray) -> str:
    """Encode a 2-D mask (non-zero = foreground) as `start length` pairs, column-major, 1-indexed.

    Example: [[0, 1], [1, 1], [0, 0]] -> column-major pixels 0 1 0 1 1 0 -> "2 1 4 2".
    """
    flat = np.asarray(mask).T.reshape(-1) != 0
    padded = np.concatenate([[False], flat, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    return " ".join(f"{s + 1} {e - s}" for s, e in zip(starts.tolist(), ends.tolist(), strict=True))


def rles_to_masks(
    encodings: Iterable[str], heights: Sequence[int], widths: Sequence[int]
) -> list[np.ndarray]:
    """`rle_decode` each encoding with its image's height and width."""
    return [rle_decode(rle, h, w) for rle, h, w in zip(encodings, heights, widths, strict=True)]
