"""Hold out 25% of the download's labelled train.csv (stratified on `malignant`, seed 0) as the
private test set; the download's unlabelled test.csv is not used."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

TARGET = "malignant"


def prepare(raw: Path, public: Path, private: Path) -> None:
    full_train = read_csv(raw / "train.csv")
    train, test = train_test_split(
        full_train, test_size=0.25, random_state=0, stratify=full_train[TARGET]
    )
    train = train.sort_values("id")
    test = test.sort_values("id")

    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    sample = test[["id"]].assign(**{TARGET: 0.5})
    sample.to_csv(public / "sample_submission.csv", index=False)
    test[["id", TARGET]].to_csv(private / "test.csv", index=False)
