"""Split Kaggle's labelled train set 81/19 (seed 0); the 19% becomes the test set. The images are
re-packed into public/train.zip and public/test.zip (flat member names) straight from train.zip."""

import zipfile
from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.competitions._kit.archives import rezip_members
from mlebench.data.files import zip_files
from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_csv(raw / "train.csv")
    # Kaggle's 4000 test images against 17500 train: ~19% held out
    train, test = train_test_split(labels, test_size=0.19, random_state=0)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    sample = test.copy()
    sample["has_cactus"] = 0.5
    sample.to_csv(public / "sample_submission.csv", index=False)

    for name, part in (("train", train), ("test", test)):
        ids = part["id"].tolist()
        if (raw / "train").is_dir():  # an already-extracted download
            zip_files(public / f"{name}.zip", ((i, raw / "train" / i) for i in ids))
        else:
            with zipfile.ZipFile(raw / "train.zip") as source:
                rezip_members(source, public / f"{name}.zip", ((f"train/{i}", i) for i in ids))

    assert len(train) + len(test) == len(labels)
    assert set(train["id"]).isdisjoint(test["id"])
