"""Synthetic `aptos2019-blindness-detection.zip`: train.csv (`id_code`, `diagnosis` 0-4), test.csv,
sample_submission.csv and the retina photos as `train_images/<id_code>.png` and
`test_images/<id_code>.png` (12-hex-digit ids, as on Kaggle)."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids
from mlebench.competitions._kit.images import tinted_image_bytes

N_TRAIN, N_TEST = 200, 20


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids(rng, N_TRAIN + N_TEST, 12)
    train_ids, test_ids = ids[:N_TRAIN], ids[N_TRAIN:]
    # Kaggle's label mix is skewed towards 0 (no retinopathy).
    diagnosis = rng.choice(5, size=N_TRAIN, p=[0.49, 0.1, 0.27, 0.05, 0.09])
    files: dict[str, pd.DataFrame | bytes] = {
        "train.csv": pd.DataFrame({"id_code": train_ids, "diagnosis": diagnosis}),
        "test.csv": pd.DataFrame({"id_code": test_ids}),
        "sample_submission.csv": pd.DataFrame({"id_code": test_ids, "diagnosis": 0}),
    }
    for folder, names in (("train_images", train_ids), ("test_images", test_ids)):
        for name in names:
            files[f"{folder}/{name}.png"] = tinted_image_bytes(rng, 8, 8, "PNG")
    return write_zip(out_dir / "aptos2019-blindness-detection.zip", files)
