"""Drop image ce27d36c9147cc19.jpg (listed twice in Kaggle's train.csv), then split 90/10
(scikit-learn `train_test_split`, `random_state=0`); the 10% is the test set, whose answers keep
all train.csv columns. Train images stay under train_images/<chain>/; test images are flattened
into test_images/ (hard links)."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files
from mlebench.tables import read_csv

DUPLICATED_IMAGE = "ce27d36c9147cc19.jpg"


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_csv(raw / "train.csv")
    labels = labels[labels["image"] != DUPLICATED_IMAGE]
    train, test = train_test_split(labels, test_size=0.1, random_state=0)
    sample = test[["image", "hotel_id"]].assign(hotel_id="36363 53586 18807 64314 60181")

    train.to_csv(public / "train.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)

    src = raw / "train_images"
    (public / "train_images").mkdir(exist_ok=True)
    (public / "test_images").mkdir(exist_ok=True)
    place_files(
        [(src / str(c) / i, public / "train_images" / str(c) / i) for i, c in zip(train["image"], train["chain"], strict=True)]
        + [(src / str(c) / i, public / "test_images" / i) for i, c in zip(test["image"], test["chain"], strict=True)]
    )

    assert set(train["image"]).isdisjoint(test["image"])
    assert len(train) + len(test) == len(labels)
