"""Split Kaggle's Train.csv (inside Train.zip) 90/10 (seed 0); the 10% is the test set. Public:
train.csv, test.csv (no `Tags`), sample_submission.csv (the same five popular tags for every
question). Private: test.csv with `Tags`. `Id` and `Tags` are read as text, as Kaggle wrote them."""

import zipfile
from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    with zipfile.ZipFile(raw / "Train.zip") as zf, zf.open("Train.csv") as f:
        full = read_csv(f, dtype={"Id": str, "Tags": str})
    train, test = train_test_split(full, test_size=0.1, random_state=0)
    unlabelled = test.drop(columns=["Tags"])

    train.to_csv(public / "train.csv", index=False)
    unlabelled.to_csv(public / "test.csv", index=False)
    unlabelled.assign(Tags="javascript c# python php java").to_csv(
        public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    assert len(train) + len(test) == len(full)
