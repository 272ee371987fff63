"""Hold out as many labelled patches as Kaggle's test set had, in proportion (seed 0). Rows keep
train_labels.csv's order; images are hard-linked into public/train and public/test."""

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train_labels.csv")
    n_test = sum(1 for _ in (raw / "test").glob("*.tif"))
    test_ratio = n_test / (len(labels) + n_test)
    train_ids, test_ids = train_test_split(labels["id"], test_size=test_ratio, random_state=0)

    train = labels[labels["id"].isin(train_ids)]
    test = labels[labels["id"].isin(test_ids)]
    assert set(train["id"]).isdisjoint(test["id"])

    (public / "train").mkdir(exist_ok=True)
    (public / "test").mkdir(exist_ok=True)
    # Plain strings: building three Path objects per image cost more than linking it.
    src, to_train, to_test = str(raw / "train"), str(public / "train"), str(public / "test")
    place_files([(f"{src}/{i}.tif", f"{to_train}/{i}.tif") for i in train_ids]
                + [(f"{src}/{i}.tif", f"{to_test}/{i}.tif") for i in test_ids])

    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "answers.csv", index=False)
    test.assign(label=0).to_csv(public / "sample_submission.csv", index=False)
