"""Synthetic `leaf-classification.zip`: nested train.csv.zip (id, species, margin1-64, shape1-64,
texture1-64), test.csv.zip (no species), sample_submission.csv.zip (id + 99 species) and
images.zip (images/<id>.jpg grayscale silhouettes); ids 1..N shuffled between train and test."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.images import image_bytes

from .species import SPECIES

N_TRAIN, N_TEST = 198, 40
FEATURES = [f"{kind}{i}" for kind in ("margin", "shape", "texture") for i in range(1, 65)]


def _features(rng: np.random.Generator, n: int) -> pd.DataFrame:
    cols = {}
    for name in FEATURES:
        if name.startswith("shape"):
            cols[name] = np.round(rng.uniform(0.0001, 0.0015, n), 8)
        else:
            cols[name] = np.round(rng.integers(0, 60, n) / 512, 6)
    return pd.DataFrame(cols)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = rng.permutation(np.arange(1, N_TRAIN + N_TEST + 1))
    train_ids, test_ids = np.sort(ids[:N_TRAIN]), np.sort(ids[N_TRAIN:])
    species = rng.permutation(np.repeat(SPECIES, N_TRAIN // len(SPECIES)))
    train = pd.concat([pd.DataFrame({"id": train_ids, "species": species}), _features(rng, N_TRAIN)], axis=1)
    test = pd.concat([pd.DataFrame({"id": test_ids}), _features(rng, N_TEST)], axis=1)
    sample = pd.DataFrame({"id": test_ids, **{s: 1 / 99 for s in SPECIES}})
    images = {f"images/{i}.jpg": image_bytes(rng, 24, 16, "JPEG", mode="L") for i in range(1, len(ids) + 1)}
    return write_zip(out_dir / "leaf-classification.zip", {
        "images.zip": zip_bytes(images),
        "sample_submission.csv.zip": zip_bytes({"sample_submission.csv": sample}),
        "test.csv.zip": zip_bytes({"test.csv": test}),
        "train.csv.zip": zip_bytes({"train.csv": train}),
    })
