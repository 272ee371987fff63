"""Split Kaggle's train.csv 90/10 (seed 0); the 10% of pages becomes the test set. Page images are
re-packed straight from train_images.zip into public/train_images.zip and public/test_images.zip
(flat `<image_id>.jpg` members). Also writes the sample submission (one fixed guess for every page)
and private/gold_submission.csv (each true box turned into its label and the point (x+1, y+1))."""

import zipfile
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.competitions._kit.archives import rezip_members
from mlebench.data.files import link_or_copy, zip_files
from mlebench.tables import read_csv

SAMPLE_LABELS = "U+003F 1 1 U+FF2F 2 2"


def _gold_labels(labels: str) -> str:
    tokens = labels.split()
    assert len(tokens) % 5 == 0
    return " ".join(f"{c} {int(x) + 1} {int(y) + 1}" for c, x, y in zip(tokens[0::5], tokens[1::5], tokens[2::5], strict=True))


def _pack(raw: Path, archive: Path, ids: pd.Series) -> None:
    names = [f"{i}.jpg" for i in ids]
    if (raw / "train").is_dir():  # an already-extracted train_images.zip
        zip_files(archive, ((n, raw / "train" / n) for n in names))
    else:
        with zipfile.ZipFile(raw / "train_images.zip") as source:
            rezip_members(source, archive, ((n, n) for n in names))


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    train, test = train_test_split(full, test_size=0.1, random_state=0)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    _pack(raw, public / "train_images.zip", train["image_id"])
    _pack(raw, public / "test_images.zip", test["image_id"])
    link_or_copy(raw / "unicode_translation.csv", public / "unicode_translation.csv")

    test.assign(labels=SAMPLE_LABELS).to_csv(public / "sample_submission.csv", index=False)
    test.assign(labels=[_gold_labels(s) for s in test["labels"]]).to_csv(private / "gold_submission.csv", index=False)

    assert len(train) + len(test) == len(full)
    assert set(train["image_id"]).isdisjoint(test["image_id"])
