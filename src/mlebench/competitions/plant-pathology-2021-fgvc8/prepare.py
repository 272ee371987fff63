"""Split Kaggle's train.csv 80/20 (scikit-learn `train_test_split`, `random_state=0`); the 20% is
the test set. Images are hard-linked into public/train_images and public/test_images."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files
from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_csv(raw / "train.csv")
    train, answers = train_test_split(labels, test_size=0.2, random_state=0)
    sample = answers.assign(labels="healthy")

    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)

    (public / "test_images").mkdir(exist_ok=True)
    (public / "train_images").mkdir(exist_ok=True)
    place_files([(raw / "train_images" / i, public / "train_images" / i) for i in train["image"]]
                + [(raw / "train_images" / i, public / "test_images" / i) for i in answers["image"]])

    assert set(train["image"]).isdisjoint(answers["image"])
    assert len(train) + len(answers) == len(labels)
