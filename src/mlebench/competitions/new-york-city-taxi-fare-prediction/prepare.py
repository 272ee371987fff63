"""Hold out 9,914 rows (the size of Kaggle's test set) of Kaggle's train.csv, seed 0.

The split is `train_test_split(rows, test_size=9914, random_state=0)`: one `RandomState(0)`
permutation of the row numbers, whose first 9,914 entries are the test rows and the rest the train
rows, each set written in permutation order. Kaggle's train.csv has ~55M rows (5.7 GB), so instead
of loading it we reproduce that permutation from the row count and stream the rows:

1. count the rows (newlines) and compute every row's output position from the permutation;
2. read the file in blocks and turn each train row into the line a whole-frame `to_csv` would
   write, appending it to one of a few bucket files by output-position range. Normally without
   parsing (`mlebench.data.csv_passthrough`: the text already is what pandas writes back, checked with a few
   numpy passes over the bytes); for anything that check does not model, by parsing chunks with
   pandas (same parser options as a whole-file read) and formatting them with `to_csv`;
3. sort each bucket in memory by position and concatenate the buckets into `labels.csv`.

The 9,914 test rows are kept in memory and written with pandas. Peak memory is the position array
(4 bytes a row) plus one block or one bucket (~200 MB), not the whole file.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.data import csv_passthrough as passthrough
from mlebench.tables import read_csv

N_TEST = 9914
TARGET = "fare_amount"
SAMPLE_FARE = 11.35
CHUNK_ROWS = 500_000
BUCKET_BYTES = 200_000_000


def _count_rows(path: Path) -> tuple[int, bool]:
    """(data rows, whether the file is free of quotes and carriage returns)."""
    lines, last, plain = 0, b"\n", True
    with open(path, "rb") as f:
        while block := f.read(1 << 24):
            lines += block.count(b"\n")
            plain = plain and b'"' not in block and b"\r" not in block
            last = block[-1:]
    return lines + (last != b"\n") - 1, plain  # minus the header


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


class _Buckets:
    """Bucket files of train lines by output-position range, each with the lines' positions."""

    def __init__(self, path: Path, n_rows: int, work: Path):
        n_train = n_rows - N_TEST
        bytes_per_row = max(1.0, path.stat().st_size / n_rows)
        self.rows_per_bucket = max(1, int(BUCKET_BYTES / bytes_per_row))
        self.count = -(-n_train // self.rows_per_bucket)
        self.text = [open(work / f"{b}.csv", "wb") for b in range(self.count)]
        self.pos = [open(work / f"{b}.pos", "wb") for b in range(self.count)]

    def add(self, lines: list, train_pos: np.ndarray) -> None:
        """Append `lines[i]` (bytes, no newline) at output position `train_pos[i]`."""
        bucket = train_pos // self.rows_per_bucket
        order = np.argsort(bucket, kind="stable")
        bounds = np.searchsorted(bucket[order], np.arange(self.count + 1))
        for b in range(self.count):
            idx = order[bounds[b]:bounds[b + 1]]
            if len(idx):
                self.text[b].write(b"\n".join([lines[i] for i in idx.tolist()]) + b"\n")
                self.pos[b].write((train_pos[idx] - b * self.rows_per_bucket).astype(np.int64).tobytes())

    def close(self) -> None:
        for f in self.text + self.pos:
            f.close()


def _stream_text(path: Path, positions: np.ndarray, work: Path, kinds: list | None):
    """Pass 2 without parsing (see `passthrough`): (header, test rows, number of buckets)."""
    header, names = passthrough.header_names(path)
    kinds = kinds or [None] * len(names)
    buckets = _Buckets(path, len(positions), work)
    test_lines, test_pos, start = [], [], 0
    try:
        for block in passthrough.blocks(path, len(header)):
            lines, line_starts, line_ends, kinds = passthrough.split_block(block, kinds)
            stop = start + len(lines)
            if stop > len(positions):
                raise ValueError("train.csv has more rows than newlines counted")
            pos = positions[start:stop]
            start = stop
            is_test = pos < 0
            for i in np.flatnonzero(is_test).tolist():
                test_lines.append(block[line_starts[i]:line_ends[i]])
                test_pos.append(int(pos[i]))
            train_pos = pos[~is_test].astype(np.int64)
            if len(train_pos):
                if is_test.any():
                    lines = [line for line, t in zip(lines, is_test.tolist(), strict=True) if not t]
                buckets.add(lines, train_pos)
    finally:
        buckets.close()
    if start != len(positions):
        raise ValueError(f"read {start} rows, counted {len(positions)}")
    order = np.argsort(test_pos, kind="stable")
    text = header + b"".join(test_lines[i] + b"\n" for i in order.tolist())
    dtypes = {name: {passthrough.TEXT: object, passthrough.INT: "int64"}.get(kind, "float64")
              for name, kind in zip(names, kinds, strict=True)}
    test = read_csv(io.BytesIO(text), dtype=dtypes)
    return header, test, buckets.count


def _stream(path: Path, positions: np.ndarray, work: Path, dtype: dict | None):
    """Pass 2 with pandas: split rows into bucket files; (header, test rows, number of buckets)."""
    buckets = _Buckets(path, len(positions), work)
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
            lines = chunk[~is_test].to_csv(index=False, header=False).encode().split(b"\n")[:-1]
            if len(lines) != len(train_pos):
                raise ValueError("a CSV field spans several lines; cannot stream this file")
            buckets.add(lines, train_pos)
    finally:
        buckets.close()
    if start != len(positions):
        raise ValueError(f"read {start} rows, counted {len(positions)}")
    if dtype is None and any(len(s) > 1 for s in seen.values()):
        # A whole-file read would give these columns one (wider) dtype: redo with it.
        raise _Inconsistent({col: _union_dtype(s) for col, s in seen.items()})
    test = pd.concat(test_parts).sort_values("_pos", kind="stable").drop(columns="_pos")
    return header, test, buckets.count


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


def _split(path: Path, positions: np.ndarray, work: Path, plain: bool):
    if plain:
        kinds = None
        try:
            while True:  # again only when an int column turned float: at most once per column
                try:
                    return _stream_text(path, positions, work, kinds=kinds)
                except passthrough.KindsChanged as again:
                    kinds = again.kinds
        except passthrough.Unstreamable:
            pass  # text the byte-level check does not model: parse it with pandas
    try:
        return _stream(path, positions, work, dtype=None)
    except _Inconsistent as again:
        return _stream(path, positions, work, dtype=again.dtypes)


def prepare(raw: Path, public: Path, private: Path) -> None:
    path = raw / "train.csv"
    n_rows, plain = _count_rows(path)
    positions = _output_positions(n_rows)
    with tempfile.TemporaryDirectory(dir=private.parent, prefix=".taxi-split-") as tmp:
        work = Path(tmp)
        header, test, n_buckets = _split(path, positions, work, plain)
        del positions
        _merge(work, n_buckets, header, public / "labels.csv")

    assert len(test) == N_TEST and test.shape[1] == 8, test.shape
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    sample = test[["key"]].copy()
    sample[TARGET] = SAMPLE_FARE
    sample.to_csv(public / "sample_submission.csv", index=False)
    shutil.copy(raw / "GCP-Coupons-Instructions.rtf", public / "GCP-Coupons-Instructions.rtf")
