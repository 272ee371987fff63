"""Hold out 10% of the labelled cadences (scikit-learn `train_test_split`, `random_state=0`) as the
test set. CSV rows keep the split's (shuffled) order; cadences are hard-linked under
public/train/<id[0]>/ and public/test/<id[0]>/, and `old_leaky_data/` is passed on unchanged."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files
from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_csv(raw / "train_labels.csv")
    train, test = train_test_split(labels, test_size=0.1, random_state=0)
    assert set(train["id"]).isdisjoint(test["id"])

    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.assign(target=0.5).to_csv(public / "sample_submission.csv", index=False)

    old = raw / "old_leaky_data"
    pairs = [
        (p, public / "old_leaky_data" / p.relative_to(old))
        for p in sorted(old.rglob("*"))
        if p.is_file()
    ]
    for split, ids in (("train", train["id"]), ("test", test["id"])):
        pairs += [
            (raw / "train" / i[0] / f"{i}.npy", public / split / i[0] / f"{i}.npy") for i in ids
        ]
    place_files(pairs)
