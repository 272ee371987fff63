"""NumPy arrays as files (`.npy`) for synthetic downloads."""

from __future__ import annotations

import io

import numpy as np


def npy_bytes(array: np.ndarray) -> bytes:
    """`array` saved in NumPy's `.npy` format."""
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()
