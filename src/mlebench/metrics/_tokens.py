"""`str.split()` of a whole column at once, for the metrics that compare sets or orders of
whitespace-separated tokens (keywords, notebooks): the tokens come back as one Arrow array, so that
they can be numbered by hashing (`dictionary_encode`) instead of Python sets row by row."""

from __future__ import annotations

import numpy as np
import pandas as pd

# The bytes Python's str.split() splits on in an ASCII text: \t \n \v \f \r, space and the
# separators \x1c-\x1f. Arrow's whitespace split leaves out the last four, hence this split.
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


def arrow_text(values: np.ndarray, from_pandas: bool = False):
    """The cells as an Arrow large_string array, or None for a text Arrow cannot hold (a lone
    surrogate) or a cell that is not text."""
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s

    try:
        return pa.array(values, type=pa.large_string(), from_pandas=from_pandas)
    except (pa.ArrowException, UnicodeError):
        return None


def in_arrow(values: pd.Series | np.ndarray) -> bool:
    """A column whose cells live in Arrow memory (`pd.ArrowDtype`: the fast and arrow readers'
    text), not in Python objects."""
    return isinstance(getattr(values, "dtype", None), pd.ArrowDtype)


def one_array(chunked):
    """A pyarrow chunked array as one array: its only chunk, or its chunks joined once (Arrow's
    `take` from many chunks joins them all on every call)."""
    return chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()


def all_text(values: pd.Series | np.ndarray) -> bool:
    """Every cell a Python string (no missing value, no number)."""
    return values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string"


def as_texts(values: pd.Series | np.ndarray) -> np.ndarray:
    """The cells as `astype(str)` makes them (NaN -> "nan", as the reference's row-by-row
    code), without a copy when every cell already is a string."""
    return np.asarray(values) if all_text(values) else pd.Series(values).astype(str).to_numpy()


def text_bytes(text) -> tuple[np.ndarray, np.ndarray]:
    """`(offsets, chars)` of an Arrow large_string array: each cell is
    `chars[offsets[i]:offsets[i + 1]]`, offsets counted from the first cell's start."""
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset: text.offset
                                                                 + len(text) + 1]
    data = text.buffers()[2]
    chars = (np.frombuffer(data, dtype=np.uint8) if data is not None
             else np.zeros(0, dtype=np.uint8))[offsets[0]: offsets[-1]]
    return offsets - offsets[0], chars


def split_whitespace(values: np.ndarray) -> tuple[np.ndarray, object] | None:
    """`(rows, tokens)`: the tokens of `str.split()` of every cell in order (an Arrow
    large_string array) and the row each comes from; a missing cell (None, NaN) has none. None
    unless every cell is a string or missing and the text is ASCII (beyond it Python's notion of
    whitespace is Unicode's, not reproduced here): the caller then splits row by row.

    Example: ["a b", None, " c\\t"] -> rows [0, 0, 2], tokens ["a", "b", "c"].
    """
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s

    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return None
    text = arrow_text(values, from_pandas=True)  # NaN, None -> null
    if text is None:
        return None
    offsets, chars = text_bytes(text)
    if (chars >= 0x80).any():
        return None
    # The split on bytes: a token starts at a non-space byte that begins a cell or follows a
    # space, and ends at one that ends a cell or precedes a space. Dropping the spaces leaves
    # the tokens back to back: the kept bytes and the tokens' lengths make an Arrow string array.
    # (Control bytes are rare: the 256-entry table only when there are some.)
    space = _SPACE[chars] if (chars < 32).any() else chars == 32
    token = ~space
    after_space = np.ones(len(chars), dtype=bool)
    after_space[1:] = space[:-1]
    before_space = np.ones(len(chars), dtype=bool)
    before_space[:-1] = space[1:]
    cell_starts = offsets[:-1][offsets[:-1] < len(chars)]
    after_space[cell_starts] = True
    before_space[cell_starts[cell_starts > 0] - 1] = True
    starts = np.flatnonzero(token & after_space)
    ends = np.flatnonzero(token & before_space) + 1
    token_offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(ends - starts, out=token_offsets[1:])
    tokens = pa.LargeStringArray.from_buffers(
        len(starts), pa.py_buffer(token_offsets), pa.py_buffer(chars[token]))
    # each cell's count of tokens: the starts at or after its offset, less the next cell's
    per_cell = np.diff(np.searchsorted(starts, offsets))
    rows = np.repeat(np.arange(len(text), dtype=np.int64), per_cell)
    return rows, tokens
