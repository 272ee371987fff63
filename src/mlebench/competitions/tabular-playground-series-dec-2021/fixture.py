"""Synthetic `tabular-playground-series-dec-2021.zip`: train.csv, test.csv and
sample_submission.csv with Kaggle's 55 integer feature columns (forest cover-type features, four
wilderness-area and forty soil-type indicators), an integer `Id` and `Cover_Type` 1-7."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

NUMERIC = {
    "Elevation": (1800, 3900), "Aspect": (-30, 400), "Slope": (-3, 65),
    "Horizontal_Distance_To_Hydrology": (-80, 1500), "Vertical_Distance_To_Hydrology": (-300, 600),
    "Horizontal_Distance_To_Roadways": (-300, 7000), "Hillshade_9am": (0, 255),
    "Hillshade_Noon": (50, 255), "Hillshade_3pm": (0, 255),
    "Horizontal_Distance_To_Fire_Points": (-250, 7000),
}


def _rows(rng: np.random.Generator, ids: np.ndarray) -> pd.DataFrame:
    n = len(ids)
    df = pd.DataFrame({"Id": ids})
    for col, (lo, hi) in NUMERIC.items():
        df[col] = rng.integers(lo, hi, n)
    for i in range(1, 5):
        df[f"Wilderness_Area{i}"] = (rng.random(n) < 0.3).astype(int)
    for i in range(1, 41):
        df[f"Soil_Type{i}"] = (rng.random(n) < 0.05).astype(int) * (i not in (7, 15))
    return df


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = _rows(rng, np.arange(0, 400))
    train["Cover_Type"] = rng.choice(np.arange(1, 8), 400, p=[0.36, 0.56, 0.05, 0.005, 0.005, 0.01, 0.01])
    test = _rows(rng, np.arange(4000000, 4000150))
    sample = pd.DataFrame({"Id": test["Id"], "Cover_Type": 2})
    return write_zip(out_dir / "tabular-playground-series-dec-2021.zip", {
        "sample_submission.csv": sample, "test.csv": test, "train.csv": train,
    })
