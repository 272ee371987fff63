"""Synthetic `google-research-identify-contrails-reduce-global-warming.zip`, laid out like Kaggle's:
`train/<record_id>/` holds `band_08.npy` .. `band_16.npy` (float32 brightness temperatures,
H x W x 8 time steps), `human_individual_masks.npy` (int32, H x W x 1 x R, one layer per labeller)
and `human_pixel_masks.npy` (int32, H x W x 1, set where more than half the labellers marked a
contrail); `validation/<record_id>/` has the bands and the pixel mask only; `test/<record_id>/`
the bands only. `train_metadata.json` and `validation_metadata.json` are one-line JSON lists of
records (projection bounds, timestamp, `record_id` as a string); `sample_submission.csv` has
`record_id,encoded_pixels`. Record ids are 19-digit numbers, as on Kaggle (some exceed the int64
range, so pandas reads them as uint64). Images are 16 x 16 pixels instead of 256 x 256."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.arrays import npy_bytes

N_TRAIN, N_VALIDATION, N_TEST = 30, 6, 2
SIZE, TIMES = 16, 8  # Kaggle: 256 x 256 pixels, 4 frames before and 3 after the labelled one
BANDS = [f"band_{b:02d}.npy" for b in range(8, 17)]
PROJECTION = ('PROJCS["synthetic geostationary",GEOGCS["GRS 1980",DATUM["unknown",'
              'SPHEROID["GRS80",6378137,298.257222101]],PRIMEM["Greenwich",0],'
              'UNIT["degree",0.0174532925199433]],PROJECTION["Geostationary_Satellite"],'
              'PARAMETER["central_meridian",-75],PARAMETER["satellite_height",35786023],'
              'UNIT["metre",1]]')


def _record_ids(rng: np.random.Generator, n: int) -> list[str]:
    ids: set[int] = set()
    while len(ids) < n:
        ids.add(int(rng.integers(1, 10)) * 10**18 + int(rng.integers(0, 10**18)))
    return [str(i) for i in sorted(ids)]


def _bands(rng: np.random.Generator) -> dict[str, bytes]:
    base = rng.uniform(215, 290)
    return {name: npy_bytes(rng.normal(base - 3 * k, 4, (SIZE, SIZE, TIMES)).astype(np.float32))
            for k, name in enumerate(BANDS)}


def _annotations(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(individual masks H x W x 1 x R, pixel mask H x W x 1), int32 zeros and ones."""
    labellers = int(rng.integers(4, 7))
    contrail = np.zeros((SIZE, SIZE), dtype=bool)
    if rng.random() < 0.6:  # many records have no contrail at all
        for _ in range(int(rng.integers(1, 3))):
            # a thin straight streak entering from the left edge
            row, slope = rng.uniform(2, SIZE - 2), rng.uniform(-0.6, 0.6)
            cols = np.arange(int(rng.integers(SIZE // 2, SIZE + 1)))
            rows = np.clip(np.round(row + slope * cols).astype(int), 0, SIZE - 1)
            contrail[rows, cols] = True
    individual = np.zeros((SIZE, SIZE, 1, labellers), dtype=np.int32)
    for r in range(labellers):
        marked = contrail & (rng.random((SIZE, SIZE)) < 0.8)
        marked |= np.roll(contrail, 1, axis=0) & (rng.random((SIZE, SIZE)) < 0.15)
        individual[:, :, 0, r] = marked
    pixel = (individual.mean(axis=-1) > 0.5).astype(np.int32)
    return individual, pixel


def _metadata(rng: np.random.Generator, record_id: str) -> dict:
    return {
        "row_min": round(float(rng.uniform(-3.5e6, -1.0e6)), 2),
        "row_size": round(float(rng.uniform(1990, 2030)), 3),
        "col_min": round(float(rng.uniform(-2.5e6, 1.5e6)), 2),
        "col_size": round(float(rng.uniform(1990, 2030)), 3),
        "timestamp": float(1554076800 + 600 * int(rng.integers(0, 52560))),
        "projection_wkt": PROJECTION,
        "record_id": record_id,
    }


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = _record_ids(rng, N_TRAIN + N_VALIDATION + N_TEST)
    order = rng.permutation(len(ids))
    train_ids = sorted(ids[i] for i in order[:N_TRAIN])
    validation_ids = sorted(ids[i] for i in order[N_TRAIN:N_TRAIN + N_VALIDATION])
    test_ids = sorted(ids[i] for i in order[N_TRAIN + N_VALIDATION:])
    folders: dict[str, bytes] = {}
    for split, split_ids in (("train", train_ids), ("validation", validation_ids),
                             ("test", test_ids)):
        for record_id in split_ids:
            for name, content in _bands(rng).items():
                folders[f"{split}/{record_id}/{name}"] = content
            if split == "test":
                continue
            individual, pixel = _annotations(rng)
            if split == "train":
                folders[f"{split}/{record_id}/human_individual_masks.npy"] = npy_bytes(individual)
            folders[f"{split}/{record_id}/human_pixel_masks.npy"] = npy_bytes(pixel)
    train_meta = [_metadata(rng, i) for i in train_ids]
    validation_meta = [_metadata(rng, i) for i in validation_ids]
    sample = pd.DataFrame({"record_id": test_ids,
                           "encoded_pixels": ["1 1 5 1", "-"] * (N_TEST // 2) + ["-"] * (N_TEST % 2)})
    files: dict[str, bytes | str | pd.DataFrame] = {
        "sample_submission.csv": sample,
        "train_metadata.json": json.dumps(train_meta),
        "validation_metadata.json": json.dumps(validation_meta),
    }
    files.update(sorted(folders.items()))
    return write_zip(out_dir / "google-research-identify-contrails-reduce-global-warming.zip", files)
