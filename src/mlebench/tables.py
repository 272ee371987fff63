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
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s, most readers never need it
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
    import pyarrow.compute as pc  # lazy, as above

    if re.search(_NOT_A_NUMBER_CHAR, column[0].as_py()):
        return True
    return bool(pc.any(pc.match_substring_regex(column, _NOT_A_NUMBER_CHAR)).as_py())


def _pandas_na_values() -> frozenset[str]:
    from pandas._libs.parsers import STR_NA_VALUES

    return frozenset(STR_NA_VALUES)


_PANDAS_NA_VALUES = _pandas_na_values()
