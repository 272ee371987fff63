"""Synthetic `seti-breakthrough-listen.zip`: train_labels.csv (`id` 15 hex chars, `target` 0/1),
sample_submission.csv (`id`, `target` 0.5), train/<id[0]>/<id>.npy and test/<id[0]>/<id>.npy
cadences (float16, 6 x time x frequency; Kaggle's are 6 x 273 x 256, here 6 x 4 x 8), and the
`old_leaky_data/` folder of the first release (its own labels, sample submission and cadences)."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.arrays import npy_bytes
from mlebench.competitions._kit.ids import hex_ids_from_bytes

N_TRAIN, N_TEST, N_OLD = 200, 30, 6


def _cadence(rng: np.random.Generator) -> bytes:
    return npy_bytes(rng.normal(0, 1, (6, 4, 8)).astype(np.float16))


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = [i[:15] for i in hex_ids_from_bytes(rng, N_TRAIN + N_TEST + 2 * N_OLD)]
    train_ids = sorted(ids[:N_TRAIN])
    test_ids = sorted(ids[N_TRAIN:N_TRAIN + N_TEST])
    old_train, old_test = ids[-2 * N_OLD:-N_OLD], ids[-N_OLD:]
    labels = pd.DataFrame({"id": train_ids, "target": (rng.random(N_TRAIN) < 0.1).astype(int)})
    files: dict = {
        "old_leaky_data/sample_submission_old.csv": pd.DataFrame({"id": old_test, "target": 0.5}),
        "old_leaky_data/train_labels_old.csv": pd.DataFrame({"id": old_train, "target": [0, 1] * 3}),
        "sample_submission.csv": pd.DataFrame({"id": test_ids, "target": 0.5}),
        "train_labels.csv": labels,
    }
    for i in old_test:
        files[f"old_leaky_data/test_old/{i[0]}/{i}.npy"] = _cadence(rng)
    for i in old_train:
        files[f"old_leaky_data/train_old/{i[0]}/{i}.npy"] = _cadence(rng)
    for i in test_ids:
        files[f"test/{i[0]}/{i}.npy"] = _cadence(rng)
    for i in train_ids:
        files[f"train/{i[0]}/{i}.npy"] = _cadence(rng)
    return write_zip(out_dir / "seti-breakthrough-listen.zip", files)
