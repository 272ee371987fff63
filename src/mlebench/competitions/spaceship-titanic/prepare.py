"""Split Kaggle's train.csv 90/10 (seed 0): the 10% becomes the held-out test set."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    full_train = read_csv(raw / "train.csv")
    train, test = train_test_split(full_train, test_size=0.1, random_state=0)

    sample = test[["PassengerId", "Transported"]].copy()
    sample["Transported"] = False
    sample.to_csv(public / "sample_submission.csv", index=False)

    test.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["Transported"]).to_csv(public / "test.csv", index=False)
