"""Synthetic `petfinder-pawpularity-score.zip`: train.csv (Id, 12 binary photo attributes,
Pawpularity 1-100), test.csv, sample_submission.csv and the folders train/ and test/ of
`<Id>.jpg` photos, like Kaggle's download. Ids are 32 hexadecimal characters; photos are small
noisy JPEGs of varying sizes."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_batched
from mlebench.competitions._kit.images import jpeg_bytes

ATTRIBUTES = ["Subject Focus", "Eyes", "Face", "Near", "Action", "Accessory", "Group", "Collage",
              "Human", "Occlusion", "Info", "Blur"]
N_TRAIN, N_TEST = 100, 8


def _pets(rng: np.random.Generator, ids: list[str]) -> pd.DataFrame:
    df = pd.DataFrame({"Id": ids})
    for col, p in zip(ATTRIBUTES, [0.03, 0.77, 0.9, 0.86, 0.01, 0.07, 0.13, 0.05, 0.17, 0.17, 0.06, 0.07], strict=True):
        df[col] = (rng.random(len(ids)) < p).astype(int)
    return df


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids_batched(rng, N_TRAIN + N_TEST, 32)
    train = _pets(rng, ids[:N_TRAIN])
    train["Pawpularity"] = np.clip(np.round(rng.gamma(3.0, 12.7, N_TRAIN)), 1, 100).astype(int)
    test = _pets(rng, ids[N_TRAIN:])
    sample = pd.DataFrame({"Id": test["Id"], "Pawpularity": [67.75, 29.66, 8.34, 20.0, 50.0, 42.5, 71.1, 1.0]})
    files: dict = {"sample_submission.csv": sample, "test.csv": test, "train.csv": train, "test/": b""}
    for pet_id in test["Id"]:
        files[f"test/{pet_id}.jpg"] = jpeg_bytes(rng, int(rng.integers(24, 48)), int(rng.integers(24, 48)))
    files["train/"] = b""
    for pet_id in train["Id"]:
        files[f"train/{pet_id}.jpg"] = jpeg_bytes(rng, int(rng.integers(24, 48)), int(rng.integers(24, 48)))
    return write_zip(out_dir / "petfinder-pawpularity-score.zip", files)
