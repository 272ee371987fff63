"""Synthetic `ranzcr-clip-catheter-line-classification.zip`: train.csv (`StudyInstanceUID`, eleven
0/1 label columns, `PatientID`), train_annotations.csv (`StudyInstanceUID`, `label`, `data` as a
list of [x, y] points), sample_submission.csv and the X-rays as `train/<uid>.jpg`, `test/<uid>.jpg`
(DICOM-style dotted UIDs). Kaggle's `train_tfrecords/` and `test_tfrecords/` are left out."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids
from mlebench.competitions._kit.images import tinted_image_bytes

from .classes import KAGGLE_LABELS

N_TRAIN, N_TEST = 300, 20
UID_ROOT = "1.2.826.0.1.3680043.8.498."


def _uids(rng: np.random.Generator, n: int) -> list[str]:
    out: set[str] = set()
    ordered = []
    while len(ordered) < n:
        digits = int(rng.integers(30, 39))
        uid = UID_ROOT + str(int(rng.integers(1, 10))) + "".join(rng.choice(list("0123456789"), digits - 1))
        if uid not in out:
            out.add(uid)
            ordered.append(uid)
    return ordered


def _points(rng: np.random.Generator) -> str:
    n = int(rng.integers(2, 6))
    pts = rng.integers(0, 3000, size=(n, 2))
    return "[" + ", ".join(f"[{x}, {y}]" for x, y in pts) + "]"


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    uids = _uids(rng, N_TRAIN + N_TEST)
    train_uids, test_uids = uids[:N_TRAIN], uids[N_TRAIN:]
    train = pd.DataFrame({"StudyInstanceUID": train_uids})
    # Common enough that every label has both classes in a 10% hold-out.
    for label in KAGGLE_LABELS:
        train[label] = (rng.random(N_TRAIN) < 0.35).astype(int)
    patients = hex_ids(rng, 120, 9)
    train["PatientID"] = rng.choice(patients, N_TRAIN)

    annotations = []
    for row in train.itertuples(index=False):
        for label, value in zip(KAGGLE_LABELS, row[1:-1], strict=True):
            if value and rng.random() < 0.5:
                annotations.append((row[0], label, _points(rng)))
    annotations_df = pd.DataFrame(annotations, columns=["StudyInstanceUID", "label", "data"])

    sample = pd.DataFrame({"StudyInstanceUID": test_uids})
    for label in KAGGLE_LABELS:
        sample[label] = 0
    files: dict[str, pd.DataFrame | bytes] = {
        "train.csv": train,
        "train_annotations.csv": annotations_df,
        "sample_submission.csv": sample,
    }
    for folder, names in (("train", train_uids), ("test", test_uids)):
        for uid in names:
            files[f"{folder}/{uid}.jpg"] = tinted_image_bytes(rng, 12, 12, "JPEG", mode="L")
    return write_zip(out_dir / "ranzcr-clip-catheter-line-classification.zip", files)
