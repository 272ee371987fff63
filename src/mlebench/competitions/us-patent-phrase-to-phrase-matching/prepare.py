"""Hold out 10% of Kaggle's train.csv (seed 0) as the test set; the sample submission predicts a
similarity of 0 everywhere."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    pairs = read_csv(raw / "train.csv")
    train, test = train_test_split(pairs, test_size=0.1, random_state=0)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=["score"]).to_csv(public / "test.csv", index=False)

    sample = test[["id", "score"]].copy()
    sample["score"] = 0
    sample.to_csv(public / "sample_submission.csv", index=False)
    assert len(train) + len(test) == len(pairs)
