"""Synthetic `invasive-species-monitoring.zip`, shaped like Kaggle's: `train.7z` (`train/<n>.jpg`),
`test.7z` (`test/<n>.jpg`), `train_labels.csv.zip` (`name`, `invasive` 0/1) and
`sample_submission.csv.zip` (`name`, `invasive` 0.5); image names are consecutive integers."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import stable_7z_bytes, stable_zip_bytes, write_zip
from mlebench.competitions._kit.images import tinted_image_bytes

N_TRAIN, N_TEST = 150, 30


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    labels = pd.DataFrame({"name": np.arange(1, N_TRAIN + 1),
                           "invasive": (rng.random(N_TRAIN) < 0.63).astype(int)})
    train_images = {f"train/{n}.jpg": tinted_image_bytes(rng, 16, 12, "JPEG") for n in labels["name"]}
    test_names = np.arange(1, N_TEST + 1)
    test_images = {f"test/{n}.jpg": tinted_image_bytes(rng, 16, 12, "JPEG") for n in test_names}
    sample = pd.DataFrame({"name": test_names, "invasive": 0.5})
    return write_zip(out_dir / "invasive-species-monitoring.zip", {
        "train.7z": stable_7z_bytes(train_images),
        "test.7z": stable_7z_bytes(test_images),
        "train_labels.csv.zip": stable_zip_bytes({"train_labels.csv": labels}),
        "sample_submission.csv.zip": stable_zip_bytes({"sample_submission.csv": sample}),
    })
