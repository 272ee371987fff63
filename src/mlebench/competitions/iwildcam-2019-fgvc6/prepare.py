"""Split Kaggle's labelled camera-trap images by camera location: `train_test_split` of the unique
locations (in order of first appearance; test_size=0.1, random_state=8). Every row of train.csv
whose location is held out becomes a test row (the answers keep all columns; test.csv drops
`category_id`). The images are re-packed straight from Kaggle's train_images.zip into
public/train_images.zip and public/test_images.zip (flat `<id>.jpg` members, no extraction to
disk). The sample submission predicts class 0 and, like the reference's, is written with the
DataFrame index as an unnamed first column."""

import zipfile
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.competitions._kit.archives import rezip_members
from mlebench.data.files import zip_files
from mlebench.tables import read_csv


def _pack(raw: Path, archive: Path, ids: pd.Series) -> int:
    names = [f"{i}.jpg" for i in ids.unique()]
    if (raw / "train_images").is_dir():  # train_images.zip already extracted
        zip_files(archive, ((n, raw / "train_images" / n) for n in names))
    else:
        with zipfile.ZipFile(raw / "train_images.zip") as source:
            rezip_members(source, archive, ((n, n) for n in names))
    return len(names)


def _image_count(raw: Path) -> int:
    if (raw / "train_images").is_dir():
        return sum(1 for _ in (raw / "train_images").glob("*.jpg"))
    with zipfile.ZipFile(raw / "train_images.zip") as zf:
        return sum(1 for n in zf.namelist() if "/" not in n and n.endswith(".jpg"))


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = read_csv(raw / "train.csv")
    _, test_locations = train_test_split(labelled["location"].unique(), test_size=0.1, random_state=8)
    held_out = labelled["location"].isin(test_locations)
    train, answers = labelled[~held_out], labelled[held_out]
    test = answers.drop(columns=["category_id"])
    gold = answers[["id", "category_id"]].rename(columns={"id": "Id", "category_id": "Category"})
    sample = pd.DataFrame({"Id": test["id"], "Category": 0})

    n_images = _image_count(raw)
    assert n_images == labelled["id"].nunique(), (
        f"train_images.zip holds {n_images} images for {labelled['id'].nunique()} distinct ids"
    )
    assert set(train["id"]).isdisjoint(test["id"])
    assert set(train["location"]).isdisjoint(test["location"])

    answers.to_csv(private / "test.csv", index=False)
    gold.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=True)

    assert _pack(raw, public / "train_images.zip", train["id"]) == train["id"].nunique()
    assert _pack(raw, public / "test_images.zip", test["id"]) == test["id"].nunique()
