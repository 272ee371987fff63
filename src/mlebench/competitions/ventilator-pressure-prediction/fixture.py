"""Synthetic `ventilator-pressure-prediction.zip`: train.csv (id, breath_id, R, C, time_step, u_in,
u_out, pressure), test.csv and sample_submission.csv, like Kaggle's download. Every breath has 80
time steps about 0.033 s apart; the valve opens (u_out = 1) after about a second; pressures lie on
Kaggle's discrete grid; breath ids increase with gaps."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

STEPS = 80
N_TRAIN_BREATHS, N_TEST_BREATHS = 30, 4
P_MIN, P_STEP = -1.895744294564641, 0.07030214545121005


def _breaths(rng: np.random.Generator, breath_ids: np.ndarray, first_id: int) -> pd.DataFrame:
    n = len(breath_ids)
    dt = 0.0331 + rng.random((n, STEPS)) * 0.0008
    dt[:, 0] = 0.0
    time_step = np.cumsum(dt, axis=1)
    opens = rng.integers(28, 33, n)[:, None]
    u_out = (np.arange(STEPS)[None, :] >= opens).astype(int)
    u_in = np.where(u_out == 0, rng.random((n, STEPS)) * rng.uniform(5, 60, (n, 1)), rng.random((n, STEPS)) * 5)
    return pd.DataFrame({
        "id": np.arange(first_id, first_id + n * STEPS),
        "breath_id": np.repeat(breath_ids, STEPS),
        "R": np.repeat(rng.choice([5, 20, 50], n), STEPS),
        "C": np.repeat(rng.choice([10, 20, 50], n), STEPS),
        "time_step": time_step.ravel(),
        "u_in": u_in.ravel(),
        "u_out": u_out.ravel(),
    })


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    all_ids = np.cumsum(rng.integers(1, 4, N_TRAIN_BREATHS + N_TEST_BREATHS))
    test_ids = np.sort(rng.choice(all_ids, N_TEST_BREATHS, replace=False))
    train = _breaths(rng, np.setdiff1d(all_ids, test_ids), first_id=1)
    level = np.clip(np.round((5 + 0.25 * train["u_in"].to_numpy() + rng.normal(0, 2, len(train)) - P_MIN) / P_STEP),
                    0, 950)
    train["pressure"] = P_MIN + level * P_STEP
    test = _breaths(rng, test_ids, first_id=1)
    sample = pd.DataFrame({"id": test["id"], "pressure": 0})
    return write_zip(out_dir / "ventilator-pressure-prediction.zip", {
        "sample_submission.csv": sample, "test.csv": test, "train.csv": train,
    })
