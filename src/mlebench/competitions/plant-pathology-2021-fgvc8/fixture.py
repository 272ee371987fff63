"""Synthetic `plant-pathology-2021-fgvc8.zip`: train.csv (`image` = 16 hex + ".jpg", `labels` =
space-separated diseases, combinations as on Kaggle), sample_submission.csv (Kaggle's 3 test images,
"healthy"), train_images/*.jpg and test_images/*.jpg small JPEGs."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.images import image_bytes

N_TRAIN = 250
# Label combinations found in Kaggle's train.csv, with rough frequencies.
COMBOS = {
    "scab": 0.26, "healthy": 0.25, "frog_eye_leaf_spot": 0.17, "rust": 0.10, "complex": 0.08,
    "powdery_mildew": 0.06, "scab frog_eye_leaf_spot": 0.04, "scab frog_eye_leaf_spot complex": 0.01,
    "frog_eye_leaf_spot complex": 0.01, "rust frog_eye_leaf_spot": 0.01, "rust complex": 0.005,
    "powdery_mildew complex": 0.005,
}
TEST_IMAGES = ["85f8cb619c66b863.jpg", "ad8770db05586b59.jpg", "c7b03e718489f3ca.jpg"]


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    images = [f"{h}.jpg" for h in hex_ids_from_bytes(rng, N_TRAIN, 16)]
    p = np.array(list(COMBOS.values()))
    train = pd.DataFrame({"image": images, "labels": rng.choice(list(COMBOS), N_TRAIN, p=p / p.sum())})
    files: dict = {
        "sample_submission.csv": pd.DataFrame({"image": TEST_IMAGES, "labels": "healthy"}),
        "train.csv": train,
    }
    for name in TEST_IMAGES:
        files[f"test_images/{name}"] = image_bytes(rng, 12, 8, "JPEG")
    for name in images:
        files[f"train_images/{name}"] = image_bytes(rng, 12, 8, "JPEG")
    return write_zip(out_dir / "plant-pathology-2021-fgvc8.zip", files)
