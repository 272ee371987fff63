"""Synthetic `whale-categorization-playground.zip`: train.csv (`Image` = 8 hex + ".jpg", `Id` =
"new_whale" or "w_" + 7 hex; a long tail of whales seen once, as on Kaggle), sample_submission.csv
(five ids per test image), train/*.jpg and test/*.jpg small JPEGs. The sample submission's ids
w_1287fbc, w_98baff9, w_7554f44 and w_1eafe46 (Kaggle's most frequent whales) are among the ids."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.images import image_bytes

N_TRAIN, N_TEST = 300, 10
FREQUENT = ["w_1287fbc", "w_98baff9", "w_7554f44", "w_1eafe46"]


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    whales = FREQUENT + [f"w_{h}" for h in hex_ids_from_bytes(rng, 150, 7) if f"w_{h}" not in FREQUENT]
    weights = np.concatenate([[8, 6, 5, 5], 1 / (1 + np.arange(len(whales) - 4)) ** 0.5 * 3])
    n_new = int(N_TRAIN * 0.08)
    ids = ["new_whale"] * n_new + rng.choice(whales, N_TRAIN - n_new, p=weights / weights.sum()).tolist()
    images = [f"{h}.jpg" for h in hex_ids_from_bytes(rng, N_TRAIN + N_TEST, 8)]
    train = pd.DataFrame({"Image": images[:N_TRAIN], "Id": rng.permutation(ids)})
    train = train.sort_values("Image", kind="mergesort")  # Kaggle's train.csv is in image order
    sample = pd.DataFrame({"Image": sorted(images[N_TRAIN:]), "Id": "new_whale w_23a388d w_9b5109b w_9c506f6 w_0369a5c"})
    files: dict = {"sample_submission.csv": sample, "train.csv": train}
    for name in sample["Image"]:
        files[f"test/{name}"] = image_bytes(rng, 14, 8, "JPEG")
    for name in train["Image"]:
        files[f"train/{name}"] = image_bytes(rng, 14, 8, "JPEG")
    return write_zip(out_dir / "whale-categorization-playground.zip", files)
