"""Synthetic `kuzushiji-recognition.zip`: train.csv (`image_id`, `labels` = "U+XXXX x y w h ..."),
unicode_translation.csv (`Unicode`, `char`), sample_submission.csv, and train_images.zip /
test_images.zip holding flat `<image_id>.jpg` page scans (tiny noisy JPEGs here)."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.images import image_bytes

N_TRAIN, N_TEST = 60, 12
PAGE_W, PAGE_H = 2400, 3600  # labels use the real pages' pixel range


def _image_ids(rng: np.random.Generator, n: int, start: int) -> list[str]:
    ids = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            ids.append(f"{100241706 + start + i}_{int(rng.integers(1, 60)):05d}")
        elif kind == 1:
            ids.append(f"{200003076 + start + i}_{int(rng.integers(1, 60)):05d}_{int(rng.integers(1, 3))}")
        else:
            ids.append(f"umgy{int(rng.integers(1, 20)):03d}-{start + i:03d}")
    return ids


def _labels(rng: np.random.Generator, codes: list[str]) -> str:
    parts = []
    for _ in range(int(rng.integers(1, 9))):
        w, h = int(rng.integers(20, 160)), int(rng.integers(20, 160))
        x, y = int(rng.integers(0, PAGE_W - w)), int(rng.integers(0, PAGE_H - h))
        parts.append(f"{rng.choice(codes)} {x} {y} {w} {h}")
    return " ".join(parts)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    chars = [chr(c) for c in range(0x3042, 0x3042 + 40)]
    codes = [f"U+{ord(c):04X}" for c in chars]
    translation = pd.DataFrame({"Unicode": codes, "char": chars})
    train_ids = _image_ids(rng, N_TRAIN, 0)
    test_ids = _image_ids(rng, N_TEST, 500)
    train = pd.DataFrame({"image_id": train_ids, "labels": [_labels(rng, codes) for _ in train_ids]})
    sample = pd.DataFrame({"image_id": test_ids, "labels": "U+003F 1 1 U+FF2F 2 2"})

    def images(ids: list[str]) -> bytes:
        return zip_bytes({f"{i}.jpg": image_bytes(rng, 12, 18, "JPEG") for i in ids})

    return write_zip(out_dir / "kuzushiji-recognition.zip", {
        "sample_submission.csv": sample,
        "test_images.zip": images(test_ids),
        "train.csv": train,
        "train_images.zip": images(train_ids),
        "unicode_translation.csv": translation,
    })
