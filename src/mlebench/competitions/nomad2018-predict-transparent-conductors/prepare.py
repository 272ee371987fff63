"""Hold out 10% of Kaggle's train.csv (seed 0) as the test set, renumber both sets' ids 1..n in
split order, and copy each material's `geometry.xyz` (from Kaggle's train.zip) under its new id."""

import re
import zipfile
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

TARGETS = ["formation_energy_ev_natom", "bandgap_energy_ev"]
GEOMETRY = re.compile(r"(?:^|/)train/(\d+)/[^/]*\.xyz$")


def _renumber(df: pd.DataFrame) -> dict[int, int]:
    mapping = {old: new for new, old in enumerate(df["id"], start=1)}
    df["id"] = df["id"].map(mapping)
    return mapping


def prepare(raw: Path, public: Path, private: Path) -> None:
    with zipfile.ZipFile(raw / "train.csv.zip") as zf, zf.open("train.csv") as f:
        full = read_csv(f)
    train, test = train_test_split(full, test_size=0.1, random_state=0)
    train_ids, test_ids = _renumber(train), _renumber(test)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=TARGETS).to_csv(public / "test.csv", index=False)

    # Every material (train and held-out test alike) comes from Kaggle's train.zip.
    with zipfile.ZipFile(raw / "train.zip") as zf:
        for name in zf.namelist():
            match = GEOMETRY.search(name)
            if not match:
                continue
            old = int(match.group(1))
            for folder, mapping in (("train", train_ids), ("test", test_ids)):
                if old in mapping:
                    dest = public / folder / str(mapping[old])
                    dest.mkdir(parents=True, exist_ok=True)
                    (dest / "geometry.xyz").write_bytes(zf.read(name))
    for folder, df in (("train", train), ("test", test)):
        found = len(list((public / folder).glob("*/geometry.xyz")))
        assert found == len(df), f"{folder}: {found} geometry files for {len(df)} rows"

    sample = pd.DataFrame({"id": test["id"], TARGETS[0]: 0.1779, TARGETS[1]: 1.8892})
    sample.to_csv(public / "sample_submission.csv", index=False)
