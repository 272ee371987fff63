"""Synthetic `hotel-id-2021-fgvc8.zip`: train.csv (`image` = 16 hex + ".jpg", `chain` int,
`hotel_id` int, `timestamp` "YYYY-MM-DD HH:MM:SS"), sample_submission.csv (Kaggle's test image,
five hotel ids), train_images/<chain>/<image> and test_images/<image> small JPEGs. As on Kaggle,
image ce27d36c9147cc19.jpg is listed twice (under two chains); the preparer drops it."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.images import image_bytes

N_TRAIN = 300
DUPLICATE = "ce27d36c9147cc19.jpg"
TEST_IMAGE = "99e91ad5f2870678.jpg"


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    hotels = rng.choice(np.arange(10, 100_000), 60, replace=False)
    hotel_chain = dict(zip(hotels.tolist(), rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 13, 27, 44, 87], 60).tolist(), strict=True))
    images = [f"{h}.jpg" for h in hex_ids_from_bytes(rng, N_TRAIN, 16) if f"{h}.jpg" != DUPLICATE][: N_TRAIN - 2]
    hotel = rng.choice(hotels, N_TRAIN - 2).tolist()
    seconds = rng.integers(1_450_000_000, 1_620_000_000, N_TRAIN)
    stamps = pd.to_datetime(seconds, unit="s").strftime("%Y-%m-%d %H:%M:%S")
    rows = pd.DataFrame({
        "image": images + [DUPLICATE, DUPLICATE],
        "chain": [hotel_chain[h] for h in hotel] + [5, 13],
        "hotel_id": hotel + [int(hotels[0]), int(hotels[1])],
        "timestamp": stamps,
    })
    train = rows.iloc[rng.permutation(len(rows))].sort_values("hotel_id", kind="mergesort")
    files: dict = {
        "sample_submission.csv": pd.DataFrame({"image": [TEST_IMAGE], "hotel_id": ["36363 53586 18807 64314 60181"]}),
        f"test_images/{TEST_IMAGE}": image_bytes(rng, 12, 9, "JPEG"),
        "train.csv": train,
    }
    for image, chain in zip(train["image"], train["chain"], strict=True):
        files[f"train_images/{chain}/{image}"] = image_bytes(rng, 12, 9, "JPEG")
    return write_zip(out_dir / "hotel-id-2021-fgvc8.zip", files)
