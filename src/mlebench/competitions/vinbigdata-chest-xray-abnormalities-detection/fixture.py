"""Synthetic `vinbigdata-chest-xray-abnormalities-detection.zip`, laid out as Kaggle ships it:

- `train.csv`: one row per (image, radiologist, finding) with `image_id` (32 hex), `class_name`,
  `class_id` (0-13 findings, 14 = "No finding"), `rad_id` (`R1`..`R17`) and `x_min, y_min, x_max,
  y_max` (whole pixels written as floats, empty for "No finding"); three radiologists per image,
  rows in no particular order;
- `train/<image_id>.dicom` and `test/<image_id>.dicom`: tiny DICOM files;
- `sample_submission.csv`: `image_id,PredictionString` for the test images (`14 1 0 0 1 1`).

Kaggle's train set has 15,000 images, which the reference's preparer asserts; this fixture has
far fewer (see task.md), so our preparer warns instead.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.dicom import dicom_bytes

N_TRAIN, N_TEST = 80, 8
CLASS_NAMES = [
    "Aortic enlargement", "Atelectasis", "Calcification", "Cardiomegaly", "Consolidation", "ILD",
    "Infiltration", "Lung Opacity", "Nodule/Mass", "Other lesion", "Pleural effusion",
    "Pleural thickening", "Pneumothorax", "Pulmonary fibrosis", "No finding",
]
COLUMNS = ["image_id", "class_name", "class_id", "rad_id", "x_min", "y_min", "x_max", "y_max"]


def _image_ids(rng: np.random.Generator, n: int) -> list[str]:
    return ["".join(rng.choice(list("0123456789abcdef"), 32)) for _ in range(n)]


def _box(rng: np.random.Generator, centre: tuple[float, float] | None = None) -> list[float]:
    w, h = float(rng.integers(40, 900)), float(rng.integers(40, 900))
    if centre is None:
        x, y = float(rng.integers(0, 2000)), float(rng.integers(0, 2200))
    else:  # another radiologist's box around the same finding
        x = max(0.0, centre[0] + float(rng.integers(-60, 61)))
        y = max(0.0, centre[1] + float(rng.integers(-60, 61)))
    return [x, y, x + w, y + h]


def _annotations(rng: np.random.Generator, image_id: str) -> list[list]:
    radiologists = rng.choice([f"R{i}" for i in range(1, 18)], 3, replace=False)
    if rng.random() < 0.6:  # a normal image: every radiologist says "No finding"
        return [[image_id, "No finding", 14, r, np.nan, np.nan, np.nan, np.nan] for r in radiologists]
    findings = {int(c): _box(rng) for c in rng.choice(14, int(rng.integers(1, 4)), replace=False)}
    rows = []
    for r in radiologists:
        if rng.random() < 0.2:
            rows.append([image_id, "No finding", 14, r, np.nan, np.nan, np.nan, np.nan])
            continue
        for c, box in findings.items():
            if rng.random() < 0.8:
                for _ in range(2 if rng.random() < 0.15 else 1):  # sometimes two boxes of a class
                    rows.append([image_id, CLASS_NAMES[c], c, r, *_box(rng, (box[0], box[1]))])
    return rows or [[image_id, "No finding", 14, radiologists[0], np.nan, np.nan, np.nan, np.nan]]


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train_ids, test_ids = _image_ids(rng, N_TRAIN), _image_ids(rng, N_TEST)
    rows = [row for image_id in train_ids for row in _annotations(rng, image_id)]
    train = pd.DataFrame([rows[i] for i in rng.permutation(len(rows))], columns=COLUMNS)
    sample = pd.DataFrame({"image_id": test_ids, "PredictionString": "14 1 0 0 1 1"})

    def dicom(image_id: str) -> bytes:
        side = int(rng.choice([12, 16]))
        return dicom_bytes(rng, sop_instance_uid=f"1.2.826.0.1.3680043.8.498.{int(image_id[:12], 16)}",
                           size=(side + 4, side), photometric=str(rng.choice(["MONOCHROME1", "MONOCHROME2"])),
                           bits_stored=int(rng.choice([12, 14])))

    files: dict = {"sample_submission.csv": sample}
    files.update({f"test/{i}.dicom": dicom(i) for i in test_ids})
    files.update({f"train/{i}.dicom": dicom(i) for i in train_ids})
    files["train.csv"] = train
    return write_zip(out_dir / "vinbigdata-chest-xray-abnormalities-detection.zip", files)
