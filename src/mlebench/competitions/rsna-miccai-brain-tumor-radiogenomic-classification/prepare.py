"""Split Kaggle's train_labels.csv 90/10 (`train_test_split`, `random_state=0`): the 10% becomes the
test set, whose MRI folders (FLAIR, T1w, T1wCE, T2w) move from `train/` to `test/`. Kaggle's own
test folders are unlabelled and left out. Ids keep their five-digit zero padding."""

from __future__ import annotations

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import link_tree
from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_csv(raw / "train_labels.csv", dtype={"BraTS21ID": str, "MGMT_value": int})
    train, test = train_test_split(labels, test_size=0.1, random_state=0)

    for folder, ids in (("train", train["BraTS21ID"]), ("test", test["BraTS21ID"])):
        (public / folder).mkdir(exist_ok=True)
        for case in ids:
            link_tree(raw / "train" / case, public / folder / case)
        assert len(list((public / folder).iterdir())) == len(ids), f"{folder}: a case folder is missing"

    sample = test.copy()
    sample["MGMT_value"] = 0.5
    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
