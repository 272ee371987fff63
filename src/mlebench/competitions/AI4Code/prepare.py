"""Hold out exactly 20,000 of Kaggle's training notebooks as the test set, keeping fork families
together: the ancestry table is shuffled (seed 0), notebooks are grouped by `ancestor_id` in order
of first appearance, and each group goes to the test set whole if it still fits in 20,000, else to
train. Public: train/ and test/ notebook JSONs (copied unchanged), train_orders.csv,
train_ancestors.csv (shuffled order, test notebooks removed) and sample_submission.csv (each test
notebook's cells in the order its JSON lists them). Private: test_orders.csv."""

import json
from pathlib import Path

import pandas as pd

from mlebench.data.files import link_or_copy
from mlebench.tables import read_csv

TEST_SIZE = 20_000


def split_on_ancestors(ancestry: pd.DataFrame, test_size: int) -> tuple[list[str], list[str]]:
    families: dict[str, list[str]] = {}
    for notebook_id, ancestor_id in zip(ancestry["id"], ancestry["ancestor_id"], strict=True):
        families.setdefault(ancestor_id, []).append(notebook_id)
    train_ids: list[str] = []
    test_ids: list[str] = []
    for members in families.values():
        if len(test_ids) + len(members) <= test_size:
            test_ids += members
        else:
            train_ids += members
    assert len(test_ids) == test_size, f"could only hold out {len(test_ids)} notebooks"
    return train_ids, test_ids


def prepare(raw: Path, public: Path, private: Path) -> None:
    ancestry = read_csv(raw / "train_ancestors.csv").sample(frac=1, random_state=0).reset_index(drop=True)
    train_ids, test_ids = split_on_ancestors(ancestry, TEST_SIZE)

    for folder, notebook_ids in (("train", train_ids), ("test", test_ids)):
        (public / folder).mkdir(parents=True, exist_ok=True)  # files are hard-linked (same bytes)
        for notebook_id in notebook_ids:
            link_or_copy(raw / "train" / f"{notebook_id}.json", public / folder / f"{notebook_id}.json")

    orders = read_csv(raw / "train_orders.csv")
    orders[orders["id"].isin(train_ids)].to_csv(public / "train_orders.csv", index=False)
    test_orders = orders[orders["id"].isin(test_ids)]
    test_orders.to_csv(private / "test_orders.csv", index=False)
    ancestry[~ancestry["id"].isin(test_ids)].to_csv(public / "train_ancestors.csv", index=False)

    rows = []
    for notebook_id in test_orders["id"]:
        with open(public / "test" / f"{notebook_id}.json") as f:
            shown_order = list(json.load(f)["cell_type"])
        rows.append({"id": notebook_id, "cell_order": " ".join(shown_order)})
    sample = pd.DataFrame(rows, columns=["id", "cell_order"])
    sample.to_csv(public / "sample_submission.csv", index=False)
    assert len(sample) == len(test_ids)
