"""Split Kaggle's training batches 90/10 by batch (`train_test_split` over the batch ids in order
of first appearance, `random_state=0`); held-out batches become the test set.

Kaggle's train_meta.parquet has ~132M rows, which the reference loads whole. Here it is read one
parquet row group at a time: a first pass reads only `batch_id` (batch order and sizes), a second
keeps the (10%) test rows in memory and streams the training rows into the output file. The output
is written with fastparquet exactly as `DataFrame.to_parquet(engine="fastparquet", index=False)`
writes it (same metadata, same row-group boundaries), so the bytes equal the reference's.
Needs the optional dependency `fastparquet`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

TARGETS = ["azimuth", "zenith"]


def _row_groups(pf, columns=None) -> Iterator[pd.DataFrame]:
    for i in range(len(pf.row_groups)):
        yield pf[i].to_pandas(columns=columns)


def _chunk_size(n_rows: int, target: int) -> int:
    """Rows per row group that `fastparquet.write` uses for `n_rows` rows (equal-sized groups)."""
    parts = max((n_rows - 1) // target + 1, 1)
    return max(min((n_rows - 1) // parts + 1, n_rows), 1)


def _rechunk(frames: Iterator[pd.DataFrame], size: int) -> Iterator[pd.DataFrame]:
    """Regroup a stream of frames into frames of exactly `size` rows (the last may be shorter)."""
    pending: list[pd.DataFrame] = []
    held = 0
    for frame in frames:
        pending.append(frame)
        held += len(frame)
        while held >= size:
            merged = pd.concat(pending, ignore_index=True)
            yield merged.iloc[:size]
            rest = merged.iloc[size:]
            pending, held = ([rest] if len(rest) else []), len(rest)
    if held:
        yield pd.concat(pending, ignore_index=True)


def _write_like_to_parquet(path: Path, template: pd.DataFrame, frames: Iterator[pd.DataFrame], n_rows: int) -> None:
    """Write the rows of `frames` (columns and dtypes of `template`) as
    `pd.concat(frames).to_parquet(path, engine="fastparquet", index=False)` would, without
    holding them all: same file metadata and the same row-group boundaries."""
    from fastparquet import writer  # optional (the `parquet` extra)

    fmd = writer.make_metadata(
        template, has_nulls=True, ignore_columns=[], fixed_text=None, object_encoding="infer",
        times="int64", index_cols=[], partition_cols=None, cols_dtype=template.columns.dtype,
    )
    groups = _rechunk(frames, _chunk_size(n_rows, writer.ROW_GROUP_SIZE)) if n_rows else iter(())
    writer.write_simple(str(path), groups, fmd, compression="snappy", has_nulls=None, append=False, stats="auto")


def prepare(raw: Path, public: Path, private: Path) -> None:
    from fastparquet import ParquetFile  # optional (the `parquet` extra)

    meta_file = ParquetFile(str(raw / "train_meta.parquet"))
    batch_sizes: dict = {}  # batch id -> rows, in order of first appearance
    for group in _row_groups(meta_file, ["batch_id"]):
        counts = group["batch_id"].value_counts()
        for batch in group["batch_id"].unique():
            batch_sizes[batch] = batch_sizes.get(batch, 0) + int(counts[batch])
    batch_ids = np.array(list(batch_sizes), dtype=np.int64)
    train_ids, test_ids = train_test_split(batch_ids, test_size=0.1, random_state=0)
    n_train = sum(batch_sizes[b] for b in train_ids)

    empty = next(_row_groups(meta_file)).iloc[:0]
    assert set(TARGETS) <= set(empty.columns), "train_meta.parquet lacks the targets"
    test_parts = [empty]

    def train_rows() -> Iterator[pd.DataFrame]:
        for group in _row_groups(meta_file):
            test_parts.append(group[group["batch_id"].isin(test_ids).to_numpy()])
            yield group[group["batch_id"].isin(train_ids).to_numpy()]

    _write_like_to_parquet(public / "train_meta.parquet", empty, train_rows(), n_train)

    test = pd.concat(test_parts, ignore_index=True)
    test_public = test.drop(columns=TARGETS)
    answers = test[["event_id", *TARGETS]]
    sample = answers.copy()
    sample[TARGETS] = 1
    test_public.to_parquet(public / "test_meta.parquet", index=False, engine="fastparquet")
    sample.to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)

    shutil.copy(raw / "sensor_geometry.csv", public / "sensor_geometry.csv")
    destinations = {int(b): "train" for b in train_ids} | {int(b): "test" for b in test_ids}
    for folder in ("train", "test"):
        (public / folder).mkdir(parents=True, exist_ok=True)
    copied = 0
    for batch_file in sorted((raw / "train").glob("*.parquet")):  # batch_<n>.parquet
        folder = destinations.get(int(batch_file.stem.split("_")[-1]))
        if folder:
            shutil.copy(batch_file, public / folder / batch_file.name)
            copied += 1
    assert copied == len(batch_ids), "some batches have no pulse file"
