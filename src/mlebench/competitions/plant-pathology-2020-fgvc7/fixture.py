"""Synthetic `plant-pathology-2020-fgvc7.zip`: train.csv (image_id `Train_<n>`, one-hot healthy,
multiple_diseases, rust, scab), test.csv (`Test_<n>`), sample_submission.csv, and
images/Train_<n>.jpg, images/Test_<n>.jpg small JPEGs."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.images import image_bytes

CLASSES = ["healthy", "multiple_diseases", "rust", "scab"]
N_TRAIN, N_TEST = 200, 30


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    label = rng.choice(4, N_TRAIN, p=[0.28, 0.05, 0.34, 0.33])
    label[:4] = [0, 1, 2, 3]
    train = pd.DataFrame({"image_id": [f"Train_{i}" for i in range(N_TRAIN)]})
    for k, cls in enumerate(CLASSES):
        train[cls] = (label == k).astype(int)
    test = pd.DataFrame({"image_id": [f"Test_{i}" for i in range(N_TEST)]})
    sample = test.assign(**{c: 0.25 for c in CLASSES})
    files: dict = {}
    for name in [*test["image_id"], *train["image_id"]]:
        files[f"images/{name}.jpg"] = image_bytes(rng, 24, 16, "JPEG")
    files.update({"sample_submission.csv": sample, "test.csv": test, "train.csv": train})
    return write_zip(out_dir / "plant-pathology-2020-fgvc7.zip", files)
