"""Hold out 10% of Kaggle's labelled segments (`train_test_split`, random_state=0) as the test set.

Each segment's signal file `train/<segment_id>.csv` is hard-linked (copied when linking is not
possible) into `public/train/` or `public/test/`; the sample submission predicts 0 for every test
segment."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files
from mlebench.tables import read_csv

COLUMNS = ["segment_id", "time_to_eruption"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = read_csv(raw / "train.csv")
    train, test = train_test_split(labelled, test_size=0.1, random_state=0)
    assert list(train.columns) == COLUMNS, f"unexpected train.csv columns {list(train.columns)}"
    assert not train["segment_id"].isin(test["segment_id"]).any()

    test.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.assign(time_to_eruption=0).to_csv(public / "sample_submission.csv", index=False)

    (public / "train").mkdir(exist_ok=True)
    (public / "test").mkdir(exist_ok=True)
    pairs = [(raw / "train" / f"{sid}.csv", public / "train" / f"{sid}.csv") for sid in train["segment_id"]]
    pairs += [(raw / "train" / f"{sid}.csv", public / "test" / f"{sid}.csv") for sid in test["segment_id"]]
    counts = place_files(pairs)
    assert sum(counts.values()) == len(labelled)
