"""Reading tables: the CSV and JSONL readers every preparer, grader and the harness share.

`read_csv` is pandas with the reference's defaults. `read_csv_arrow` reads a submission with
pyarrow's multithreaded reader wherever that surely gives `read_csv`'s frame, bit for bit, and
says so otherwise (the caller then reads it with pandas).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mlebench.memory import release_free_heap


def read_csv(path: Path | str, **kwargs: Any) -> pd.DataFrame:
    """`pd.read_csv` with the reference's defaults (round-trip float parsing)."""
    return pd.read_csv(path, **{"float_precision": "round_trip", **kwargs})


def read_jsonl(path: Path | str, skip_commented_out_lines: bool = False) -> list[dict]:
    rows = []
    with open(path) as f:
        for line in f:
            stripped = line.strip()
            if skip_commented_out_lines and (
                not stripped or stripped.startswith("#") or stripped.startswith("//")
            ):
                continue
            rows.append(json.loads(line))
    return rows


_NOT_A_NUMBER_CHAR = r"[^0-9+\-.eEinftyaINFTYA \t\n\v\f]"  # pandas strips ASCII whitespace


def pandas_reads_quicker(data: bytes) -> bool:
    """Under ~2 KiB a column (a few hundred rows of many probability columns), pandas' parser is
    quicker than Arrow's, which sets up each column (measured on 2 cores: 2x at 0.6 KiB)."""
    header_end = data.find(b"\n")
    return len(data) < 2048 * (data.count(b",", 0, header_end if header_end >= 0 else None) + 1)


def read_csv_arrow(data: bytes, arrow_text: bool = False,
                   text_nulls: bool = False) -> pd.DataFrame | None:
    """A CSV's bytes parsed by pyarrow's multithreaded reader into the frame `read_csv` would give
    (correctly rounded floats: bit for bit the reference's `round_trip` parse; text columns as
    Python strings, or with `arrow_text` kept in Arrow memory as `pd.ArrowDtype`, no Python
    string per cell; a text column with missing cells then only with `text_nulls`, as Arrow
    nulls exactly where pandas puts NaN), or None whenever the two readers might disagree, so
    that the caller reads the file as `read_csv` does: CR, NUL, a byte-order mark, quotes anywhere but around whole
    one-line fields (`_quotes_at_field_edges`), duplicate or empty column names, a line of only
    spaces or tabs (pandas skips it), "0x" near numbers, missing values in a text column kept in
    Arrow memory, types other than int64, float64 and text, floats pandas reads otherwise
    (`_pandas_reads_otherwise`, `_long_leading_digits`), or a text column that every value of
    could be a number.

    Quotes around whole fields, with `""` for a quote inside, are safe: both readers then cut the
    same cells (pandas keeps no trace of quoting, Arrow only lets a quoted "NA" or "" be null,
    which pandas also does), so what holds for unquoted cells holds for them. The slower scans of
    the bytes run only where they matter (numbers for "0x", one column for blank-looking lines)."""
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s, most readers never need it
    from pyarrow import csv as pa_csv

    if (b"\r" in data or b"\x00" in data or data.startswith(b"\xef\xbb\xbf")
            or (b'"' in data and not _quotes_at_field_edges(data))):
        return None
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            convert_options=pa_csv.ConvertOptions(
                null_values=sorted(_PANDAS_NA_VALUES), strings_can_be_null=True),
            read_options=pa_csv.ReadOptions(use_threads=True))
    except (pa.ArrowException, ValueError):
        return None
    if len(data) >= _RELEASE_AFTER_PARSE:  # the reader's freed blocks, before any Python object
        release_free_heap()
    names = table.column_names
    if table.num_rows == 0 or "" in names or len(set(names)) != len(names):
        return None
    if table.num_columns == 1 and _blank_looking_line(data):
        return None  # with more columns Arrow fails on such a line
    numbers = [pa.types.is_int64(c.type) or pa.types.is_float64(c.type) for c in table.columns]
    if any(numbers) and (b"0x" in data or b"0X" in data):
        return None  # Arrow reads hexadecimal integers, pandas not
    columns: dict[str, Any] = {}
    signed = b"+" in data  # once, not per column: wide files have hundreds
    for name, column in zip(names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            if (arrow_text and column.null_count and not text_nulls) or not _surely_text(column):
                return None  # Arrow's nulls are not pandas' NaN in an Arrow column
            columns[name] = (pd.arrays.ArrowExtensionArray(column.cast(pa.large_string()))
                             if arrow_text else text_objects(column))
        elif pa.types.is_int64(kind) or pa.types.is_float64(kind):
            values = column.to_numpy()  # int64 with nulls becomes float64 with NaN, as in pandas
            if values.dtype.kind == "f" and _pandas_reads_otherwise(
                    values, column.null_count, data, signed):
                return None
            columns[name] = values
        else:
            return None
    floats = [v for v in columns.values() if v.dtype.kind == "f"]
    if floats and _long_leading_digits(data, floats):
        return None
    return pd.DataFrame(columns, copy=False)


_RELEASE_AFTER_PARSE = 8 << 20


def _pandas_reads_otherwise(values: np.ndarray, nulls: int, data: bytes, signed: bool) -> bool:
    """Tokens Arrow reads as these floats and pandas otherwise: NaN other than a missing value
    ("NAN", " nan": text to pandas), +inf ("1e400": pandas' exact parser keeps an overflowing
    token as text), -inf with spaces around (" -inf": text), whole numbers with a sign ("+1":
    int64 to pandas)."""
    if np.isnan(values).sum() != nulls or np.isposinf(values).any():
        return True
    if np.isneginf(values).any() and re.search(rb"(?i)[ \t][+-]?inf|inf(inity)?[ \t]", data):
        return True
    if not signed:  # no "+" in the file
        return False
    finite = values[np.isfinite(values)]
    return bool((finite == np.floor(finite)).all())


def _long_leading_digits(data: bytes, floats: list[np.ndarray]) -> bool:
    """A token that starts with digits past int64 ("9223372036854775808", "12345678901234567890.5",
    "92233720368547758081e-400"): pandas first tries int64, and if the first token it cannot
    read as one overflows it, reads the column as uint64 or text. Without an exponent such a
    token is a float of magnitude 9e18 or more, so the bytes are searched only when a float
    column reaches that or an "e" follows the header; then for runs of 19+ digits, each checked
    for where it stands."""
    if not any((np.abs(v) >= 9e18).any() for v in floats):
        header_end = data.find(b"\n")
        if header_end < 0 or (data.find(b"e", header_end) < 0
                              and data.find(b"E", header_end) < 0):
            return False
    step, done = 1 << 22, 0  # windows: a few MiB of copies; `done`: runs already judged
    for start in range(0, len(data), step):
        window = data[start:start + step + 18].translate(_DIGITS_AS_ZERO)
        at = window.find(b"0" * 19)
        while at >= 0:
            first = start + at
            while first > done and 48 <= data[first - 1] <= 57:
                first -= 1  # the run began before this window
            if first >= done:
                run = _DIGIT_RUN.match(data, first)
                if _starts_a_long_token(data, run):
                    return True
                done = run.end()
            at = window.find(b"0" * 19, max(at + 1, done - start))
    return False


def _starts_a_long_token(data: bytes, run: re.Match) -> bool:
    """The digits stand at the start of a token (after a delimiter or the file's start, spaces, a
    sign, the leading zeros) and go past int64: 20 or more, or 19 starting with a 9."""
    digits = run.group().lstrip(b"0")
    if not (len(digits) >= 20 or (len(digits) == 19 and digits[:1] == b"9")):
        return False
    before = data[max(0, run.start() - 64):run.start()]
    return bool(_TOKEN_START.search(before)) or (run.start() >= 64 and not before.strip())


_DIGITS_AS_ZERO = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))
_DIGIT_RUN = re.compile(rb"[0-9]{19,}")
_TOKEN_START = re.compile(rb'(?:^|[,\n"])[ \t\v\f]*[+-]?\Z')


def _blank_looking_line(data: bytes) -> bool:
    """A line of only spaces and tabs: pandas skips it, Arrow reads it as a value."""
    if data[:1] not in (b" ", b"\t") and b"\n " not in data and b"\n\t" not in data:
        return False
    return re.search(rb"(?:^|\n)[ \t]+(?:\n|\Z)", data) is not None


def _quotes_at_field_edges(data: bytes) -> bool:
    """Every quote opens a field (at the start, or after a comma or a newline), closes one (before
    a comma, a newline or the end) or is one of a doubled pair inside one; no quoted field holds a
    newline, and the file does not end inside one. Checked by induction over the quotes: pandas'
    tokenizer and Arrow's both meet an even-numbered quote outside quoted fields, where the byte
    before it tells a field's start from the second of a doubled pair, and an odd-numbered one
    inside, where the byte after it tells the field's end from a doubled quote. (A newline inside
    quotes, rare in submissions, would need Arrow's serial `newlines_in_values` chunking and
    pandas' whitespace-stripping number parse of "1\n" reasoned about too: left to pandas.)"""
    buf, step = np.frombuffer(data, np.uint8), 1 << 22  # windows: temporaries of a few MiB
    marks = np.concatenate([np.zeros(0, np.int64)] + [
        np.flatnonzero((buf[s:s + step] == ord('"')) | (buf[s:s + step] == ord("\n"))) + s
        for s in range(0, len(buf), step)])
    is_quote = buf[marks] == ord('"')
    inside = np.bitwise_xor.accumulate(is_quote)  # just after each mark: inside quotes
    if inside[-1:].any() or (inside & ~is_quote).any():
        return False
    quotes = marks[is_quote]
    opens, closes = quotes[0::2], quotes[1::2]
    before, after = buf[opens - 1], buf[np.minimum(closes + 1, len(buf) - 1)]
    return bool((_edge(before) | (opens == 0)).all()
                and (_edge(after) | (closes == len(buf) - 1)).all())


def _edge(byte: np.ndarray) -> np.ndarray:
    """A comma, a newline, or a quote (a quote next to another is one of a doubled pair)."""
    return (byte == ord(",")) | (byte == ord("\n")) | (byte == ord('"'))


def text_objects(array) -> np.ndarray:
    """An Arrow text column as an object array of Python strings, one string object per distinct
    value of each chunk when values repeat (as pandas' parser shares them): a column of a few
    thousand words over millions of rows costs the words, not a string per row. Mostly
    distinct columns (ids) are converted directly. A missing cell is NaN, as pandas puts it."""
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s
    import pyarrow.compute as pc

    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    probe = chunks[0].slice(0, 4096) if chunks else array
    if len(probe) == 0 or pc.count_distinct(probe).as_py() * 2 > len(probe):
        values = array.to_numpy(zero_copy_only=False)  # a new object array: writable
        if array.null_count:  # pandas puts NaN in an empty text cell
            values[pd.isna(values)] = np.nan
        return values
    parts = []
    for chunk in chunks:
        encoded = chunk.dictionary_encode()
        words = np.append(encoded.dictionary.to_numpy(zero_copy_only=False), np.nan)
        parts.append(words[encoded.indices.fill_null(len(words) - 1).to_numpy()])
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _surely_text(column) -> bool:
    """Some value has a character no number has (the first value usually decides)."""
    import pyarrow.compute as pc  # lazy, as above

    first = column[0].as_py()
    if first is not None and re.search(_NOT_A_NUMBER_CHAR, first):
        return True
    return bool(pc.any(pc.match_substring_regex(column, _NOT_A_NUMBER_CHAR)).as_py())


def _pandas_na_values() -> frozenset[str]:
    from pandas._libs.parsers import STR_NA_VALUES

    return frozenset(STR_NA_VALUES)


_PANDAS_NA_VALUES = _pandas_na_values()
