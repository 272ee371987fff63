"""A perfect submission built from the private answers (for pipeline checks, never for agents)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mlebench.errors import DatasetNotPreparedError, MLEBenchError
from mlebench.tables import read_csv

if TYPE_CHECKING:
    from mlebench.registry import Competition


def write_gold_submission(competition: Competition, out: Path) -> Path:
    """Answers restricted to the sample submission's columns, in its row order.

    Works for competitions whose answers share the submission's columns (most of them); others
    get a clear error.
    """
    if not competition.answers.is_file() or not competition.sample_submission.is_file():
        raise DatasetNotPreparedError(
            f"'{competition.id}' is not prepared; run `mlebench prepare -c {competition.id}`."
        )
    if competition.answers.suffix != ".csv":
        raise MLEBenchError(f"'{competition.id}' has non-CSV answers; no generic gold submission.")
    sample = read_csv(competition.sample_submission)
    answers = read_csv(competition.gold_submission)
    id_col = sample.columns[0]
    missing = [c for c in sample.columns if c not in answers.columns]
    if missing:
        raise MLEBenchError(
            f"'{competition.id}' answers lack the submission column(s) {missing}; "
            "no generic gold submission."
        )
    gold = answers.set_index(id_col).loc[sample[id_col], list(sample.columns[1:])].reset_index()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    gold.to_csv(out, index=False)
    return out
