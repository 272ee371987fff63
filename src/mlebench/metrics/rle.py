"""The run-length codec of binary masks (Kaggle's encoding), the one every grader and fixture uses.

A mask is numbered 1, 2, 3, ... down the first column, then down the second, and so on (column-major,
1-indexed). An encoding is a space-separated list of `start length` pairs: "1 3 10 2" marks pixels
1, 2, 3, 10 and 11. An empty (or all-blank) string is an empty mask.

`rle_encode` writes a mask; `rle_decode` draws one with the reference decoder's rules, run by run;
`rle_runs` reads a string into disjoint runs without drawing anything (accepting and rejecting
exactly what the reference's decoder does, huge numbers included: the loop decoder rejects every
number beyond the int64 range, some of which the reference accepts), and `rle_decode_fast` draws
the same mask from those runs. The tests check the two decoders against each other on random
strings and against the reference's outcomes for huge numbers.
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


_INT64_MAX = int(np.iinfo(np.int64).max)


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

    The reference's rules (as in `rle_decode`): a string; integer tokens; 1-indexed starts,
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
    """The same `height` x `width` boolean mask as `rle_decode` (column-major,
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


def rle_runs_many(
    rles: Sequence[str], n_pixels: int | np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """`rle_runs` of many strings at once, without a Python loop per string: `(rows, lows, ends)`
    of all their runs (row i's runs in order, rows ascending; row i's image has `n_pixels[i]`
    pixels, or `n_pixels` each when it is one number).

    Only the usual case is decided here: every string made of ASCII digits and spaces, numbers of
    at most 18 digits (no overflow), an even count of them and runs `rle_runs` accepts. For
    anything else (non-text, odd counts, invalid runs) it returns None: the caller then decodes
    string by string, which decides exactly (and words the error). On the strings accepted here
    `rle_runs` and `rle_decode` draw the same masks. Example (6 pixels): ["2 2 5 9", ""] ->
    rows [0, 0], lows [1, 4], ends [3, 6].
    """
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s
    import pyarrow.compute as pc

    from mlebench.metrics._tokens import all_text, arrow_text, text_bytes  # with pyarrow, lazily

    values = np.asarray(rles, dtype=object)
    n_rows = len(values)
    sizes = np.broadcast_to(np.asarray(n_pixels, dtype=np.int64), (n_rows,))
    if n_rows == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    text = arrow_text(values) if all_text(values) else None
    if text is None:  # not all text, or a text Arrow cannot hold
        return None
    _, chars = text_bytes(text)
    if not (((chars >= ord("0")) & (chars <= ord("9"))) | (chars == ord(" "))).all():
        return None
    tokens = pc.split_pattern(text, pattern=" ")
    numbers = tokens.flatten()
    rows = pc.list_parent_indices(tokens).to_numpy()
    digits = pc.binary_length(numbers).to_numpy()
    if len(digits) and digits.max() > 18:
        return None
    kept = digits > 0  # runs of spaces split into empty tokens
    numbers = pc.cast(numbers.filter(pa.array(kept)), pa.int64()).to_numpy()
    rows = rows[kept]
    if (np.bincount(rows, minlength=n_rows) % 2).any():  # a start without its length
        return None
    rows, lows, lengths = rows[0::2], numbers[0::2] - 1, numbers[1::2]
    if (lows < 0).any() or (lengths <= 0).any():
        return None
    ends = np.minimum(lows + lengths, sizes[rows])  # a run is cut at the image's end
    marks = lows < ends
    # Consecutive runs of a row: starts ascending, and a run that marks something begins at or
    # after the previous run's end (then the ends ascend too, so this is `rle_runs`' check
    # against the furthest end so far).
    same = rows[1:] == rows[:-1]
    if (same & (lows[1:] < lows[:-1])).any() or (same & marks[1:] & (lows[1:] < ends[:-1])).any():
        return None
    return rows[marks], lows[marks], ends[marks]
