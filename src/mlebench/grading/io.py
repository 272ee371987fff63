"""Reading submissions and answers: one loader for validation and grading alike."""

from __future__ import annotations

import csv
import json
import os
import pickle
from pathlib import Path
from typing import Any

import pandas as pd

from mlebench.grading.errors import InvalidSubmissionError
from mlebench.grading.fast_csv import read_csv_fast

# A submission larger than this many times its answers file (plus slack) is refused unread:
# real submissions are about the size of the answers, and a 1 GB file must not exhaust memory.
MAX_SIZE_FACTOR = 20
MAX_SIZE_SLACK_BYTES = 64 * 1024 * 1024


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


def load_answers(path: Path, use_cache: bool = True) -> Any:
    """Answers are a CSV (a DataFrame) or, for a few competitions, JSONL (a list of dicts).

    Parsing a large CSV with round-trip float precision (needed for the reference's exact
    values) is slow, so the parsed answers are cached next to the prepared folder, keyed by the
    file's size and modification time; grading the same competition again skips the parse.
    """
    path = Path(path)
    if path.suffix not in (".csv", ".jsonl"):
        raise ValueError(f"Unsupported answers format: {path}")
    cache = _answers_cache_path(path) if use_cache else None
    key = f"{path.stat().st_size}:{path.stat().st_mtime_ns}"
    if cache is not None:
        try:
            with open(cache, "rb") as f:
                cached_key, value = pickle.load(f)
            if cached_key == key:
                return value
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            pass
    value = read_csv(path) if path.suffix == ".csv" else read_jsonl(path)
    if cache is not None:
        try:
            cache.parent.mkdir(exist_ok=True)
            tmp = cache.with_name(cache.name + f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump((key, value), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only data dir just means no cache
    return value


def _answers_cache_path(path: Path) -> Path | None:
    """`<id>/prepared/.grading-cache/<name>.pkl` for answers under `<id>/prepared/private/`."""
    if path.parent.name != "private":
        return None
    return path.parent.parent / ".grading-cache" / f"{path.name}.pkl"


def max_submission_bytes(answers_path: Path) -> int:
    size = answers_path.stat().st_size if answers_path.is_file() else 0
    return MAX_SIZE_FACTOR * size + MAX_SIZE_SLACK_BYTES


def load_submission(
    path: Path, max_bytes: int | None = None, fast: bool = False, answers: Any = None
) -> pd.DataFrame:
    """Load a submission CSV, turning every way it can be unreadable into `InvalidSubmissionError`.

    Read as the reference reads it (correctly rounded floats), or with `fast` as
    `fast_csv.read_csv_fast` reads it (competitions whose `grading.reader` is "fast")."""
    path = Path(path)
    if not path.exists():
        raise InvalidSubmissionError(f"Submission file {path} does not exist.")
    if not path.is_file():
        raise InvalidSubmissionError(f"Submission path {path} is not a file.")
    if path.suffix.lower() != ".csv":
        raise InvalidSubmissionError(f"Submission file must be a CSV file (got '{path.name}').")
    size = path.stat().st_size
    if size == 0:
        raise InvalidSubmissionError("Submission file is empty.")
    if max_bytes is not None and size > max_bytes:
        raise InvalidSubmissionError(
            f"Submission file is {size / 1e6:.1f} MB, far larger than this competition's answers "
            f"(limit {max_bytes / 1e6:.1f} MB); refusing to read it."
        )
    with open(path, "rb") as f:
        head = f.read(8192)
    if b"\x00" in head:
        raise InvalidSubmissionError("Submission file is binary, not a CSV text file.")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # a multi-byte character may be cut at the 8 KiB boundary: only fail on earlier errors
        if len(head) < 8192 or e.start < len(head) - 4:
            raise InvalidSubmissionError("Submission file is not UTF-8 text.") from None
    try:
        df = read_csv_fast(path, answers) if fast else read_csv(path)
    except pd.errors.EmptyDataError:
        raise InvalidSubmissionError("Submission file has no header and no rows.") from None
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise InvalidSubmissionError(f"Submission file is not a readable CSV: {first}") from None
    if len(df.columns) == 0:
        raise InvalidSubmissionError("Submission file has no columns.")
    if len(df) == 0:
        raise InvalidSubmissionError("Submission file has a header but no rows.")
    return df
