"""Synthetic `aerial-cactus-identification.zip`: train.csv (id = `<32 hex>.jpg`, has_cactus 0/1),
sample_submission.csv, and nested train.zip / test.zip holding 32x32 JPEGs under train/ and test/."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.images import image_bytes

N_TRAIN, N_TEST = 300, 40


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    names = [f"{h}.jpg" for h in hex_ids_from_bytes(rng, N_TRAIN + N_TEST)]
    train_names, test_names = names[:N_TRAIN], names[N_TRAIN:]
    train = pd.DataFrame({"id": train_names, "has_cactus": (rng.random(N_TRAIN) < 0.75).astype(int)})
    sample = pd.DataFrame({"id": test_names, "has_cactus": 0.5})
    train_zip = zip_bytes({f"train/{n}": image_bytes(rng, 32, 32, "JPEG") for n in train_names})
    test_zip = zip_bytes({f"test/{n}": image_bytes(rng, 32, 32, "JPEG") for n in test_names})
    return write_zip(out_dir / "aerial-cactus-identification.zip", {
        "train.csv": train, "sample_submission.csv": sample, "train.zip": train_zip, "test.zip": test_zip,
    })
