"""Synthetic `playground-series-s3e18.zip`: train.csv (31 molecular descriptors + EC1-EC6 binary
labels), test.csv and sample_submission.csv with Kaggle's columns and integer ids."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

# (name, low, high, integer-valued)
FEATURES = [
    ("BertzCT", 0, 1500, False), ("Chi1", 0, 20, False), ("Chi1n", 0, 15, False),
    ("Chi1v", 0, 15, False), ("Chi2n", 0, 12, False), ("Chi2v", 0, 12, False),
    ("Chi3v", 0, 10, False), ("Chi4n", 0, 8, False), ("EState_VSA1", 0, 100, False),
    ("EState_VSA2", 0, 50, False), ("ExactMolWt", 30, 900, False),
    ("FpDensityMorgan1", 0.2, 2, False), ("FpDensityMorgan2", 0.3, 3, False),
    ("FpDensityMorgan3", 0.4, 3.5, False), ("HallKierAlpha", -6, 1, False),
    ("HeavyAtomMolWt", 20, 800, False), ("Kappa3", 0, 30, False),
    ("MaxAbsEStateIndex", 0, 18, False), ("MinEStateIndex", -8, 2, False),
    ("NumHeteroatoms", 0, 30, True), ("PEOE_VSA10", 0, 60, False), ("PEOE_VSA14", 0, 40, False),
    ("PEOE_VSA6", 0, 100, False), ("PEOE_VSA7", 0, 100, False), ("PEOE_VSA8", 0, 60, False),
    ("SMR_VSA10", 0, 60, False), ("SMR_VSA5", 0, 100, False), ("SlogP_VSA3", 0, 40, False),
    ("VSA_EState9", -10, 80, False), ("fr_COO", 0, 4, True), ("fr_COO2", 0, 4, True),
]
LABELS = ["EC1", "EC2", "EC3", "EC4", "EC5", "EC6"]


def _features(rng: np.random.Generator, ids: np.ndarray) -> pd.DataFrame:
    n = len(ids)
    df = pd.DataFrame({"id": ids})
    for name, low, high, integer in FEATURES:
        if integer:
            df[name] = rng.integers(int(low), int(high) + 1, n)
        else:
            df[name] = np.round(rng.uniform(low, high, n), int(rng.integers(3, 10)))
    return df


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = _features(rng, np.arange(300))
    for label, rate in zip(LABELS, [0.67, 0.8, 0.3, 0.25, 0.15, 0.2], strict=True):
        train[label] = (rng.random(300) < rate).astype(int)
    test = _features(rng, np.arange(300, 420))
    sample = pd.DataFrame({"id": test["id"], "EC1": 0.5, "EC2": 0.5})
    return write_zip(out_dir / "playground-series-s3e18.zip", {
        "sample_submission.csv": sample, "test.csv": test, "train.csv": train,
    })
