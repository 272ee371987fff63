"""Split Kaggle's train.csv by patient, 90/10 (`train_test_split` over the patient groups,
`random_state=0`). Public test.csv keeps each test patient's first visit; the answers hold every
week in the test weeks' range for every test patient (FVC empty where no visit was measured)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.data.files import link_tree
from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    groups = [rows for _, rows in full.groupby("Patient")]
    train_groups, test_groups = train_test_split(groups, test_size=0.1, random_state=0)
    train, test = pd.concat(train_groups), pd.concat(test_groups)
    assert set(train["Patient"]).isdisjoint(test["Patient"]), "a patient is in both splits"

    first_visits = test.sort_values(by="Weeks").groupby("Patient").first().reset_index()

    patients = test["Patient"].unique()
    weeks = range(test["Weeks"].min(), test["Weeks"].max() + 1)
    grid = pd.DataFrame([(p, w) for p in patients for w in weeks], columns=["Patient", "Weeks"])
    answers = grid.merge(test, on=["Patient", "Weeks"], how="left")
    answers["Patient_Week"] = answers["Patient"] + "_" + answers["Weeks"].astype(str)
    answers["Confidence"] = 100

    sample = answers[["Patient_Week"]].copy()
    sample["FVC"] = 2000
    sample["Confidence"] = 100

    assert train.shape[1] == 7 and first_visits.shape[1] == 7
    assert answers.shape[1] == 9 and sample.shape[1] == 3

    train.to_csv(public / "train.csv", index=False)
    first_visits.to_csv(public / "test.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)

    for folder, group in (("train", train["Patient"].unique()), ("test", patients)):
        (public / folder).mkdir(exist_ok=True)
        for patient in group:
            link_tree(raw / "train" / patient, public / folder / patient)
