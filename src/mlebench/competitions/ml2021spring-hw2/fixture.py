"""Synthetic `ml2021spring-hw2.zip`: `timit_11/timit_11/{train_11,train_label_11,test_11}.npy`
(float32 frames of 11 x 39 MFCC features; labels are phoneme ids 0-38 stored as numpy unicode
strings, as in Kaggle's files) and `sampleSubmission.csv` (`Id,Class`)."""

import io
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

N_TRAIN, N_TEST, N_FEATURES, N_CLASSES = 400, 147, 429, 39


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, N_CLASSES, N_TRAIN)
    centers = rng.normal(0, 1, (N_CLASSES, N_FEATURES))
    train = (centers[labels] + rng.normal(0, 0.8, (N_TRAIN, N_FEATURES))).astype(np.float32)
    test = rng.normal(0, 1.2, (N_TEST, N_FEATURES)).astype(np.float32)
    sample = pd.DataFrame({"Id": range(N_TEST), "Class": 0})
    return write_zip(out_dir / "ml2021spring-hw2.zip", {
        "sampleSubmission.csv": sample,
        "timit_11/timit_11/test_11.npy": _npy(test),
        "timit_11/timit_11/train_11.npy": _npy(train),
        "timit_11/timit_11/train_label_11.npy": _npy(labels.astype(str).astype("<U2")),
    })
