"""Split Kaggle's train.csv 85/15 (scikit-learn `train_test_split`, `random_state=0`); the 15% is
the test set. labels.csv is passed through; images are hard-linked into public/train and public/test."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import link_or_copy, place_files
from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_csv(raw / "train.csv")
    train, answers = train_test_split(labels, test_size=0.15, random_state=0)
    sample = answers.assign(attribute_ids="0 1 2")

    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    link_or_copy(raw / "labels.csv", public / "labels.csv")

    (public / "test").mkdir(exist_ok=True)
    (public / "train").mkdir(exist_ok=True)
    place_files([(raw / "train" / f"{i}.png", public / "train" / f"{i}.png") for i in train["id"]]
                + [(raw / "train" / f"{i}.png", public / "test" / f"{i}.png") for i in answers["id"]])

    assert set(train["id"]).isdisjoint(answers["id"])
    assert len(train) + len(answers) == len(labels)
