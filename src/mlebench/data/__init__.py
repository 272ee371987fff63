"""Data: downloads, leaderboards, checksums and preparation jobs (the pinned upstream assets
themselves are fetched by `mlebench.upstream`).

Reference-compatible names: `download_and_prepare_dataset`, `is_dataset_prepared`,
`get_leaderboard`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pandas as pd

from mlebench.data.assets import load_leaderboard
from mlebench.data.prepare import is_dataset_prepared, prepare_competition

if TYPE_CHECKING:
    from mlebench.registry import Competition

__all__ = ["download_and_prepare_dataset", "get_leaderboard", "is_dataset_prepared",
           "prepare_competition"]


def download_and_prepare_dataset(
    competition: Competition,
    keep_raw: bool = True,
    overwrite_checksums: bool = False,
    overwrite_leaderboard: bool = False,
    skip_verification: bool = False,
) -> None:
    """Reference-compatible: download from Kaggle (if needed) and prepare the competition."""
    outcome = prepare_competition(competition, keep_raw=keep_raw, force=overwrite_checksums)
    if outcome.checksum_problems and not skip_verification:
        log = logging.getLogger(__name__)
        for problem in outcome.checksum_problems:
            log.warning("%s: %s", competition.id, problem)


def get_leaderboard(competition: Competition) -> pd.DataFrame:
    return load_leaderboard(competition)[0]
