"""Synthetic `iwildcam-2019-fgvc6.zip` as Kaggle ships it: train.csv (category_id, date_captured,
file_name, frame_num, id, location, rights_holder, seq_id, seq_num_frames, width, height), test.csv
(the same without category_id), sample_submission.csv (`Id`, `Predicted`), and train_images.zip /
test_images.zip holding flat `<id>.jpg` members. Ids are UUID-1 strings like Kaggle's
(`5998cfa4-23d2-11e8-a6a3-ec086b02610b`); locations are ints; train categories are the 14 classes
Kaggle's train.csv uses. As in Kaggle's file, some images have two annotation rows (same id): here one per location."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.images import image_bytes

N_TRAIN, N_TEST = 240, 12
CATEGORIES = [0, 1, 3, 4, 8, 10, 11, 13, 14, 16, 17, 18, 19, 22]
HOLDERS = ["Justin Brown", "Erin Boydston"]


def _image_id(rng: np.random.Generator) -> str:
    return f"{int(rng.integers(0x58000000, 0x5b000000)):08x}-23d2-11e8-a6a3-ec086b02610b"


def _seq_id(rng: np.random.Generator) -> str:
    node = bytes(rng.integers(0, 256, 2, dtype=np.uint8)).hex()
    return f"{int(rng.integers(0x6f000000, 0x70000000)):08x}-5567-11e8-{node}-dca9047ef277"


def _images(rng: np.random.Generator, n: int, locations: np.ndarray) -> pd.DataFrame:
    ids: list[str] = []
    while len(ids) < n:
        new = _image_id(rng)
        if new not in ids:
            ids.append(new)
    frames = rng.integers(1, 4, n)
    big = rng.random(n) < 0.2
    return pd.DataFrame({
        "date_captured": [pd.Timestamp(int(s), unit="s").strftime("%Y-%m-%d %H:%M:%S")
                          for s in rng.integers(1_290_000_000, 1_440_000_000, n)],
        "file_name": [f"{i}.jpg" for i in ids],
        "frame_num": [int(rng.integers(1, f + 1)) for f in frames],
        "id": ids,
        "location": rng.choice(locations, n),
        "rights_holder": rng.choice(HOLDERS, n),
        "seq_id": [_seq_id(rng) for _ in range(n)],
        "seq_num_frames": frames,
        "width": np.where(big, 2048, 1024),
        "height": np.where(big, 1494, 747),
    })


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = _images(rng, N_TRAIN, rng.choice(np.arange(0, 138), 30, replace=False))
    weights = np.r_[8.0, np.ones(len(CATEGORIES) - 1)]
    train.insert(0, "category_id", rng.choice(CATEGORIES, N_TRAIN, p=weights / weights.sum()))
    # one image per location annotated twice: a second row with the same image, another category
    extra = train.drop_duplicates("location").copy()
    extra["category_id"] = rng.choice(CATEGORIES[1:], len(extra))
    train = pd.concat([train, extra]).sample(frac=1, random_state=seed).reset_index(drop=True)
    test = _images(rng, N_TEST, rng.choice(np.arange(200, 300), 3, replace=False))
    train_images = {f"{i}.jpg": image_bytes(rng, 16, 12, "JPEG") for i in train["id"].unique()}
    test_images = {f"{i}.jpg": image_bytes(rng, 16, 12, "JPEG") for i in test["id"]}
    return write_zip(out_dir / "iwildcam-2019-fgvc6.zip", {
        "sample_submission.csv": pd.DataFrame({"Id": test["id"], "Predicted": 0}),
        "test.csv": test,
        "test_images.zip": zip_bytes(test_images),
        "train.csv": train,
        "train_images.zip": zip_bytes(train_images),
    })
