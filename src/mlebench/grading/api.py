"""Grading and validation share one path: load the submission, load the answers, run the grader.

(The reference validates with a different loader than it grades with; here a submission that
validates is exactly a submission that grades.)
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlebench.errors import DatasetNotPreparedError, InvalidSubmissionError
from mlebench.grading.grader import GradeResult
from mlebench.grading.io import load_answers, load_submission, submission_caps
from mlebench.grading.report import CompetitionReport

if TYPE_CHECKING:
    from mlebench.registry import Competition

logger = logging.getLogger(__name__)


def _require_answers(competition: Competition) -> None:
    if not competition.answers.is_file():
        raise DatasetNotPreparedError(
            f"Dataset for competition '{competition.id}' is not prepared in "
            f"{competition.data_dir} (no answers file). Run `mlebench prepare -c {competition.id}`."
        )


def evaluate(submission_path: Path, competition: Competition, answers: Any = None) -> GradeResult:
    """Score one submission file. Never raises for a bad submission; raises
    `DatasetNotPreparedError` when the competition has no answers to grade against.

    The submission is untrusted: registry competitions are graded in a worker process with
    limits (`grading.isolated`), so that no file can stall or exhaust the caller. `answers`
    (already loaded by a trusted caller) selects grading in this process."""
    competition.require_implemented()
    competition.require_extras(for_grading=True)
    _require_answers(competition)
    if answers is None and _in_registry(competition):
        from mlebench.grading import isolated

        return isolated.evaluate(Path(submission_path), competition.id, competition.data_dir)
    return evaluate_in_process(Path(submission_path), competition, answers)


def _in_registry(competition: Competition) -> bool:
    from mlebench.registry import COMPETITIONS_DIR

    return competition.folder == COMPETITIONS_DIR / competition.id


def evaluate_in_process(submission_path: Path, competition: Competition,
                        answers: Any = None) -> GradeResult:
    """`evaluate` in this process: what the grading worker runs."""
    fast = competition.config.grading.reader == "fast"
    caps = submission_caps(competition.answers, competition.sample_submission)
    try:
        submission = load_submission(Path(submission_path), fast=fast, caps=caps)
    except InvalidSubmissionError as e:
        return GradeResult(None, None, str(e))
    if answers is None:  # the fast reader's text columns are Arrow's: the answers' are too
        answers = load_answers(competition.answers, arrow_text=fast)
    return competition.grader.grade(submission, answers)


def validate_submission(submission: Path, competition: Competition) -> tuple[bool, str]:
    """Reference-compatible validation: `(is_valid, message)`, never a score."""
    result = evaluate(Path(submission), competition)
    if result.valid:
        return True, "Submission is valid."
    return False, f"Submission invalid! {result.invalid_reason}"


def grade_csv(path_to_submission: Path, competition: Competition) -> CompetitionReport:
    """Grade one submission CSV and place it on the competition's private leaderboard."""
    from mlebench.data.assets import AssetUnavailableError, load_leaderboard
    from mlebench.data.prepare import read_prepared_manifest

    path = Path(path_to_submission)
    result = evaluate(path, competition)
    notes: list[str] = []
    manifest = read_prepared_manifest(competition) or {}
    synthetic = bool(manifest.get("synthetic", False))
    rank: dict[str, Any] = {}
    lb_sha = None
    if manifest.get("variant", "v1") != "v1":
        notes.append(f"Variant {manifest['variant']}: data with known leaks removed; never compare "
                     "with v1 (reference) results.")
    if synthetic:
        notes.append(
            "Synthetic data: the score is not comparable with Kaggle's leaderboard, so no medals "
            "are awarded."
        )
    else:
        try:
            leaderboard, lb_sha = load_leaderboard(competition)
            rank = competition.grader.rank_score(result.score, leaderboard)
        except AssetUnavailableError as e:
            notes.append(f"No medals: {e}")
    if result.invalid_reason:
        logger.warning("Invalid submission for %s: %s", competition.id, result.invalid_reason)
    medal_flags = ("gold_medal", "silver_medal", "bronze_medal")
    any_medal = any(rank[k] for k in medal_flags) if rank else None
    return CompetitionReport(
        competition_id=competition.id,
        score=result.score,
        gold_threshold=rank.get("gold_threshold"),
        silver_threshold=rank.get("silver_threshold"),
        bronze_threshold=rank.get("bronze_threshold"),
        median_threshold=rank.get("median_threshold"),
        any_medal=any_medal,
        gold_medal=rank.get("gold_medal"),
        silver_medal=rank.get("silver_medal"),
        bronze_medal=rank.get("bronze_medal"),
        above_median=rank.get("above_median"),
        # lexists: a link or special file "exists" (and is refused); it is never followed here.
        submission_exists=os.path.lexists(path) and path.suffix.lower() == ".csv",
        valid_submission=result.valid,
        is_lower_better=competition.lower_is_better,
        created_at=datetime.now(),
        submission_path=str(path),
        rank=rank.get("rank"),
        percentile=rank.get("percentile"),
        leaderboard_teams=rank.get("leaderboard_teams"),
        leaderboard_sha256=lb_sha,
        task_version=competition.version,
        invalid_reason=result.invalid_reason,
        synthetic=synthetic,
        variant=str(manifest.get("variant", "v1")),
        notes=notes,
    )
