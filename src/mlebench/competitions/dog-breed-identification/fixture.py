"""Synthetic `dog-breed-identification.zip`: labels.csv (`id` 32 hex, `breed`), sample_submission.csv
(id + 120 breed columns), and train/<id>.jpg, test/<id>.jpg small JPEGs."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.images import image_bytes

from .breeds import BREEDS

N_TRAIN, N_TEST = 300, 30


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids_from_bytes(rng, N_TRAIN + N_TEST)
    train_ids, test_ids = ids[:N_TRAIN], ids[N_TRAIN:]
    labels = pd.DataFrame({"id": train_ids, "breed": rng.choice(BREEDS, N_TRAIN)})
    sample = pd.DataFrame({"id": test_ids, **{b: 1 / 120 for b in BREEDS}})
    files: dict = {"labels.csv": labels, "sample_submission.csv": sample}
    for i in train_ids:
        files[f"train/{i}.jpg"] = image_bytes(rng, 24, 20, "JPEG")
    for i in test_ids:
        files[f"test/{i}.jpg"] = image_bytes(rng, 24, 20, "JPEG")
    return write_zip(out_dir / "dog-breed-identification.zip", files)
