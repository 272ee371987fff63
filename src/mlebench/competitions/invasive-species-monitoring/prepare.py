"""Hold out 20% of Kaggle's 2,295 labelled photos (seed 0) as the test set. Public files keep
Kaggle's packaging: `train.7z`, `test.7z`, `train_labels.csv.zip`, `sample_submission.csv.zip`.

Deviation from the reference (see config notes): the reference builds its 7z archives with
py7zr's `write` on a folder, which stores one empty directory entry (named by the absolute path of
the prepared folder) and no images (openai/mle-bench issue #122). We store the images, as
`train/<n>.jpg` and `test/<n>.jpg`. All CSVs are identical to the reference's."""

import tempfile
import zipfile
from pathlib import Path

import py7zr
from sklearn.model_selection import train_test_split

from mlebench.data.files import link_or_copy
from mlebench.tables import read_csv

STORE = [{"id": py7zr.FILTER_COPY}]


def _zip_one(path: Path) -> None:
    """`<path>.zip` holding `path` under its bare name; `path` is removed."""
    with zipfile.ZipFile(path.with_name(path.name + ".zip"), "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(path, arcname=path.name)
    path.unlink()


def prepare(raw: Path, public: Path, private: Path) -> None:
    with zipfile.ZipFile(raw / "train_labels.csv.zip") as zf:
        labelled = read_csv(zf.open("train_labels.csv"))
    train, answers = train_test_split(labelled, test_size=0.2, random_state=0)
    assert train["name"].is_unique and answers["name"].is_unique
    assert set(train["name"]).isdisjoint(answers["name"]), "train and test overlap"

    sample = answers.copy()
    sample["invasive"] = 0.5
    answers.to_csv(private / "answers.csv", index=False)
    sample.to_csv(private / "sample_submission.csv", index=False)
    train.to_csv(public / "train_labels.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    _zip_one(public / "train_labels.csv")
    _zip_one(public / "sample_submission.csv")

    # Read the photos from a scratch copy so that `raw` is never modified.
    with tempfile.TemporaryDirectory(prefix="invasive-", dir=public.parent) as tmp:
        scratch = Path(tmp)
        with py7zr.SevenZipFile(raw / "train.7z", mode="r") as archive:
            archive.extractall(scratch / "raw")
        for folder, frame in (("train", train), ("test", answers)):
            staging = scratch / folder
            staging.mkdir()
            for name in frame["name"]:
                link_or_copy(scratch / "raw" / "train" / f"{name}.jpg", staging / f"{name}.jpg")
            assert len(list(staging.glob("*.jpg"))) == len(frame)
            # JPEGs do not compress: store them (fast on the 2.5 GB of real photos).
            with py7zr.SevenZipFile(public / f"{folder}.7z", "w", filters=STORE) as archive:
                archive.writeall(staging, arcname=folder)
