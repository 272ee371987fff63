"""Split Kaggle's train.csv by molecule, 90/10 (`train_test_split` over the molecule groups,
`random_state=0`); the extra tables and .xyz files are kept for the training molecules only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

TARGET = "scalar_coupling_constant"
EXTRA_TABLES = [
    "structures", "dipole_moments", "magnetic_shielding_tensors", "mulliken_charges",
    "potential_energy", "scalar_coupling_contributions",
]


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    # The split is over the list of (molecule, rows) groups, in sorted molecule order.
    groups = [rows for _, rows in full.groupby("molecule_name")]
    train_groups, test_groups = train_test_split(groups, test_size=0.1, random_state=0)
    train, answers = pd.concat(train_groups), pd.concat(test_groups)
    test = answers.drop(columns=[TARGET])
    sample = test[["id"]].copy()
    sample[TARGET] = 0

    train_molecules = set(train["molecule_name"])
    assert train_molecules.isdisjoint(test["molecule_name"]), "a molecule is in both splits"
    assert train.shape[1] == 6 and answers.shape[1] == 6 and test.shape[1] == 5

    tables = {}
    for name in EXTRA_TABLES:
        table = read_csv(raw / f"{name}.csv")
        tables[name] = table[table["molecule_name"].isin(train["molecule_name"])]
        assert set(tables[name]["molecule_name"]) == train_molecules, f"{name}.csv lacks some molecules"

    structures_dir = public / "structures"
    structures_dir.mkdir(parents=True, exist_ok=True)
    for molecule in train["molecule_name"].unique():
        shutil.copyfile(raw / "structures" / f"{molecule}.xyz", structures_dir / f"{molecule}.xyz")

    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    for name, table in tables.items():
        table.to_csv(public / f"{name}.csv", index=False)
