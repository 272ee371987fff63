"""Table and split helpers shared by preparers (one-hot labels, a stratified split of items)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sklearn.model_selection import train_test_split


def one_hot(df: pd.DataFrame, id_column: str, target_column: str, classes: Sequence[str]) -> pd.DataFrame:
    """`id_column` plus one int64 0/1 column per class (in `classes` order), keeping df's index."""
    out = pd.DataFrame(0, index=df.index, columns=[id_column, *classes])
    out[id_column] = df[id_column]
    unknown = set(df[target_column]) - set(classes)
    if unknown:
        raise ValueError(f"Labels outside the class list: {sorted(unknown)[:5]}")
    for cls in classes:
        out[cls] = (df[target_column] == cls).astype("int64")
    return out


def split_category(items: list, test_size: float) -> tuple[list, list]:
    """The reference's per-category split of the FGVC image competitions: a single image stays in
    train; 2-4 put their last `max(1, int(n * test_size))` in test; larger categories use
    scikit-learn's `train_test_split(test_size=test_size, random_state=0)`."""
    n = len(items)
    if n == 1:
        return items, []
    if n < 5:
        k = max(1, int(n * test_size))
        return items[:-k], items[-k:]
    return train_test_split(items, test_size=test_size, random_state=0)
