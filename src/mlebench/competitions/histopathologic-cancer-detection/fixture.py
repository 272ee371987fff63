"""Synthetic `histopathologic-cancer-detection.zip`: train_labels.csv (`id` 40 hex, `label` 0/1),
sample_submission.csv (id, label 0), and train/<id>.tif, test/<id>.tif small RGB TIFFs."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.images import image_bytes

N_TRAIN, N_TEST = 240, 60


def make_fixture(out_dir: Path, seed: int = 0, n_train: int = N_TRAIN, n_test: int = N_TEST,
                 size: int = 16) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids_from_bytes(rng, n_train + n_test, length=40)
    train_ids, test_ids = ids[:n_train], ids[n_train:]
    labels = pd.DataFrame({"id": train_ids, "label": (rng.random(n_train) < 0.4).astype(int)})
    sample = pd.DataFrame({"id": test_ids, "label": 0})
    files: dict = {"train_labels.csv": labels, "sample_submission.csv": sample}
    for i in train_ids:
        files[f"train/{i}.tif"] = image_bytes(rng, size, size, "TIFF")
    for i in test_ids:
        files[f"test/{i}.tif"] = image_bytes(rng, size, size, "TIFF")
    return write_zip(out_dir / "histopathologic-cancer-detection.zip", files)
