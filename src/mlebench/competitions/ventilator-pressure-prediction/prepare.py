"""Hold out 10% of the breaths of Kaggle's train.csv (seed 0) as the test set, keeping each
breath's 80 time steps together; row ids are renumbered from 1 in both parts."""

from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

DTYPES = {"id": "int32", "breath_id": "int32", "R": "int8", "C": "int8", "time_step": "float64",
          "u_in": "float64", "u_out": "int8", "pressure": "float64"}
FLOAT_FORMAT = "%.10g"


def prepare(raw: Path, public: Path, private: Path) -> None:
    steps = read_csv(raw / "train.csv", dtype=DTYPES)

    # One list of row labels per breath (in breath_id order); the split is over breaths.
    breaths = [rows.index.tolist() for _, rows in steps.groupby("breath_id")]
    train_breaths, test_breaths = train_test_split(breaths, test_size=0.1, random_state=0)
    train = steps.loc[np.concatenate(train_breaths).tolist()]
    test = steps.loc[np.concatenate(test_breaths).tolist()]
    train["id"] = range(1, len(train) + 1)
    test["id"] = range(1, len(test) + 1)
    assert set(train["breath_id"]).isdisjoint(test["breath_id"])

    public_test = test.drop(columns=["pressure"])
    sample = public_test[["id"]].copy()
    sample["pressure"] = 0

    train.to_csv(public / "train.csv", index=False, float_format=FLOAT_FORMAT)
    public_test.to_csv(public / "test.csv", index=False, float_format=FLOAT_FORMAT)
    sample.to_csv(public / "sample_submission.csv", index=False, float_format=FLOAT_FORMAT)
    test.to_csv(private / "test.csv", index=False, float_format=FLOAT_FORMAT)

    assert len(steps) == len(train) + len(test)
    assert public_test.shape[1] == 7 and train.shape[1] == 8
