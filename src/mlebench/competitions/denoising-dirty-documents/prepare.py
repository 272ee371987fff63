"""Kaggle's test pages have no public clean versions, so 20% of the 144 training pages (seed 0)
become the test set: their noisy scans move to `test/`, their clean targets are flattened into
`answers.csv` (one `<page>_<row>_<col>` row per pixel, intensity in [0, 1]) and removed.

The answers are ~5.8M rows at full size. A pixel's value is one of 256 numbers (k / 255), so its
text is looked up in a 256-entry table that pandas itself formatted (the bytes a whole-frame
`to_csv` writes), and each page is written row by row as it is decoded: no per-pixel f-strings,
no frame of millions of strings, no re-reading of the written CSV.
"""

import os
import shutil
import zipfile
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image
from sklearn.model_selection import train_test_split

HEADER = "id,value\n"


@cache
def _value_texts() -> np.ndarray:
    """`to_csv`'s text of k/255 for k = 0..255 (the values `np.array(page) / 255.0` holds)."""
    frame = pd.DataFrame({"value": np.arange(256, dtype=np.uint8) / 255.0})
    texts = frame.to_csv(index=False, header=False).split("\n")[:-1]
    assert len(texts) == 256
    return np.array(texts, dtype=object)


@cache
def _cell_texts(width: int) -> np.ndarray:
    """(width, 256) table: the text after `<page>_<row>_` for column c and value k: `c,v\\n`."""
    cols = np.array([f"{c}," for c in range(1, width + 1)], dtype=object)
    return cols[:, None] + (_value_texts() + "\n")[None, :]


@cache
def _ones_row(width: int) -> list[str]:
    return [f"{c},1\n" for c in range(1, width + 1)]


def page_texts(pixels: np.ndarray, stem: str) -> tuple[str, str]:
    """(answers text, sample-submission text) of one page's uint8 pixels, row-major, ids from 1."""
    height, width = pixels.shape
    cells = _cell_texts(width)
    picked = cells[np.arange(width)[None, :], pixels]  # (height, width) object array of `c,v\n`
    ones = _ones_row(width)
    answers, sample = [], []
    for r in range(height):
        prefix = f"{stem}_{r + 1}_"
        answers.append(prefix + prefix.join(picked[r].tolist()))
        sample.append(prefix + prefix.join(ones))
    return "".join(answers), "".join(sample)


def prepare(raw: Path, public: Path, private: Path) -> None:
    with zipfile.ZipFile(raw / "train.zip") as zf:
        zf.extractall(public)
    pages = sorted((public / "train").glob("*.png"))
    train_pages, test_pages = train_test_split(pages, test_size=0.2, random_state=0)
    test_names = {p.name for p in test_pages}

    (public / "test").mkdir(exist_ok=True)
    for page in test_pages:
        shutil.move(page, public / "test" / page.name)

    with zipfile.ZipFile(raw / "train_cleaned.zip") as zf:
        zf.extractall(public)
    held_out = sorted(p for p in (public / "train_cleaned").glob("*.png") if p.name in test_names)
    stems = [p.stem for p in held_out]
    assert len(set(stems)) == len(stems)  # distinct pages -> distinct pixel ids

    rows = 0
    with open(private / "answers.csv", "w", newline="") as answers, \
            open(public / "sampleSubmission.csv", "w", newline="") as sample:
        answers.write(HEADER)
        sample.write(HEADER)
        for page in held_out:
            with Image.open(page) as image:
                pixels = np.asarray(image.convert("L"))
            os.unlink(page)
            rows += pixels.size
            answer_text, sample_text = page_texts(pixels, page.stem)
            answers.write(answer_text)
            sample.write(sample_text)

    assert len(list((public / "train").glob("*.png"))) == len(train_pages)
    assert len(list((public / "test").glob("*.png"))) == len(test_pages)
    assert rows > 0
