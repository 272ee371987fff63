"""Synthetic `paddy-disease-classification.zip`: train.csv (`image_id`, `label`, `variety`, `age`),
sample_submission.csv (`image_id`, empty `label`), `train_images/<label>/<image_id>` and
`test_images/<image_id>` JPEGs with Kaggle's six-digit `NNNNNN.jpg` ids and ten labels."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.images import tinted_image_bytes

LABELS = [
    "bacterial_leaf_blight", "bacterial_leaf_streak", "bacterial_panicle_blight", "blast",
    "brown_spot", "dead_heart", "downy_mildew", "hispa", "normal", "tungro",
]
VARIETIES = ["ADT45", "KarnatakaPonni", "Ponni", "AtchayaPonni", "Zonal", "AndraPonni",
             "Onthanel", "IR20", "RR", "Surya"]
N_TRAIN, N_TEST = 200, 40


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    numbers = rng.choice(np.arange(100000, 111000), size=N_TRAIN + N_TEST, replace=False)
    ids = [f"{n}.jpg" for n in numbers]
    train_ids, test_ids = ids[:N_TRAIN], ids[N_TRAIN:]
    train = pd.DataFrame({
        "image_id": train_ids,
        "label": rng.choice(LABELS, N_TRAIN),
        "variety": rng.choice(VARIETIES, N_TRAIN, p=[0.67] + [0.33 / 9] * 9),
        "age": rng.choice(np.arange(45, 83), N_TRAIN),
    })
    files: dict[str, pd.DataFrame | bytes | str] = {
        "train.csv": train,
        "sample_submission.csv": pd.DataFrame({"image_id": test_ids, "label": ""}),
    }
    for row in train.itertuples():
        files[f"train_images/{row.label}/{row.image_id}"] = tinted_image_bytes(rng, 8, 12, "JPEG")
    for image_id in test_ids:
        files[f"test_images/{image_id}"] = tinted_image_bytes(rng, 8, 12, "JPEG")
    return write_zip(out_dir / "paddy-disease-classification.zip", files)
