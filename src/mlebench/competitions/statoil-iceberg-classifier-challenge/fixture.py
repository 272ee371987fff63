"""Synthetic `statoil-iceberg-classifier-challenge.zip`, packaged like Kaggle's: `train.json.7z` and
`test.json.7z` (each holding `data/processed/<name>.json`, a JSON list of records with `id` (8 hex
digits), `band_1`/`band_2` (75x75 = 5625 dB values), `inc_angle` (degrees, or "na" for some
training records) and, in train, `is_iceberg` 0/1) and `sample_submission.csv.7z`."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import stable_7z_bytes, write_zip
from mlebench.competitions._kit.ids import hex_ids

PIXELS = 75 * 75
N_TRAIN, N_TEST = 25, 5


def _records(rng: np.random.Generator, ids: list[str], labelled: bool, seed: int = 0) -> list[dict]:
    records = []
    for i, sample_id in enumerate(ids):
        # Alternating labels: the preparer's hold-out of 25 records (indices 5, 2, 19, 16, 11)
        # then has both classes for every seed, as log loss requires.
        iceberg = (i + seed) % 2
        level = -22.0 if iceberg else -25.0
        record = {
            "id": sample_id,
            # 2 decimals keep the fixture small; Kaggle's values carry full float precision.
            "band_1": np.round(rng.normal(level, 4.0, PIXELS), 2).tolist(),
            "band_2": np.round(rng.normal(level - 2.5, 3.0, PIXELS), 2).tolist(),
            "inc_angle": float(np.round(rng.uniform(30.0, 46.0), 4)),
        }
        if labelled:
            if rng.random() < 0.08:
                record["inc_angle"] = "na"
            record["is_iceberg"] = iceberg
        records.append(record)
    return records


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids(rng, N_TRAIN + N_TEST, 8)
    train = _records(rng, ids[:N_TRAIN], labelled=True, seed=seed)
    test = _records(rng, ids[N_TRAIN:], labelled=False)
    sample = pd.DataFrame({"id": ids[N_TRAIN:], "is_iceberg": 0.5}).to_csv(index=False).encode()
    return write_zip(out_dir / "statoil-iceberg-classifier-challenge.zip", {
        "sample_submission.csv.7z": stable_7z_bytes({"sample_submission.csv": sample}, store=True),
        "test.json.7z": stable_7z_bytes({"data/processed/test.json": json.dumps(test).encode()}, store=True),
        "train.json.7z": stable_7z_bytes({"data/processed/train.json": json.dumps(train).encode()}, store=True),
    })
