"""Reading submissions and answers: one loader for validation and grading alike."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mlebench import intake
from mlebench.errors import InvalidSubmissionError
from mlebench.grading import answers_cache
from mlebench.intake import safe_name
from mlebench.tables import (  # noqa: F401
    pandas_reads_quicker,
    read_csv,
    read_csv_arrow,
    read_jsonl,
)

# A submission larger than this many times its answers file (plus slack) is refused unread:
# real submissions are about the size of the answers, and a 1 GB file must not exhaust memory.
MAX_SIZE_FACTOR = 20
MAX_SIZE_SLACK_BYTES = 64 * 1024 * 1024


def load_answers(path: Path, use_cache: bool = True, arrow_text: bool = False,
                 text_nulls: bool = False) -> Any:
    """Answers are a CSV (a DataFrame) or, for a few competitions, JSONL (a list of dicts).

    Parsing a large CSV with round-trip float precision (needed for the reference's exact
    values) is slow, so a parsed CSV is cached next to the prepared folder in a columnar file
    (`answers_cache`: data only, never pickle), keyed by the file's identity; grading the same
    competition again skips the parse. A cache that cannot be read is rebuilt. `arrow_text`:
    text columns as `pd.ArrowDtype` where the cache allows (graders that read with
    `tables.read_csv_arrow`), with `text_nulls` also those with missing cells (Arrow nulls).
    """
    path = Path(path)
    if path.suffix not in (".csv", ".jsonl"):
        raise ValueError(f"Unsupported answers format: {path}")
    if path.suffix == ".jsonl":
        return read_jsonl(path)
    if use_cache:
        cached = answers_cache.load(path, arrow_text, text_nulls)
        if cached is not None:
            return cached
    value = read_csv(path)
    if use_cache and answers_cache.store(path, value) and arrow_text:
        cached = answers_cache.load(path, arrow_text, text_nulls)
        return cached if cached is not None else value
    return value


def max_submission_bytes(answers_path: Path) -> int:
    size = answers_path.stat().st_size if answers_path.is_file() else 0
    return MAX_SIZE_FACTOR * size + MAX_SIZE_SLACK_BYTES


@dataclass(frozen=True)
class SubmissionCaps:
    """Shapes a submission may have before any parsing starts: parsing cost must stay linear in
    what a real submission of this competition looks like (a CSV header of 150,000 columns costs
    pandas minutes, a single 50 MB cell makes every message and table unbounded)."""

    max_bytes: int | None = None
    max_columns: int = 10_000
    max_header_bytes: int = 1 << 20
    max_line_bytes: int = 64 << 20


# A submission may have a few more columns than the sample (an index column, ...) and lines several
# times longer than the answers' (a noisy run-length mask is longer than the true one).
COLUMN_FACTOR, COLUMN_SLACK = 2, 16
HEADER_FACTOR, HEADER_SLACK = 4, 4096
LINE_FACTOR, LINE_FLOOR = 16, 8 << 20
_MAGIC = ((b"\x1f\x8b", "gzip"), (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"),
          (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"7z\xbc\xaf\x27\x1c", "7z"),
          (b"\x28\xb5\x2f\xfd", "zstd"), (b"PAR1", "parquet"))


def submission_caps(answers_path: Path, sample_path: Path | None) -> SubmissionCaps:
    """Caps for one competition, from its answers and sample submission (trusted files)."""
    header_cols, header_bytes, longest = 0, 0, 0
    for path in (sample_path, answers_path):
        if path is None or not Path(path).is_file():
            continue
        shape = _file_shape(Path(path))
        if path == sample_path or header_cols == 0:
            header_cols = max(header_cols, shape["columns"])
            header_bytes = max(header_bytes, shape["header_bytes"])
        longest = max(longest, shape["longest_line"])
    if header_cols == 0:
        return SubmissionCaps(max_bytes=max_submission_bytes(answers_path))
    return SubmissionCaps(
        max_bytes=max_submission_bytes(answers_path),
        max_columns=COLUMN_FACTOR * header_cols + COLUMN_SLACK,
        max_header_bytes=HEADER_FACTOR * header_bytes + HEADER_SLACK,
        max_line_bytes=max(LINE_FLOOR, LINE_FACTOR * longest),
    )


def _file_shape(path: Path) -> dict:
    """Header columns, header bytes and the longest line of a trusted CSV/JSONL file, cached next
    to the answers cache (a scan of a large answers file takes a moment)."""
    st = path.stat()
    key = f"{st.st_size}:{st.st_mtime_ns}"
    cache = answers_cache.cache_path(path)
    cache = cache.with_name(f"{path.name}.shape.json") if cache is not None else None
    if cache is not None:
        try:
            cached = json.loads(cache.read_text())
            if cached.get("key") == key:
                return cached
        except (OSError, ValueError):
            pass
    longest, header = 0, b""
    with open(path, "rb") as f:
        carry = 0
        first = True
        while chunk := f.read(16 << 20):
            newlines = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
            if first:
                header = chunk[: newlines[0]] if len(newlines) else chunk
                first = False
            if len(newlines) == 0:
                carry += len(chunk)
                continue
            gaps = np.diff(newlines) - 1
            longest = max(longest, carry + int(newlines[0]),
                          int(gaps.max()) if len(gaps) else 0)
            carry = len(chunk) - int(newlines[-1]) - 1
        longest = max(longest, carry)
    columns = 0
    if path.suffix == ".csv" and header:
        with contextlib.suppress(csv.Error, UnicodeDecodeError):
            columns = len(next(csv.reader([header.decode("utf-8-sig")]), []))
    shape = {"key": key, "columns": columns, "header_bytes": len(header),
             "longest_line": longest}
    if cache is not None:
        with contextlib.suppress(OSError):
            cache.parent.mkdir(exist_ok=True)
            tmp = cache.with_name(cache.name + f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(shape))
            os.replace(tmp, cache)
    return shape


def read_submission_bytes(path: Path, caps: SubmissionCaps) -> bytes:
    """The submission's bytes, taken in through the intake (no link followed, regular file, size
    capped) and checked against `caps` before any parser sees them."""
    path = Path(path)
    try:
        kind = intake.kind_of(path)
    except FileNotFoundError:
        raise InvalidSubmissionError(f"Submission file {path} does not exist.") from None
    if kind == "dir":
        raise InvalidSubmissionError(f"Submission path {path} is not a file.")
    if path.suffix.lower() != ".csv":
        raise InvalidSubmissionError(
            f"Submission file must be a CSV file (got '{safe_name(path.name)}').")
    try:
        data = intake.read_bytes(path.parent, path.name, caps.max_bytes or (1 << 62))
    except intake.IntakeRefused as e:
        if e.kind == "missing":
            raise InvalidSubmissionError(f"Submission file {path} does not exist.") from None
        if e.kind == "oversize" and caps.max_bytes is not None:
            raise InvalidSubmissionError(
                f"Submission file {e.reason}; this competition's answers are far smaller, so it is "
                "refused unread.") from None
        raise InvalidSubmissionError(f"Submission file {e.reason}.") from None
    if not data:
        raise InvalidSubmissionError("Submission file is empty.")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InvalidSubmissionError(
                f"Submission file is a {kind} file named .csv, not a CSV text file.")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InvalidSubmissionError(
            f"Submission file is binary, not a CSV text file (NUL byte at offset {nul:,}).")
    head = data[:8192]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # a multi-byte character may be cut at the 8 KiB boundary: only fail on earlier errors
        if len(head) < 8192 or e.start < len(head) - 4:
            raise InvalidSubmissionError("Submission file is not UTF-8 text.") from None
    _check_shape(data, caps)
    return data


def _check_shape(data: bytes, caps: SubmissionCaps) -> None:
    header_end, longest, line_no = _line_lengths(data)
    if header_end > caps.max_header_bytes:
        raise InvalidSubmissionError(
            f"Submission header line is {header_end:,} bytes long; this competition's header is "
            f"at most {caps.max_header_bytes:,} bytes (see sample_submission.csv).")
    header = data[:header_end].decode("utf-8", errors="replace")
    try:
        columns = len(next(csv.reader([header]), []))
    except csv.Error:
        columns = header.count(",") + 1
    if columns > caps.max_columns:
        raise InvalidSubmissionError(
            f"Submission header has {columns:,} columns; this competition's submissions have "
            f"at most {caps.max_columns:,} (see sample_submission.csv).")
    if longest > caps.max_line_bytes:
        raise InvalidSubmissionError(
            f"Submission line {line_no:,} is {longest:,} bytes long; lines of this competition's "
            f"submissions are at most {caps.max_line_bytes:,} bytes.")


_SCAN_WINDOW = 1 << 22


def _line_lengths(data: bytes) -> tuple[int, int, int]:
    """The header line's length, the longest line's length and its 1-based number (the first
    of equals). Scanned in windows: a few MiB of temporary arrays, whatever the file's size."""
    buf = np.frombuffer(data, dtype=np.uint8)
    header_end, longest, line_no, lines, previous = -1, -1, 1, 0, -1
    for start in range(0, len(buf), _SCAN_WINDOW):
        newlines = np.flatnonzero(buf[start:start + _SCAN_WINDOW] == 10) + start
        if not len(newlines):
            continue
        if header_end < 0:
            header_end = int(newlines[0])
        lengths = np.diff(newlines, prepend=previous) - 1
        worst = int(np.argmax(lengths))
        if lengths[worst] > longest:
            longest, line_no = int(lengths[worst]), lines + worst + 1
        lines, previous = lines + len(newlines), int(newlines[-1])
    last = len(data) - previous - 1  # the line after the last newline
    if last > longest:
        longest, line_no = last, lines + 1
    return (header_end if header_end >= 0 else len(data)), longest, line_no


def load_submission(
    path: Path, max_bytes: int | None = None, fast: bool = False,
    caps: SubmissionCaps | None = None, text_nulls: bool = False,
) -> pd.DataFrame:
    """Load a submission CSV, turning every way it can be unreadable into `InvalidSubmissionError`.

    Read as the reference reads it (correctly rounded floats): by pyarrow's reader when it surely
    gives the frame pandas gives (`tables.read_csv_arrow`), by pandas otherwise. With `fast`
    (competitions whose `grading.reader` is "fast") text columns stay in Arrow memory, with
    `text_nulls` ("arrow") also those with missing cells. The bytes are taken in and checked
    first (`read_submission_bytes`)."""
    caps = caps or SubmissionCaps(max_bytes=max_bytes)
    data = read_submission_bytes(Path(path), caps)
    try:
        quick = not fast and pandas_reads_quicker(data)  # fast: Arrow text whatever the size
        df = None if quick else read_csv_arrow(data, arrow_text=fast, text_nulls=text_nulls)
        if df is None:
            df = read_csv(io.BytesIO(data))
    except pd.errors.EmptyDataError:
        raise InvalidSubmissionError("Submission file has no header and no rows.") from None
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error, ValueError) as e:
        if isinstance(e, pd.errors.ParserError) and "C error: out of memory" in str(e):
            raise MemoryError(str(e)) from None  # pandas' tokenizer says so with a ParserError
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise InvalidSubmissionError(f"Submission file is not a readable CSV: {first[:300]}") from None
    if len(df.columns) == 0:
        raise InvalidSubmissionError("Submission file has no columns.")
    if len(df) == 0:
        raise InvalidSubmissionError("Submission file has a header but no rows.")
    return df
