"""Split Kaggle's labels.csv 90/10 (seed 0); the 10% becomes the test set, whose answers are one-hot
over the 120 breeds (the submission format). Images are hard-linked into public/train and public/test."""

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.competitions._kit.tables import one_hot
from mlebench.data.files import place_files
from mlebench.tables import read_csv

from .breeds import BREEDS


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_csv(raw / "labels.csv")
    train, test = train_test_split(labels, test_size=0.1, random_state=0)
    answers = one_hot(test, "id", "breed", BREEDS)

    train.to_csv(public / "labels.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)

    (public / "train").mkdir(exist_ok=True)
    (public / "test").mkdir(exist_ok=True)
    place_files([(raw / "train" / f"{i}.jpg", public / "train" / f"{i}.jpg") for i in train["id"]]
                + [(raw / "train" / f"{i}.jpg", public / "test" / f"{i}.jpg") for i in test["id"]])

    uniform = pd.DataFrame(1 / 120, index=answers.index, columns=BREEDS)
    sample = pd.concat([answers[["id"]], uniform], axis=1)
    sample.to_csv(public / "sample_submission.csv", index=False)
