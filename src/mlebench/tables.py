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
