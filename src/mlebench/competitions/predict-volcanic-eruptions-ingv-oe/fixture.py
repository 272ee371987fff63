"""Synthetic `predict-volcanic-eruptions-ingv-oe.zip`: train.csv (`segment_id`,
`time_to_eruption`), sample_submission.csv (same columns, 0 for every test segment), and one signal
file per segment in train/ and test/ (`<segment_id>.csv` with columns sensor_1..sensor_10 holding
integer readings; a sensor that recorded nothing is an empty column). Real files have 60,001 rows;
these have 24."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

N_TRAIN, N_TEST, N_ROWS = 60, 8, 24
SENSORS = [f"sensor_{i}" for i in range(1, 11)]


def _segment(rng: np.random.Generator) -> str:
    readings = rng.normal(0, 400, size=(N_ROWS, len(SENSORS))).round().astype(np.int64).astype(str)
    readings[:, rng.random(len(SENSORS)) < 0.1] = ""  # a silent sensor: every reading missing
    return ",".join(SENSORS) + "\n" + "".join(",".join(row) + "\n" for row in readings)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = np.unique(rng.integers(513_181, 2_147_135_600, N_TRAIN + N_TEST))
    assert len(ids) == N_TRAIN + N_TEST
    ids = rng.permutation(ids)
    train_ids, test_ids = ids[:N_TRAIN], ids[N_TRAIN:]
    train = pd.DataFrame({"segment_id": train_ids, "time_to_eruption": rng.integers(6_250, 49_046_088, N_TRAIN)})
    files: dict = {
        "sample_submission.csv": pd.DataFrame({"segment_id": test_ids, "time_to_eruption": 0}),
        "train.csv": train,
    }
    for sid in test_ids:
        files[f"test/{sid}.csv"] = _segment(rng)
    for sid in train_ids:
        files[f"train/{sid}.csv"] = _segment(rng)
    return write_zip(out_dir / "predict-volcanic-eruptions-ingv-oe.zip", files)
