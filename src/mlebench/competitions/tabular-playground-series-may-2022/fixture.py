"""Synthetic `tabular-playground-series-may-2022.zip`: train.csv, test.csv and
sample_submission.csv with Kaggle's columns (`id`, float features f_00-f_06, f_19-f_26, f_28,
integer counts f_07-f_18, the 10-letter code f_27, the small categoricals f_29 and f_30, and a
0/1 `target`). The preparer holds out exactly 100,000 rows, so train.csv has 100,240 rows: this
fixture is small in columns of text, not in rows (about 20 MB of CSV, written in about two
seconds)."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_fast_zip

N_TRAIN, N_TEST = 100_240, 200
LETTERS = np.array(list("ABCDEFGHIJKLMNOPQRST"))


def _rows(rng: np.random.Generator, ids: np.ndarray) -> pd.DataFrame:
    n = len(ids)
    cols: dict[str, np.ndarray] = {"id": ids}
    for i in range(7):
        cols[f"f_{i:02d}"] = np.round(rng.normal(0, 1, n), 6)
    for i in range(7, 19):
        cols[f"f_{i:02d}"] = rng.poisson(2, n)
    for i in range(19, 27):
        cols[f"f_{i:02d}"] = np.round(rng.normal(0, 2, n), 6)
    letters = LETTERS[rng.integers(0, 20, (n, 10))]
    cols["f_27"] = np.ascontiguousarray(letters).view("<U10").ravel()
    cols["f_28"] = np.round(rng.normal(0, 240, n), 6)
    cols["f_29"] = rng.integers(0, 2, n)
    cols["f_30"] = rng.integers(0, 3, n)
    return pd.DataFrame(cols)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = _rows(rng, np.arange(N_TRAIN))
    signal = train["f_00"] + 0.5 * train["f_21"] - 0.3 * train["f_29"]
    train["target"] = (signal + rng.normal(0, 1, N_TRAIN) > 0).astype(int)
    test = _rows(rng, np.arange(900_000, 900_000 + N_TEST))
    sample = pd.DataFrame({"id": test["id"], "target": 0.5})
    return write_fast_zip(out_dir / "tabular-playground-series-may-2022.zip", {
        name: df.to_csv(index=False)
        for name, df in [("sample_submission.csv", sample), ("test.csv", test), ("train.csv", train)]
    })
