"""Kaggle's test labels are private, so 10% of Kaggle's train.csv (`random_state=0`) becomes the
test set. Answers are one-hot (`id,EAP,HPL,MWS`); the sample submission holds Kaggle's constant
class priors."""

import zipfile
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

CLASSES = ["EAP", "HPL", "MWS"]
PRIORS = {"EAP": 0.403493538995863, "HPL": 0.287808366106543, "MWS": 0.308698094897594}


def read_inner_csv(raw: Path, archive: str, name: str) -> pd.DataFrame:
    """`raw/name` when already extracted, else the member `name` of `raw/archive` (raw is never
    modified)."""
    if (raw / name).is_file():
        return read_csv(raw / name)
    with zipfile.ZipFile(raw / archive) as zf, zf.open(name) as f:
        return read_csv(f)


def prepare(raw: Path, public: Path, private: Path) -> None:
    kaggle_train = read_inner_csv(raw, "train.zip", "train.csv")
    train, test = train_test_split(kaggle_train, test_size=0.1, random_state=0)

    answers = pd.DataFrame(0, index=test.index, columns=["id", *CLASSES])
    answers["id"] = test["id"]
    for author in CLASSES:
        answers.loc[test["author"] == author, author] = 1
    sample = answers.copy()
    for author, prior in PRIORS.items():
        sample[author] = prior

    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["author"]).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
