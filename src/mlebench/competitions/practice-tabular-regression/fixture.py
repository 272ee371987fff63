"""`practice-tabular-regression.zip`: 1,200 synthetic patients drawn from a Gaussian copula fit
to scikit-learn's bundled diabetes data (442 patients, 10 baseline measurements in their original
units and the disease progression one year later), so that no practice row is a bundled one:
train.csv (1,000 rows with `progression`), test.csv (200 unlabelled rows) and
sample_submission.csv."""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.practice import (
    DATA_SEED,
    fit_copula,
    format_units,
    sample_copula,
    to_units,
)

COMPETITION_ID = "practice-tabular-regression"
N_LABELLED, N_UNLABELLED = 1000, 200
# Decimals each column is written with (as most bundled values are; s5 is a rounded log).
DECIMALS = {"age": 0, "sex": 0, "bmi": 1, "bp": 0, "s1": 0, "s2": 1, "s3": 0, "s4": 2, "s5": 4,
            "s6": 0, "progression": 0}


def synthetic_patients(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """`n` new rows (the 10 features and `progression`, as fixed-decimal text), drawn jointly
    from one copula so that the target keeps its relation to the features."""
    data = load_diabetes(scaled=False)
    table = np.column_stack([data.data, data.target])
    columns = [*data.feature_names, "progression"]
    units = np.column_stack([to_units(table[:, j], DECIMALS[c]) for j, c in enumerate(columns)])
    rows = sample_copula(fit_copula(units), n, rng)
    return pd.DataFrame({c: format_units(rows[:, j], DECIMALS[c]) for j, c in enumerate(columns)})


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    """`seed` is ignored: the practice data is fixed (see `_kit.practice`)."""
    rows = synthetic_patients(N_LABELLED + N_UNLABELLED, np.random.default_rng(DATA_SEED))
    rows.insert(0, "id", range(len(rows)))
    train, test = rows.iloc[:N_LABELLED], rows.iloc[N_LABELLED:].drop(columns="progression")
    sample = pd.DataFrame({"id": test["id"], "progression": 0.0})
    return write_zip(Path(out_dir) / f"{COMPETITION_ID}.zip", {
        "train.csv": train, "test.csv": test, "sample_submission.csv": sample,
    })
