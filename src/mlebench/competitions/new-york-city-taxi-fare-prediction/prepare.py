"""Hold out 9,914 rows (the size of Kaggle's test set) of Kaggle's train.csv, seed 0.

The split is `train_test_split(rows, test_size=9914, random_state=0)`: one `RandomState(0)`
permutation of the row numbers, whose first 9,914 entries are the test rows and the rest the train
rows, each set written in permutation order. Kaggle's train.csv has ~55M rows (5.7 GB), so instead
of loading it we reproduce that permutation from the row count and stream the rows:

1. count the rows (newlines) and compute every row's output position from the permutation;
2. parse the file in chunks with pandas (same parser options as a whole-file read), format each
   chunk's train rows back to CSV text exactly as a whole-frame `to_csv` would, and append each line
   to one of a few bucket files by output-position range;
3. sort each bucket in memory by position and concatenate the buckets into `labels.csv`.

The 9,914 test rows are kept in memory and written with pandas. Peak memory is the position array
(4 bytes a row) plus one chunk or one bucket (~200 MB), not the whole file.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.tables import read_csv

N_TEST = 9914
TARGET = "fare_amount"
SAMPLE_FARE = 11.35
CHUNK_ROWS = 500_000
BUCKET_BYTES = 200_000_000


def _count_rows(path: Path) -> int:
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while block := f.read(1 << 24):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n") - 1  # minus the header


def _output_positions(n: int) -> np.ndarray:
    """Row number -> position in labels.csv (0..n-N_TEST-1), or -(N_TEST - k) for the k-th test
    row; i.e. the position in the concatenation test + train, minus N_TEST."""
    if n <= N_TEST:
        raise ValueError(f"train.csv has {n} rows; at least {N_TEST + 1} are needed")
    permutation = np.random.RandomState(0).permutation(n)  # what train_test_split draws
    dtype = np.int32 if n < 2**31 - 1 else np.int64
    positions = np.empty(n, dtype=dtype)
    positions[permutation] = np.arange(-N_TEST, n - N_TEST, dtype=dtype)
    return positions


def _union_dtype(dtypes: set) -> object:
    if len(dtypes) == 1:
        return next(iter(dtypes))
    if all(np.issubdtype(d, np.number) for d in dtypes):
        return np.result_type(*dtypes)
    return object


class _Inconsistent(Exception):
    def __init__(self, dtypes: dict):
        self.dtypes = dtypes


def _stream(path: Path, positions: np.ndarray, work: Path, dtype: dict | None):
    """Pass 2: split rows into bucket files; returns (header, test rows, number of buckets)."""
    n_train = len(positions) - N_TEST
    bytes_per_row = max(1.0, path.stat().st_size / len(positions))
    rows_per_bucket = max(1, int(BUCKET_BYTES / bytes_per_row))
    n_buckets = -(-n_train // rows_per_bucket)
    text_files = [open(work / f"{b}.csv", "wb") for b in range(n_buckets)]
    pos_files = [open(work / f"{b}.pos", "wb") for b in range(n_buckets)]
    seen: dict[str, set] = {}
    header, test_parts, start = None, [], 0
    try:
        for chunk in read_csv(path, chunksize=CHUNK_ROWS, dtype=dtype):
            kinds = dict(chunk.dtypes)
            for col, d in kinds.items():
                seen.setdefault(col, set()).add(d)
            stop = start + len(chunk)
            if stop > len(positions):
                raise ValueError("train.csv has more rows than newlines counted")
            pos = positions[start:stop]
            start = stop
            if header is None:
                header = chunk.iloc[:0].to_csv(index=False).encode()
            is_test = pos < 0
            if is_test.any():
                test_parts.append(chunk[is_test].assign(_pos=pos[is_test]))
            train_pos = pos[~is_test].astype(np.int64)
            if not len(train_pos):
                continue
            lines = chunk[~is_test].to_csv(index=False, header=False).split("\n")[:-1]
            if len(lines) != len(train_pos):
                raise ValueError("a CSV field spans several lines; cannot stream this file")
            bucket = train_pos // rows_per_bucket
            order = np.argsort(bucket, kind="stable")
            bounds = np.searchsorted(bucket[order], np.arange(n_buckets + 1))
            for b in range(n_buckets):
                idx = order[bounds[b]:bounds[b + 1]]
                if len(idx):
                    text_files[b].write(("\n".join([lines[i] for i in idx]) + "\n").encode())
                    pos_files[b].write((train_pos[idx] - b * rows_per_bucket).astype(np.int64).tobytes())
    finally:
        for f in text_files + pos_files:
            f.close()
    if start != len(positions):
        raise ValueError(f"read {start} rows, counted {len(positions)}")
    if dtype is None and any(len(s) > 1 for s in seen.values()):
        # A whole-file read would give these columns one (wider) dtype: redo with it.
        raise _Inconsistent({col: _union_dtype(s) for col, s in seen.items()})
    test = pd.concat(test_parts).sort_values("_pos", kind="stable").drop(columns="_pos")
    return header, test, n_buckets


def _merge(work: Path, n_buckets: int, header: bytes, out: Path) -> None:
    with open(out, "wb") as f:
        f.write(header)
        for b in range(n_buckets):
            blob = (work / f"{b}.csv").read_bytes()
            lines = blob.split(b"\n")[:-1]
            del blob
            local = np.fromfile(work / f"{b}.pos", dtype=np.int64)
            order = np.empty(len(local), dtype=np.int64)
            order[local] = np.arange(len(local))
            for i in range(0, len(order), 1 << 20):  # bounded join buffers
                f.write(b"\n".join(map(lines.__getitem__, order[i:i + (1 << 20)].tolist())) + b"\n")
            del lines, local, order


def prepare(raw: Path, public: Path, private: Path) -> None:
    path = raw / "train.csv"
    positions = _output_positions(_count_rows(path))
    with tempfile.TemporaryDirectory(dir=private.parent, prefix=".taxi-split-") as tmp:
        work = Path(tmp)
        try:
            header, test, n_buckets = _stream(path, positions, work, dtype=None)
        except _Inconsistent as again:
            header, test, n_buckets = _stream(path, positions, work, dtype=again.dtypes)
        del positions
        _merge(work, n_buckets, header, public / "labels.csv")

    assert len(test) == N_TEST and test.shape[1] == 8, test.shape
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    sample = test[["key"]].copy()
    sample[TARGET] = SAMPLE_FARE
    sample.to_csv(public / "sample_submission.csv", index=False)
    shutil.copy(raw / "GCP-Coupons-Instructions.rtf", public / "GCP-Coupons-Instructions.rtf")
