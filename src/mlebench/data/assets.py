"""A competition's private leaderboard, read from its pinned upstream snapshot (`mlebench.upstream`)
or, for a practice competition, from the file it ships."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from mlebench.upstream import AssetUnavailableError, fetch_asset
from mlebench.utils import file_digest

if TYPE_CHECKING:
    from mlebench.registry import Competition


def load_leaderboard(competition: Competition) -> tuple[pd.DataFrame, str]:
    """The private leaderboard (sorted best first) and its sha256."""
    if competition.is_practice:
        path = competition.leaderboard
        if not path.is_file():
            raise AssetUnavailableError(f"The practice leaderboard {path} is missing.")
    else:
        if not competition.config.awards_medals and not competition.config.upstream.leaderboard_sha256:
            raise AssetUnavailableError("This competition has no leaderboard snapshot.")
        path = fetch_asset(competition.id, "leaderboard", competition.config.upstream.leaderboard_sha256)
    df = pd.read_csv(path)
    if "score" not in df.columns or df.empty:
        raise AssetUnavailableError(f"Leaderboard {path} has no scores.")
    return df, file_digest(path, "sha256")
