"""A columnar cache of parsed answers: Arrow IPC files under `<id>/prepared/.grading-cache/`.

Parsing a large answers CSV with correctly rounded floats takes seconds, so the parsed frame is
kept next to the prepared data. The cache holds data only (no pickle: unpickling runs code, and a
pickle written under one numpy cannot be read under another), and it is only a cache: a file
that is missing, stale, truncated, corrupt or of another format version is ignored and rebuilt
from the answers file, never an error. A frame is cached only when it comes back exactly, column
names, dtypes, values and missing markers alike (numbers, booleans, and text columns whose
missing values are NaN, which is all `read_csv` makes of most answers); anything else (columns
that mix text and numbers, ...) is read from the CSV every time.
"""

from __future__ import annotations

import contextlib
import mmap
import os
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.tables import text_objects

FORMAT = b"mlebench-answers-arrow-1"
_NUMERIC_KINDS = "biuf"  # bool, int, unsigned, float: stored as Arrow's own types, bit for bit


def cache_path(answers: Path) -> Path | None:
    """`<id>/prepared/.grading-cache/<name>.arrow` for answers under `<id>/prepared/private/`."""
    if answers.parent.name != "private":
        return None
    return answers.parent.parent / ".grading-cache" / f"{answers.name}.arrow"


def source_key(answers: Path) -> bytes:
    """Identifies one version of the answers file: a rewrite, replacement or edit changes it."""
    st = answers.stat()
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:{st.st_dev}".encode()


def load(answers: Path, arrow_text: bool = False, text_nulls: bool = False) -> pd.DataFrame | None:
    """The cached frame of `answers`, or None when there is no usable cache for this version.
    With `arrow_text`, text columns without missing values stay in Arrow memory (`pd.ArrowDtype`,
    mapped from the file: no Python string per cell) for graders that take them; with
    `text_nulls` also those with missing values (Arrow nulls where the frame had NaN)."""
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s

    path = cache_path(answers)
    if path is None:
        return None
    try:
        key = source_key(answers)
        # A private copy-on-write mapping: numeric columns are numpy views of the file, so the
        # answers take their size in memory once (not mapped pages plus a copy), and a grader
        # that writes into them changes its own pages, never the file. The mapping lives as
        # long as an array refers to it.
        with open(path, "rb") as f:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        table = pa.ipc.open_file(pa.BufferReader(pa.py_buffer(mapped))).read_all()
        meta = table.schema.metadata or {}
        if meta.get(b"format") != FORMAT or meta.get(b"source") != key:
            return None
        table.validate(full=True)  # a damaged file must not reach the conversions below
        return _to_frame(table, arrow_text, mapped, text_nulls)
    except Exception:  # noqa: BLE001 - any failure to read a cache means: rebuild it
        return None


def store(answers: Path, frame: pd.DataFrame) -> bool:
    """Write the cache for `answers` when `frame` round-trips exactly; False when it was not written
    (a frame that cannot round-trip, a read-only data folder)."""
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s

    path = cache_path(answers)
    if path is None:
        return False
    try:
        table = _to_table(frame)
    except (TypeError, ValueError, pa.ArrowException):
        table = None
    if table is None:
        return False
    table = table.replace_schema_metadata({b"format": FORMAT, b"source": source_key(answers)})
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(tmp, path)
    except (OSError, pa.ArrowException):
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    with contextlib.suppress(OSError):  # the pickle cache of earlier versions is never read
        (path.parent / f"{answers.name}.pkl").unlink()
    return True


def _to_table(frame: pd.DataFrame):
    """An Arrow table that `_to_frame` turns back into exactly `frame`, or None."""
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s

    names = list(frame.columns)
    if (not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0
            or frame.index.step != 1 or not all(type(n) is str for n in names)
            or len(set(names)) != len(names)):
        return None
    arrays, fields = [], []
    for name in names:
        column = frame[name]
        dtype = column.dtype
        if isinstance(dtype, np.dtype) and dtype.kind in _NUMERIC_KINDS:
            array = pa.array(column.to_numpy(), from_pandas=False)  # NaN stays NaN
            kind = dtype.str
        elif pd.api.types.is_object_dtype(dtype) and _is_text(column):
            array = pa.array(column.to_numpy(), type=pa.large_string(), from_pandas=True)
            kind = "text"
        else:
            return None
        arrays.append(array)
        fields.append(pa.field(name, array.type, metadata={b"kind": kind.encode()}))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _is_text(column: pd.Series) -> bool:
    """Every value a `str`, or a float NaN (what `read_csv` puts in an empty text cell)."""
    if pd.api.types.infer_dtype(column, skipna=True) not in ("string", "empty"):
        return False
    missing = column.isna().to_numpy()
    return all(isinstance(v, float) for v in column.to_numpy()[missing])


def _to_frame(table, arrow_text: bool = False, mapped: mmap.mmap | None = None,
              text_nulls: bool = False) -> pd.DataFrame:
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s
    import pyarrow.types as pa_types

    base = pa.py_buffer(mapped).address if mapped is not None else None

    columns = {}
    for field, chunks in zip(table.schema, table.columns, strict=True):
        array = chunks.combine_chunks()
        kind = (field.metadata or {}).get(b"kind", b"").decode()
        if kind == "text" and not pa_types.is_large_string(array.type):
            raise ValueError(f"column {field.name!r}: {array.type} is not text")
        if kind == "text" and arrow_text and (text_nulls or not array.null_count):
            columns[field.name] = pd.arrays.ArrowExtensionArray(array)
            continue
        if kind == "text":  # NaN where missing, one string object per repeated value
            columns[field.name] = text_objects(array)
            continue
        values = _view(array, kind, mapped, base)
        if values is None:
            values = array.to_numpy(zero_copy_only=False, writable=True)
        if values.dtype.str != kind:
            raise ValueError(f"column {field.name!r}: {values.dtype.str} is not {kind}")
        columns[field.name] = values
    if len(columns) != len(table.schema):
        raise ValueError("duplicate column names")
    return pd.DataFrame(columns, copy=False)  # copy=False: no consolidating copy either


def _view(array, kind: str, mapped: mmap.mmap | None, base: int | None) -> np.ndarray | None:
    """A writable numpy view of a fixed-width numeric column inside the private mapping."""
    dtype = np.dtype(kind)
    if mapped is None or base is None or dtype.kind not in "iuf" or array.null_count:
        return None
    data = array.buffers()[1]
    offset = data.address - base + array.offset * dtype.itemsize
    if offset < 0 or offset + len(array) * dtype.itemsize > len(mapped) or offset % dtype.itemsize:
        return None
    return np.frombuffer(mapped, dtype=dtype, count=len(array), offset=offset)
