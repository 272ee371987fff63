"""Synthetic `tgs-salt-identification-challenge.zip`: top-level `train.csv` (`id` 10 hex chars,
`rle_mask` empty for salt-free images), `depths.csv` (`id`, `z`, for train and test images),
`sample_submission.csv` (`id`, `rle_mask` "1 1"), `train.zip` (`images/`, `masks/`), `test.zip`
(`images/`), and `competition_data.zip` holding the same under `competition_data/` (the copy the
preparer reads). Images and masks are 101x101 8-bit grayscale PNGs like Kaggle's."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import stable_zip_bytes, write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.images import png_bytes
from mlebench.metrics.rle import rle_encode

N_TRAIN, N_TEST, SIZE = 80, 12, 101


def _mask(rng: np.random.Generator) -> np.ndarray:
    """Empty, a band from the bottom (salt bodies), or the whole image."""
    kind = rng.choice(["empty", "band", "full"], p=[0.35, 0.55, 0.1])
    mask = np.zeros((SIZE, SIZE), dtype=bool)
    if kind == "full":
        mask[:] = True
    elif kind == "band":
        top = int(rng.integers(10, 95))
        mask[top:, int(rng.integers(0, 40)):int(rng.integers(60, SIZE + 1))] = True
    return mask


def _seismic(rng: np.random.Generator) -> bytes:
    rows = (np.sin(np.arange(SIZE) / rng.uniform(2, 6)) * 60 + 128).astype(np.uint8)
    return png_bytes(np.repeat(rows[:, None], SIZE, axis=1))


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids_from_bytes(rng, N_TRAIN + N_TEST, length=10)
    train_ids, test_ids = sorted(ids[:N_TRAIN]), sorted(ids[N_TRAIN:])
    images, masks, rles = {}, {}, []
    for i in train_ids:
        mask = _mask(rng)
        rles.append(rle_encode(mask) or None)
        images[f"{i}.png"] = _seismic(rng)
        masks[f"{i}.png"] = png_bytes(mask.astype(np.uint8) * 255)
    test_images = {f"{i}.png": _seismic(rng) for i in test_ids}
    train = pd.DataFrame({"id": train_ids, "rle_mask": rles})
    depth_ids = list(rng.permutation(ids))
    depths = pd.DataFrame({"id": depth_ids, "z": rng.integers(51, 960, len(ids))})
    sample = pd.DataFrame({"id": test_ids, "rle_mask": "1 1"})

    def tree(prefix: str) -> dict:
        out: dict = {}
        out.update({f"{prefix}train/images/{k}": v for k, v in images.items()})
        out.update({f"{prefix}train/masks/{k}": v for k, v in masks.items()})
        out.update({f"{prefix}test/images/{k}": v for k, v in test_images.items()})
        return out

    competition_data = {"competition_data/depths.csv": depths,
                        "competition_data/sample_submission.csv": sample,
                        "competition_data/train.csv": train, **tree("competition_data/")}
    return write_zip(out_dir / "tgs-salt-identification-challenge.zip", {
        "competition_data.zip": stable_zip_bytes(competition_data),
        "depths.csv": depths,
        "sample_submission.csv": sample,
        "test.zip": stable_zip_bytes({f"images/{k}": v for k, v in test_images.items()}),
        "train.csv": train,
        "train.zip": stable_zip_bytes({**{f"images/{k}": v for k, v in images.items()},
                                       **{f"masks/{k}": v for k, v in masks.items()}}),
    })
