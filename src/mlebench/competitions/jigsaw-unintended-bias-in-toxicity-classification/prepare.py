"""Kaggle's labelled private test set (`test_private_expanded.csv`) becomes the held-out test set;
`train.csv` is copied unchanged. Public: train.csv, test.csv (`id`, `comment_text`) and
sample_submission.csv (`id`, `prediction` = 0.0). Private: test.csv, a byte copy of
`test_private_expanded.csv`."""

import shutil
from pathlib import Path

from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = read_csv(raw / "test_private_expanded.csv")
    assert labelled.shape[1] == 45, "test_private_expanded.csv should have 45 columns"

    shutil.copy(raw / "test_private_expanded.csv", private / "test.csv")
    shutil.copy(raw / "train.csv", public / "train.csv")
    test = labelled[["id", "comment_text"]]
    test.to_csv(public / "test.csv", index=False)
    test[["id"]].assign(prediction=0.0).to_csv(public / "sample_submission.csv", index=False)
