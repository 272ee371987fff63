"""Kaggle's test labels are private, so 10% of Kaggle's train.csv (`random_state=0`) becomes the
test set; the sample submission predicts class 2 (the most common cover type) everywhere."""

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    kaggle_train = read_csv(raw / "train.csv")
    train, test = train_test_split(kaggle_train, test_size=0.1, random_state=0)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=["Cover_Type"]).to_csv(public / "test.csv", index=False)
    pd.DataFrame({"Id": test["Id"].to_numpy(), "Cover_Type": 2}).to_csv(
        public / "sample_submission.csv", index=False
    )
    assert set(train["Id"]).isdisjoint(test["Id"])
