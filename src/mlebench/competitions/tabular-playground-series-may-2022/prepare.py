"""Kaggle's test labels are private, so 100,000 rows of Kaggle's train.csv (`random_state=0`)
become the test set (same order of magnitude as Kaggle's 700k test, keeping most rows for
training). Ids are renumbered: 0..n_train-1 for train, then n_train.. for test. The sample
submission predicts 0.5 everywhere."""

from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

TEST_SIZE = 100_000


def prepare(raw: Path, public: Path, private: Path) -> None:
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
