"""`practice-tabular-classification.zip`: 1,200 synthetic tumours drawn from a Gaussian copula
fit, per class, to scikit-learn's bundled Wisconsin breast cancer data (569 tumours, 30 numeric
features), so that no practice row is a bundled one: train.csv (1,000 rows with the `malignant`
label), test.csv (200 unlabelled rows) and sample_submission.csv, like a Kaggle tabular download."""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.practice import (
    DATA_SEED,
    decimals_of,
    fit_copula,
    format_units,
    sample_copula,
    snake_case,
    to_units,
)

COMPETITION_ID = "practice-tabular-classification"
N_LABELLED, N_UNLABELLED = 1000, 200


def synthetic_tumours(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """`n` new rows (features as fixed-decimal text, then `malignant`), malignant at the
    bundled rate, each drawn from its class's copula."""
    data = load_breast_cancer()
    decimals = [decimals_of(data.data[:, j]) for j in range(data.data.shape[1])]
    units = np.column_stack([to_units(data.data[:, j], d) for j, d in enumerate(decimals)])
    malignant = (data.target == 0).astype(int)  # sklearn codes malignant as 0, benign as 1
    labels = np.zeros(n, dtype=int)
    labels[:int(round(n * malignant.mean()))] = 1
    labels = rng.permutation(labels)
    rows = np.empty((n, len(decimals)), dtype=np.int64)
    for label in (0, 1):
        copula = fit_copula(units[malignant == label])
        rows[labels == label] = sample_copula(copula, int((labels == label).sum()), rng)
    table = pd.DataFrame({snake_case(name): format_units(rows[:, j], decimals[j], significant=4)
                          for j, name in enumerate(data.feature_names)})
    return table.assign(malignant=labels)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    """`seed` is ignored: the practice data is fixed (see `_kit.practice`)."""
    rows = synthetic_tumours(N_LABELLED + N_UNLABELLED, np.random.default_rng(DATA_SEED))
    rows.insert(0, "id", range(len(rows)))
    train, test = rows.iloc[:N_LABELLED], rows.iloc[N_LABELLED:].drop(columns="malignant")
    sample = pd.DataFrame({"id": test["id"], "malignant": 0.5})
    return write_zip(Path(out_dir) / f"{COMPETITION_ID}.zip", {
        "train.csv": train, "test.csv": test, "sample_submission.csv": sample,
    })
