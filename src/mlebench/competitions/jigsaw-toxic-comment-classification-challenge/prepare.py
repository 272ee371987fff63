"""Kaggle published the test labels (test_labels.csv), so its split is kept: train, test and the
sample submission (all probabilities set to 0.5) are public; the answers are Kaggle's test labels,
where rows marked -1 (not scored on Kaggle) are skipped when grading."""

import zipfile
from pathlib import Path

import pandas as pd

from mlebench.tables import read_csv

CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]


def _read(raw: Path, name: str) -> pd.DataFrame:
    """`raw/name`, or the member `name` of `raw/name.zip` (raw is never modified)."""
    if (raw / name).is_file():
        return read_csv(raw / name)
    with zipfile.ZipFile(raw / f"{name}.zip") as zf, zf.open(name) as f:
        return read_csv(f)


def prepare(raw: Path, public: Path, private: Path) -> None:
    train = _read(raw, "train.csv")
    test = _read(raw, "test.csv")
    answers = _read(raw, "test_labels.csv")
    sample = _read(raw, "sample_submission.csv")
    sample[CLASSES] = 0.5

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)

    assert len(answers) == len(sample)
    assert sorted(answers["id"]) == sorted(test["id"]) == sorted(sample["id"])
    assert set(train["id"]).isdisjoint(test["id"])
