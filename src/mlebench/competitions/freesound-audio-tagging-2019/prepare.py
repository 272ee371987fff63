"""Kaggle's files are passed on unchanged (hard-linked); the answers are the Private-usage rows
of `test_post_competition.csv` from FSDKaggle2019's post-competition metadata (Zenodo record
3612637), turned into one 0/1 column per class in the submission's column order.

The reference downloads that metadata at prepare time; here `FSDKaggle2019.meta.zip` (or its
extracted `FSDKaggle2019.meta/` folder) is read from the raw folder, and never copied to public."""

import io
import zipfile
from pathlib import Path

import pandas as pd

from mlebench.data.files import place_files
from mlebench.upstream import AssetUnavailableError

from .classes import CLASSES

META = "FSDKaggle2019.meta"
META_URL = "https://zenodo.org/records/3612637/files/FSDKaggle2019.meta.zip?download=1"


def _test_labels(raw: Path) -> pd.DataFrame:
    folder, archive = raw / META / "test_post_competition.csv", raw / f"{META}.zip"
    if folder.is_file():
        return pd.read_csv(folder)
    if archive.is_file():
        with zipfile.ZipFile(archive) as zf:
            return pd.read_csv(io.BytesIO(zf.read(f"{META}/test_post_competition.csv")))
    raise AssetUnavailableError(
        f"The test labels of freesound-audio-tagging-2019 come from {META}.zip, published after the "
        f"competition on Zenodo ({META_URL}), which is not part of Kaggle's download. Download it, "
        f"put it next to Kaggle's extracted files (not found in {raw}) and prepare with --raw-dir."
    )


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = _test_labels(raw)
    pairs = []
    for item in sorted(raw.iterdir()):
        if META in item.name:
            continue
        files = sorted(p for p in item.rglob("*") if p.is_file()) if item.is_dir() else [item]
        pairs += [(p, public / p.relative_to(raw)) for p in files]
    place_files(pairs)

    rows = labels[labels["usage"] == "Private"]
    answers = pd.DataFrame(
        [[name, *(int(c in tags.split(",")) for c in CLASSES)]
         for name, tags in zip(rows["fname"], rows["labels"], strict=True)],
        columns=["fname", *CLASSES],
    )
    answers.to_csv(private / "test.csv", index=False)

    sample = pd.read_csv(public / "sample_submission.csv")
    assert list(sample.columns) == list(answers.columns), "sample submission columns differ"
    assert sorted(sample["fname"]) == sorted(answers["fname"]), "sample submission clips differ"
