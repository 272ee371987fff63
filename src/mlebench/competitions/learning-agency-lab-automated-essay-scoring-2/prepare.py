"""Hold out 10% of Kaggle's train.csv (seed 0) as the test set; the sample submission holds
random scores 1-6 (NumPy RandomState 42)."""

from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    essays = read_csv(raw / "train.csv")
    train, answers = train_test_split(essays, test_size=0.1, random_state=0)
    test = answers.drop(columns=["score"])

    sample = answers[["essay_id"]].copy()
    sample["score"] = np.random.RandomState(42).randint(1, 7, size=len(sample))

    assert set(train["essay_id"]).isdisjoint(test["essay_id"])
    assert len(train) + len(test) == len(essays)
    assert list(test.columns) == ["essay_id", "full_text"]

    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
