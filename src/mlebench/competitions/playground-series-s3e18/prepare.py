"""Hold out 10% of Kaggle's train.csv (seed 0) as the test set; EC1-EC6 are the labels."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

LABELS = ["EC1", "EC2", "EC3", "EC4", "EC5", "EC6"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    train, test = train_test_split(full, test_size=0.1, random_state=0)

    # Only EC1 and EC2 are scored, so the sample submission predicts 0.5 for both.
    sample = test[["id"]].copy()
    sample["EC1"] = 0.5
    sample["EC2"] = 0.5
    sample.to_csv(public / "sample_submission.csv", index=False)

    test.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=LABELS).to_csv(public / "test.csv", index=False)
