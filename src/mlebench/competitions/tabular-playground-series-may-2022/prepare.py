"""Kaggle's test labels are private, so 100,000 rows of Kaggle's train.csv (`random_state=0`)
become the test set (same order of magnitude as Kaggle's 700k test, keeping most rows for
training). Ids are renumbered: 0..n_train-1 for train, then n_train.. for test. The sample
submission predicts 0.5 everywhere.

`train_test_split(frame, test_size=100_000, random_state=0)` is one `RandomState(0)` permutation
of the rows (the first 100,000 are the test rows, the rest the train rows, each in permutation
order), so the rows are not parsed: each line is taken as pandas' round trip would write it
(`mlebench.data.csv_passthrough`), its `id` field replaced and its `target` field cut off where
needed. Text that check does not model is read and written with pandas, as the reference does."""

from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from mlebench.data import csv_passthrough
from mlebench.tables import read_csv

TEST_SIZE = 100_000


def _pandas_split(raw: Path, public: Path, private: Path) -> None:
    kaggle_train = read_csv(raw / "train.csv")
    train, test = train_test_split(kaggle_train, test_size=TEST_SIZE, random_state=0)
    train = train.copy()
    test = test.copy()
    train["id"] = np.arange(len(train))
    test["id"] = np.arange(len(train), len(train) + len(test))

    gold = test[["id", "target"]].copy()
    sample = gold.copy()
    sample["target"] = 0.5

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=["target"]).to_csv(public / "test.csv", index=False)
    gold.to_csv(private / "gold_submission.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    assert list(train.columns) == list(kaggle_train.columns) == list(test.columns)


def _renumbered(lines: list[bytes], rows: list[int], first: int) -> list[bytes]:
    """`lines[rows[k]]` with its first field (the id) replaced by `first + k`."""
    return [b"%d%s" % (k, lines[i][lines[i].index(b","):]) for k, i in enumerate(rows, first)]


def _text_split(raw: Path, public: Path, private: Path) -> None:
    path = raw / "train.csv"
    header, names = csv_passthrough.header_names(path)
    if names[0] != "id" or names[-1] != "target":
        raise csv_passthrough.Unstreamable("columns")
    lines = csv_passthrough.read_lines(path, len(names))
    n = len(lines)
    if n <= TEST_SIZE:
        raise csv_passthrough.Unstreamable("too few rows")  # let pandas/scikit-learn say why
    order = np.random.RandomState(0).permutation(n)  # what train_test_split draws
    test_rows, train_rows = order[:TEST_SIZE].tolist(), order[TEST_SIZE:].tolist()
    n_train = len(train_rows)

    with open(public / "train.csv", "wb") as f:
        f.write(header)
        f.write(b"\n".join(_renumbered(lines, train_rows, 0)) + b"\n")
    test = _renumbered(lines, test_rows, n_train)
    del lines, train_rows
    cut = [line.rindex(b",") for line in test]
    with open(private / "test.csv", "wb") as f:
        f.write(header + b"\n".join(test) + b"\n")
    with open(public / "test.csv", "wb") as f:
        f.write(header[:header.rindex(b",")] + b"\n")
        f.write(b"\n".join([line[:c] for line, c in zip(test, cut, strict=True)]) + b"\n")
    with open(private / "gold_submission.csv", "wb") as f:
        f.write(b"id,target\n")
        f.write(b"\n".join([line[:line.index(b",")] + line[c:] for line, c in zip(test, cut, strict=True)])
                + b"\n")
    with open(public / "sample_submission.csv", "wb") as f:
        f.write(b"id,target\n")
        f.write(b"".join(b"%d,0.5\n" % k for k in range(n_train, n_train + len(test))))


def prepare(raw: Path, public: Path, private: Path) -> None:
    try:
        _text_split(raw, public, private)
    except csv_passthrough.Unstreamable:
        _pandas_split(raw, public, private)
