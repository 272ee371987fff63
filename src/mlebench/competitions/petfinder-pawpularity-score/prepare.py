"""Hold out 10% of Kaggle's train.csv (seed 0) as the test set, with its photos; the sample
submission holds random scores in [1, 100] (NumPy default_rng(0), 2 decimals)."""

import shutil
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    pets = read_csv(raw / "train.csv")
    rng = np.random.default_rng(0)
    train, test = train_test_split(pets, test_size=0.1, random_state=0)
    public_test = test.drop(columns=["Pawpularity"])

    sample = test[["Id", "Pawpularity"]].copy()
    sample["Pawpularity"] = rng.uniform(1, 100, len(sample)).round(2)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    public_test.to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)

    for folder, ids in (("train", train["Id"]), ("test", public_test["Id"])):
        (public / folder).mkdir(exist_ok=True)
        for pet_id in ids:
            shutil.copy(raw / "train" / f"{pet_id}.jpg", public / folder / f"{pet_id}.jpg")

    assert len(train) + len(test) == len(pets)
    assert set(train["Id"]).isdisjoint(test["Id"])
    assert len(list((public / "train").glob("*.jpg"))) == len(train)
    assert len(list((public / "test").glob("*.jpg"))) == len(test)
