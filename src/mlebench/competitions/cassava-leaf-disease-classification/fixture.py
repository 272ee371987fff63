"""Synthetic `cassava-leaf-disease-classification.zip`: train.csv (`image_id` like "1000015157.jpg",
`label` 0-4), sample_submission.csv (one test image, label 4), label_num_to_disease_map.json,
train_images/*.jpg, test_images/2216849948.jpg, and TFRecord shards holding the same images:
train_tfrecords/ld_train00-<n>.tfrec ... ld_train15-<n>.tfrec (16 shards as on Kaggle, <n> = the
shard's record count) and test_tfrecords/ld_test00-1.tfrec. Each record is a tf.train.Example with
`image` (JPEG bytes), `image_name` and `target`."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.images import image_bytes
from mlebench.data.tfrecord import encode_example, frame

N_SHARDS = 16
LABEL_MAP = {
    "0": "Cassava Bacterial Blight (CBB)",
    "1": "Cassava Brown Streak Disease (CBSD)",
    "2": "Cassava Green Mottle (CGM)",
    "3": "Cassava Mosaic Disease (CMD)",
    "4": "Healthy",
}
TEST_IMAGE = "2216849948.jpg"


def _shard(names: list[str], labels: list[int], images: dict[str, bytes]) -> bytes:
    return b"".join(
        frame(encode_example({"image": images[n], "image_name": n, "target": int(t)}))
        for n, t in zip(names, labels, strict=True)
    )


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(10, 16, N_SHARDS)
    n = int(sizes.sum())
    numbers = list(dict.fromkeys(rng.integers(1_000_000, 4_300_000_000, 2 * n).tolist()))
    names = [f"{x}.jpg" for x in numbers if f"{x}.jpg" != TEST_IMAGE][:n]
    labels = rng.choice(5, n, p=[0.05, 0.1, 0.11, 0.62, 0.12]).tolist()
    images = {name: image_bytes(rng, 12, 9, "JPEG") for name in names + [TEST_IMAGE]}

    # Kaggle's train.csv lists images in name order, not shard order.
    train = pd.DataFrame({"image_id": names, "label": labels}).sort_values("image_id", kind="mergesort")
    files: dict = {
        "label_num_to_disease_map.json": json.dumps(LABEL_MAP),
        "sample_submission.csv": pd.DataFrame({"image_id": [TEST_IMAGE], "label": [4]}),
        f"test_images/{TEST_IMAGE}": images[TEST_IMAGE],
        "test_tfrecords/ld_test00-1.tfrec": _shard([TEST_IMAGE], [0], images),
        "train.csv": train,
    }
    start = 0
    for i, size in enumerate(sizes):
        part = slice(start, start + int(size))
        start += int(size)
        files[f"train_tfrecords/ld_train{i:02d}-{size}.tfrec"] = _shard(names[part], labels[part], images)
    for name in train["image_id"]:
        files[f"train_images/{name}"] = images[name]
    return write_zip(out_dir / "cassava-leaf-disease-classification.zip", files)
