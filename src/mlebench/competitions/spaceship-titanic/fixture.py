"""Synthetic `spaceship-titanic.zip`: train.csv, test.csv and sample_submission.csv with Kaggle's
columns, id format (`gggg_pp`), categories and missing values."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import random_names

PLANETS = ["Earth", "Europa", "Mars"]
DESTINATIONS = ["TRAPPIST-1e", "PSO J318.5-22", "55 Cancri e"]
SPEND = ["RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck"]


def _passengers(rng: np.random.Generator, n: int, first_group: int) -> pd.DataFrame:
    ids, group = [], first_group
    while len(ids) < n:
        for member in range(1, int(rng.integers(1, 4)) + 1):
            ids.append(f"{group:04d}_{member:02d}")
        group += 1
    ids = ids[:n]
    cryo = rng.random(n) < 0.35
    df = pd.DataFrame({
        "PassengerId": ids,
        "HomePlanet": rng.choice(PLANETS, n),
        "CryoSleep": cryo,
        "Cabin": [f"{rng.choice(list('ABCDEFG'))}/{rng.integers(0, 1900)}/{rng.choice(['P', 'S'])}"
                  for _ in range(n)],
        "Destination": rng.choice(DESTINATIONS, n),
        "Age": rng.integers(0, 80, n).astype(float),
        "VIP": rng.random(n) < 0.03,
    })
    for col in SPEND:
        df[col] = np.where(cryo, 0.0, np.round(rng.exponential(300, n) * (rng.random(n) < 0.4)))
    df["Name"] = random_names(rng, n)
    df = df.astype({c: object for c in ["HomePlanet", "CryoSleep", "Cabin", "Destination", "VIP", "Name"]})
    for col in ["HomePlanet", "CryoSleep", "Cabin", "Destination", "Age", "VIP", *SPEND, "Name"]:
        df.loc[rng.random(n) < 0.02, col] = np.nan
    return df


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = _passengers(rng, 300, first_group=1)
    spend = train[SPEND].fillna(0).sum(axis=1)
    cryo = train["CryoSleep"].eq(True).to_numpy()  # NaN counts as awake
    train["Transported"] = cryo | ((spend < 200).to_numpy() & (rng.random(300) < 0.6))
    test = _passengers(rng, 120, first_group=9000)
    sample = pd.DataFrame({"PassengerId": test["PassengerId"], "Transported": False})
    return write_zip(out_dir / "spaceship-titanic.zip", {
        "train.csv": train, "test.csv": test, "sample_submission.csv": sample,
    })
