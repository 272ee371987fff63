"""Synthetic `plant-seedlings-classification.zip`: `train/<species>/<id>.png` for Kaggle's twelve
species, `test/<id>.png` and sample_submission.csv (`file`, `species`); ids are nine hex digits."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids
from mlebench.competitions._kit.images import tinted_image_bytes

SPECIES = [
    "Black-grass", "Charlock", "Cleavers", "Common Chickweed", "Common wheat", "Fat Hen",
    "Loose Silky-bent", "Maize", "Scentless Mayweed", "Shepherds Purse",
    "Small-flowered Cranesbill", "Sugar beet",
]
N_TRAIN, N_TEST = 180, 30


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids(rng, N_TRAIN + N_TEST, 9)
    files: dict[str, pd.DataFrame | bytes] = {}
    species = rng.choice(SPECIES, N_TRAIN)
    for name, label in zip(ids[:N_TRAIN], species, strict=True):
        files[f"train/{label}/{name}.png"] = tinted_image_bytes(rng, 10, 10, "PNG")
    test_files = [f"{name}.png" for name in ids[N_TRAIN:]]
    for name in test_files:
        files[f"test/{name}"] = tinted_image_bytes(rng, 10, 10, "PNG")
    files["sample_submission.csv"] = pd.DataFrame({"file": test_files, "species": "Sugar beet"})
    return write_zip(out_dir / "plant-seedlings-classification.zip", files)
