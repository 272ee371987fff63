"""Hold out 20% of Kaggle's labelled molecule images (`train_test_split` of train_labels.csv,
random_state=0) as the test set. Images keep Kaggle's nested layout (`train/a/b/c/abc....png`, the
first three characters of the image id) and are hard-linked (copied when linking is not possible)
into `public/train/` or `public/test/`, streaming over the ~2.4M rows without building path lists.
Kaggle's own unlabelled test images are not used. The sample submission predicts water
(`InChI=1S/H2O/h1H2`) for every test image; extra_approved_InChIs.csv is passed through."""

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.data.files import link_or_copy, place_files

SAMPLE_INCHI = "InChI=1S/H2O/h1H2"


def image_subpath(image_id: str) -> str:
    return f"{image_id[0]}/{image_id[1]}/{image_id[2]}/{image_id}.png"


def _pairs(raw: Path, dest: Path, ids: pd.Series) -> Iterator[tuple[Path, Path]]:
    source = raw / "train"
    for image_id in ids:
        sub = image_subpath(image_id)
        yield source / sub, dest / sub


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = pd.read_csv(raw / "train_labels.csv")
    train, test = train_test_split(labelled, test_size=0.2, random_state=0)
    assert len(train) + len(test) == len(labelled)

    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.assign(InChI=SAMPLE_INCHI).to_csv(public / "sample_submission.csv", index=False)
    link_or_copy(raw / "extra_approved_InChIs.csv", public / "extra_approved_InChIs.csv")

    placed_train = place_files(_pairs(raw, public / "train", train["image_id"]))
    assert sum(placed_train.values()) == len(train)
    placed_test = place_files(_pairs(raw, public / "test", test["image_id"]))
    assert sum(placed_test.values()) == len(test)
