"""Shared helpers for the image-competition tests (aptos2019, denoising, invasive-species, paddy,
plant-seedlings, ranzcr): checksums of prepared trees and grading a DataFrame through the CSV path."""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import py7zr

from mlebench.grade import grade_csv


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def archive_digest(path: Path) -> str:
    """md5 over the (name, content) of each member of a .zip or .7z, independent of timestamps."""
    with tempfile.TemporaryDirectory() as tmp:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                zf.extractall(tmp)
        else:
            with py7zr.SevenZipFile(path) as archive:
                archive.extractall(tmp)
        return tree_digest(Path(tmp))


def tree_digest(root: Path, pattern: str = "**/*") -> str:
    """md5 over sorted `relative/path md5` lines of every file matching `pattern` under `root`."""
    lines = sorted(f"{p.relative_to(root).as_posix()} {md5(p)}" for p in root.glob(pattern) if p.is_file())
    return hashlib.md5("\n".join(lines).encode()).hexdigest()


def grade_df(competition, df: pd.DataFrame, tmp_path: Path):
    path = tmp_path / "submission.csv"
    df.to_csv(path, index=False)
    return grade_csv(path, competition)


def raw_score(competition, df: pd.DataFrame, tmp_path: Path) -> float | None:
    """The unrounded score of `df` (None when invalid)."""
    from mlebench.grading.api import evaluate

    path = tmp_path / "submission.csv"
    df.to_csv(path, index=False)
    return evaluate(path, competition).raw_score


def assert_reference_digests(root: Path, files: dict[str, str], trees: dict[str, str]) -> None:
    """The prepared files (md5) and folders (`tree_digest`) under `root` are the ones recorded
    from the reference's preparation of the same fixture."""
    assert {k: md5(root / k) for k in files} == files
    assert {k: tree_digest(root / k) for k in trees} == trees
