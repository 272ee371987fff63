"""Helpers for writing synthetic Kaggle downloads (see each competition's `fixture.py`)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
SYLLABLES = ["ka", "ro", "mi", "lu", "ten", "sa", "vor", "el", "dri", "qua", "fen", "ost"]


def random_names(rng: np.random.Generator, n: int) -> list[str]:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES, int(rng.integers(2, 4)))).capitalize()

    return [f"{word()} {word()}" for _ in range(n)]


def hex_ids(rng: np.random.Generator, n: int, length: int) -> list[str]:
    """`n` distinct random lowercase hex strings of `length` characters."""
    digits = np.array(list("0123456789abcdef"))
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        s = "".join(digits[rng.integers(0, 16, length)])
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def to_bytes(content: pd.DataFrame | bytes | str) -> bytes:
    if isinstance(content, pd.DataFrame):
        return content.to_csv(index=False).encode()
    if isinstance(content, str):
        return content.encode()
    return content


def zip_bytes(files: Mapping[str, pd.DataFrame | bytes | str]) -> bytes:
    """An in-memory zip of `{archive name: DataFrame (written as CSV) | bytes | str}` (for
    competitions that ship zips inside the download zip)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            # A fixed timestamp keeps fixtures byte-for-byte reproducible.
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o644 << 16
            zf.writestr(info, b"" if name.endswith("/") else to_bytes(content))
    return buf.getvalue()


def write_zip(path: Path, files: Mapping[str, pd.DataFrame | bytes | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(files))
    return path


def write_fast_zip(path: Path | str, files: Mapping[str, pd.DataFrame | bytes | str]) -> Path:
    """Like `write_zip` (fixed timestamps) with the fastest deflate level, for downloads holding
    large CSV texts or many thousands of small files."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, to_bytes(content), compresslevel=1)
    return path
