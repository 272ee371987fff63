"""Shared checks for the competitions' tests: invalid-submission sweeps, common mutations,
digests of prepared files."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ._image_helpers import archive_digest, grade_df, md5


def prepared_digests(competition, names) -> dict[str, str]:
    """md5 of each prepared file (zips by member names and contents, independent of timestamps)."""
    root = competition.prepared_dir
    return {n: archive_digest(root / n) if n.endswith(".zip") else md5(root / n) for n in names}


def grade_fn(cid: str) -> Callable[[pd.DataFrame, pd.DataFrame], float]:
    return importlib.import_module(f"mlebench.competitions.{cid}.grade").grade


def assert_all_invalid(competition, base: pd.DataFrame, mutations: dict, tmp_path: Path) -> None:
    for name, mutate in mutations.items():
        report = grade_df(competition, mutate(base), tmp_path)
        assert report.valid_submission is False and report.invalid_reason, name


def common_invalid(id_col: str, target: str, unknown_id) -> dict:
    """Mutations every grader here rejects: missing columns, wrong row counts, bad ids, NaN, text."""
    return {
        "no-target": lambda d: d.drop(columns=[target]),
        "no-id": lambda d: d.drop(columns=[id_col]),
        "short": lambda d: d.iloc[:-1],
        "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
        "duplicate-id": lambda d: d.assign(**{id_col: [d[id_col].iloc[1], *d[id_col].iloc[1:]]}),
        "unknown-id": lambda d: d.assign(**{id_col: [unknown_id, *d[id_col].iloc[1:]]}),
        "nan": lambda d: d.assign(**{target: [None, *d[target].iloc[1:]]}),
        "text": lambda d: d.assign(**{target: ["x", *d[target].iloc[1:]]}),
        "empty": lambda d: d.iloc[:0],
    }


def probability_invalid(target: str) -> dict:
    return {
        "above-one": lambda d: d.assign(**{target: [1.5, *d[target].iloc[1:]]}),
        "negative": lambda d: d.assign(**{target: [-0.1, *d[target].iloc[1:]]}),
    }
