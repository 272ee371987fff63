"""Synthetic `new-york-city-taxi-fare-prediction.zip`: train.csv, test.csv, sample_submission.csv
and GCP-Coupons-Instructions.rtf, with Kaggle's columns and formats (`key` = pickup time plus a
fractional suffix, `pickup_datetime` like "2009-06-15 17:26:21 UTC", fares like "4.5"/"52",
coordinates with up to 6 decimals, some zero coordinates and a few missing drop-offs).

The preparer holds out exactly 9,914 rows, so train.csv needs more than that: the fixture has
12,000 (written vectorised; well under a second). `taxi_rows` is reused by the benchmark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

N_TRAIN = 12_000
N_TEST = 300
RTF = (
    "{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Helvetica;}}\n"
    "\\f0\\fs24 Google Cloud Platform coupons: follow the instructions on the competition page "
    "to request credits.\\par\n}\n"
)
START = np.datetime64("2009-01-01T00:00:00")
SPAN_S = 6 * 365 * 24 * 3600


def _coords(rng: np.random.Generator, n: int, centre: float, spread: float) -> np.ndarray:
    values = np.round(centre + rng.normal(0, spread, n), 6)
    values[rng.random(n) < 0.02] = 0.0  # Kaggle's data has many (0, 0) positions
    return values


def taxi_rows(rng: np.random.Generator, n: int, first: int = 0, labelled: bool = True) -> pd.DataFrame:
    """`n` rows in Kaggle's train.csv (or, unlabelled, test.csv) layout."""
    stamps = (START + rng.integers(0, SPAN_S, n).astype("timedelta64[s]")).astype(str)
    stamps = np.char.replace(stamps, "T", " ")
    suffix = np.char.zfill((np.arange(first, first + n) % 9_999_999 + 1).astype(str), 7)
    df = pd.DataFrame({"key": np.char.add(np.char.add(stamps, "."), suffix)})
    if labelled:
        fares = np.round(np.maximum(2.5, rng.gamma(2.0, 5.5, n)), 1)
        whole = rng.random(n) < 0.3
        fares[whole] = np.round(fares[whole])  # written without decimals, e.g. "52"
        df["fare_amount"] = pd.Series(fares).map("{:g}".format)
    df["pickup_datetime"] = np.char.add(stamps, " UTC")
    df["pickup_longitude"] = _coords(rng, n, -73.975, 0.04)
    df["pickup_latitude"] = _coords(rng, n, 40.751, 0.03)
    df["dropoff_longitude"] = _coords(rng, n, -73.974, 0.04)
    df["dropoff_latitude"] = _coords(rng, n, 40.751, 0.03)
    if labelled:
        missing = rng.random(n) < 0.001
        df.loc[missing, ["dropoff_longitude", "dropoff_latitude"]] = np.nan
    df["passenger_count"] = rng.choice([0, 1, 1, 1, 1, 2, 3, 5, 6], n)
    return df


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = taxi_rows(rng, N_TRAIN)
    test = taxi_rows(rng, N_TEST, first=N_TRAIN, labelled=False)
    sample = pd.DataFrame({"key": test["key"], "fare_amount": 11.35})
    return write_zip(out_dir / "new-york-city-taxi-fare-prediction.zip", {
        "GCP-Coupons-Instructions.rtf": RTF,
        "sample_submission.csv": sample,
        "test.csv": test,
        "train.csv": train,
    })
