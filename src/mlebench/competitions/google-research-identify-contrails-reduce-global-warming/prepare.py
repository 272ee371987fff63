"""Kaggle's training records are split into a new train and test set, the test set as large as
Kaggle's validation set (`train_test_split`, `random_state=0`, on the list of metadata records).
The answers are each test record's `human_pixel_masks.npy`, run-length encoded ("-" when empty),
with its height and width. Kaggle's validation set is passed on whole; Kaggle's own test records
and sample submission are not used. Files are hard-linked when possible."""

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.data.files import link_or_copy, place_files
from mlebench.metrics.rle import rle_encode

BANDS = [f"band_{b:02d}.npy" for b in range(8, 17)]
MASKS = ["human_individual_masks.npy", "human_pixel_masks.npy"]
SAMPLE_MASKS = ["1 3 10 5", "-"]  # the sample submission picks one of these per record


def _answer(record: Path) -> dict:
    mask = np.load(record / "human_pixel_masks.npy")
    # Only the value 1 counts as contrail (the masks hold zeros and ones).
    encoded = rle_encode(mask == 1) or "-"
    height, width, _ = np.load(record / "band_08.npy", mmap_mode="r").shape
    return {"record_id": record.name, "encoded_pixels": encoded, "height": height, "width": width}


def prepare(raw: Path, public: Path, private: Path) -> None:
    train_meta = json.loads((raw / "train_metadata.json").read_text())
    validation_meta = json.loads((raw / "validation_metadata.json").read_text())
    new_train, new_test = train_test_split(
        train_meta, test_size=len(validation_meta), random_state=0
    )

    answers = pd.DataFrame(
        [_answer(raw / "train" / r["record_id"]) for r in new_test],
        columns=["record_id", "encoded_pixels", "height", "width"],
    )

    pairs = [(raw / "train" / r["record_id"] / name, public / "train" / r["record_id"] / name)
             for r in new_train for name in BANDS + MASKS]
    pairs += [(raw / "train" / r["record_id"] / name, public / "test" / r["record_id"] / name)
              for r in new_test for name in BANDS]
    place_files(pairs)
    (public / "train").mkdir(parents=True, exist_ok=True)
    (public / "test").mkdir(parents=True, exist_ok=True)

    if (raw / "validation").is_dir():
        shutil.copytree(raw / "validation", public / "validation", copy_function=link_or_copy,
                        dirs_exist_ok=True)
    (public / "validation").mkdir(exist_ok=True)
    shutil.copyfile(raw / "validation_metadata.json", public / "validation_metadata.json")
    (public / "train_metadata.json").write_text(json.dumps(new_train))

    answers.to_csv(private / "answers.csv", index=False)
    rng = random.Random(0)
    sample = answers.assign(encoded_pixels=[rng.choice(SAMPLE_MASKS) for _ in range(len(answers))])
    sample.to_csv(public / "sample_submission.csv", index=False)
