"""Reading tables: the CSV and JSONL readers every preparer, grader and the harness share.

`read_csv` is pandas with the reference's defaults. `read_csv_fast` serves competitions with
`grading.reader: fast`: most of the time of reading a CSV with a text id column goes into making
one Python string per row. A submission usually lists exactly the answers' ids in the answers'
order (agents copy the sample submission's order). Then the id column pandas would build is,
value for value and type for type, the answers' own id column (the same tokens parsed the same
way), so it is reused after a byte-for-byte check, and pandas parses only the other columns. Any
doubt (quotes, CR line ends, other ids or order, blank lines) falls back to the ordinary read.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


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


def read_csv_fast(source: Path | str | bytes, answers: object = None) -> pd.DataFrame:
    """`pd.read_csv` of a path or of a file's bytes (pandas' default float converter: at most one
    unit in the last place from the correctly rounded value the reference's reader gives), reusing
    `answers`' id column when the submission's first column holds exactly its ids in its order."""
    data = source if isinstance(source, bytes) else None
    if isinstance(answers, pd.DataFrame):
        frame = _read_reusing_ids(source, answers)
        if frame is not None:
            return frame
    return pd.read_csv(io.BytesIO(data) if data is not None else source)


def _read_reusing_ids(source: Path | str | bytes, answers: pd.DataFrame) -> pd.DataFrame | None:
    if isinstance(source, bytes):
        header_line = source[: source.find(b"\n") + 1] if b"\n" in source else source
    else:
        with open(source, "rb") as f:  # the header alone first: most files are decided by it
            header_line = f.readline()
    try:
        header = header_line.decode("utf-8").rstrip("\n").split(",")
    except UnicodeDecodeError:
        return None
    id_column = header[0]
    if (len(header) < 2 or len(set(header)) != len(header) or "" in header
            or id_column not in answers.columns or answers[id_column].dtype != object):
        return None
    ids = answers[id_column]
    if pd.api.types.infer_dtype(ids, skipna=False) != "string":
        return None
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if b'"' in data or b"\r" in data or not data.endswith(b"\n"):
        return None
    body = np.frombuffer(data, dtype=np.uint8)[len(header_line):]
    if _first_fields(body, len(ids), len(header)) != "\n".join(ids.tolist()).encode("utf-8"):
        return None
    rest = pd.read_csv(io.BytesIO(data), usecols=header[1:])
    if len(rest) != len(ids):
        return None
    rest.insert(0, id_column, ids.to_numpy().copy())
    return rest[header]


def _first_fields(body: np.ndarray, rows: int, columns: int) -> bytes | None:
    """The first field of each line of `body`, joined by newlines; None unless there are exactly
    `rows` lines, each with exactly `columns - 1` commas and a non-empty first field (a line with
    more fields must fail as it does in an ordinary read, which `usecols` would not do)."""
    newlines = np.flatnonzero(body == ord("\n"))
    if len(newlines) != rows or rows == 0:
        return None
    starts = np.concatenate(([0], newlines[:-1] + 1))
    commas = np.flatnonzero(body == ord(","))
    if len(commas) != rows * (columns - 1):
        return None
    first_commas, last_commas = commas[:: columns - 1], commas[columns - 2 :: columns - 1]
    if (first_commas <= starts).any() or (last_commas >= newlines).any():
        return None
    inside = np.zeros(len(body) + 1, dtype=np.int8)
    inside[starts] = 1
    inside[first_commas] = -1
    keep = np.cumsum(inside[:-1], dtype=np.int8).astype(bool)
    keep[newlines[:-1]] = True
    return body[keep].tobytes()


# A token made only of these characters may be a number to pandas (digits, signs, exponents,
# "inf", "infinity", "nan", padding); a text column needs one value with another character
# before pandas, too, keeps the column as text.
_NOT_A_NUMBER_CHAR = r"[^0-9+\-.eEinftyaINFTYA \t]"


def read_csv_arrow(data: bytes, arrow_text: bool = False) -> pd.DataFrame | None:
    """A CSV's bytes parsed by pyarrow's multithreaded reader into the frame `read_csv` would give
    (correctly rounded floats: bit for bit the reference's `round_trip` parse; text columns as
    Python strings, or with `arrow_text` kept in Arrow memory as `pd.ArrowDtype`, no Python
    string per cell), or None whenever the two readers might disagree, so that the caller reads
    the file as `read_csv` does: quotes, CR, a byte-order mark, "0x", duplicate or empty column
    names, missing values in a text column, types other than int64, float64 and text, +inf
    (pandas' exact parser keeps an overflowing token as text), whole numbers with a sign or
    beyond int64, or a text column that every value of could be a number."""
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    if (b'"' in data or b"\r" in data or data.startswith(b"\xef\xbb\xbf")
            or b"0x" in data or b"0X" in data):  # Arrow reads hexadecimal integers, pandas not
        return None
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            convert_options=pa_csv.ConvertOptions(
                null_values=sorted(_PANDAS_NA_VALUES), strings_can_be_null=True),
            read_options=pa_csv.ReadOptions(use_threads=True))
    except (pa.ArrowException, ValueError):
        return None
    names = table.column_names
    if table.num_rows == 0 or "" in names or len(set(names)) != len(names):
        return None
    columns: dict[str, Any] = {}
    for name, column in zip(names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            if column.null_count or not _surely_text(column):
                return None
            columns[name] = (pd.arrays.ArrowExtensionArray(column.cast(pa.large_string()))
                             if arrow_text else column.to_numpy(zero_copy_only=False))
        elif pa.types.is_int64(kind) or pa.types.is_float64(kind):
            values = column.to_numpy()  # int64 with nulls becomes float64 with NaN, as in pandas
            if values.dtype.kind == "f" and (np.isposinf(values).any()
                                             or _whole_numbers_pandas_reads_otherwise(values, data)):
                return None  # "1e400", "+1", integers past int64: pandas parses them otherwise
            columns[name] = values
        else:
            return None
    return pd.DataFrame(columns, copy=False)


def _whole_numbers_pandas_reads_otherwise(values: np.ndarray, data: bytes) -> bool:
    """Arrow reads integers with a sign ("+1") or past int64 as float64; pandas reads the first as
    int64 and the others as uint64 or text. Either needs whole numbers only in the column."""
    past_int64 = bool((np.abs(values) >= 2.0**63).any())
    if not past_int64 and b"+" not in data:
        return False
    finite = values[np.isfinite(values)]
    return bool((finite == np.floor(finite)).all())


def _surely_text(column) -> bool:
    """Some value has a character no number has (the first value usually decides)."""
    import re

    import pyarrow.compute as pc

    if re.search(_NOT_A_NUMBER_CHAR, column[0].as_py()):
        return True
    return bool(pc.any(pc.match_substring_regex(column, _NOT_A_NUMBER_CHAR)).as_py())


def _pandas_na_values() -> frozenset[str]:
    from pandas._libs.parsers import STR_NA_VALUES

    return frozenset(STR_NA_VALUES)


_PANDAS_NA_VALUES = _pandas_na_values()
