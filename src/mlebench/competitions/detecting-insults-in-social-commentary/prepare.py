"""Kaggle published the labelled test set (test_with_solutions.csv), so no split is made: train.csv
is copied as is, the labelled test becomes the answers, and the public test and sample submission
are rebuilt from it (Kaggle's online test.csv is the later verification stage, which is ignored).
Comments are the row key: the test set has no id column."""

import shutil
from pathlib import Path

from mlebench.tables import read_csv

COLUMNS = ["Insult", "Date", "Comment"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    shutil.copyfile(raw / "train.csv", public / "train.csv")
    shutil.copyfile(raw / "test_with_solutions.csv", private / "test.csv")

    answers = read_csv(private / "test.csv")
    assert list(answers.columns) == [*COLUMNS, "Usage"], list(answers.columns)
    gold = answers[COLUMNS]
    gold.to_csv(private / "gold_submission.csv", index=False)
    test = gold.drop(columns=["Insult"])
    test.to_csv(public / "test.csv", index=False)
    sample = gold.copy()
    sample["Insult"] = 0
    sample.to_csv(public / "sample_submission_null.csv", index=False)

    train = read_csv(public / "train.csv")
    assert list(train.columns) == COLUMNS, list(train.columns)
    assert set(train["Comment"]).isdisjoint(test["Comment"]), "test comments also occur in train"
