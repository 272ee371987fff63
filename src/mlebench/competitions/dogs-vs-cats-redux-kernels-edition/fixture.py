"""Synthetic `dogs-vs-cats-redux-kernels-edition.zip`: nested train.zip (train/cat.<n>.jpg,
train/dog.<n>.jpg), test.zip (test/<n>.jpg) and sample_submission.csv (id, label)."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.images import image_bytes

N_CATS, N_DOGS, N_TEST = 110, 120, 25


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = {f"train/cat.{i}.jpg": image_bytes(rng, 20, 16, "JPEG") for i in range(N_CATS)}
    train.update({f"train/dog.{i}.jpg": image_bytes(rng, 20, 16, "JPEG") for i in range(N_DOGS)})
    test = {f"test/{i}.jpg": image_bytes(rng, 20, 16, "JPEG") for i in range(1, N_TEST + 1)}
    sample = pd.DataFrame({"id": range(1, N_TEST + 1), "label": 0.5})
    return write_zip(out_dir / "dogs-vs-cats-redux-kernels-edition.zip", {
        "sample_submission.csv": sample, "test.zip": zip_bytes(test), "train.zip": zip_bytes(train),
    })
