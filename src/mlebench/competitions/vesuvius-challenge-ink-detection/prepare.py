"""Kaggle's training fragments 1 and 2 stay training fragments; fragment 3 becomes the single test
fragment `a`. Its surface volume and papyrus mask go to `public/test/a/`; its ink labels become the
answers (`inklabels_rle.csv` with the id replaced by "a" and the image's width and height, read
from `ir.png`). Kaggle's own test fragments and sample submission are not used. Files are
hard-linked when possible."""

import shutil
from pathlib import Path

import pandas as pd
from PIL import Image

from mlebench.data.files import link_or_copy, place_files
from mlebench.tables import read_csv

TEST_FRAGMENT = "3"
HELD_BACK = ["inklabels.png", "inklabels_rle.csv", "ir.png"]  # not given with the test fragment
ALLOWED_SUFFIXES = {".png", ".csv", ".tif"}


def prepare(raw: Path, public: Path, private: Path) -> None:
    for fragment in ("1", "2"):
        shutil.copytree(raw / "train" / fragment, public / "train" / fragment,
                        copy_function=link_or_copy)

    source = raw / "train" / TEST_FRAGMENT
    answers = read_csv(source / "inklabels_rle.csv")
    if len(answers) != 1:
        raise ValueError(f"Expected one row in inklabels_rle.csv, found {len(answers)}.")
    with Image.open(source / "ir.png") as image:
        width, height = image.size
    answers["width"] = width
    answers["height"] = height
    answers["Id"] = "a"
    answers.to_csv(private / "inklabels_rle.csv", index=False)
    answers.drop(columns=["width", "height"]).to_csv(private / "gold_submission.csv", index=False)

    pairs = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix not in ALLOWED_SUFFIXES:
            raise ValueError(f"Unexpected file {path} in the test fragment.")
        if path.name not in HELD_BACK:
            pairs.append((path, public / "test" / "a" / path.relative_to(source)))
    place_files(pairs)

    pd.DataFrame({"Id": ["a"], "Predicted": ["1 1 5 1"]}).to_csv(
        public / "sample_submission.csv", index=False
    )
