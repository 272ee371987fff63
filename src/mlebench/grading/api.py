"""Grading and validation share one path: load the submission, load the answers, run the grader.

(The reference validates with a different loader than it grades with; here a submission that
validates is exactly a submission that grades.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlebench.errors import DatasetNotPreparedError, InvalidSubmissionError
from mlebench.grading import isolated
from mlebench.grading.io import load_answers, load_submission, submission_caps
from mlebench.grading.result import GradeResult
from mlebench.memory import release_free_heap

if TYPE_CHECKING:
    from mlebench.registry import Competition


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
    if answers is None and competition.in_registry:
        return isolated.evaluate(Path(submission_path), competition.id, competition.data_dir)
    return evaluate_in_process(Path(submission_path), competition, answers)


def evaluate_in_process(submission_path: Path, competition: Competition,
                        answers: Any = None) -> GradeResult:
    """`evaluate` in this process: what the grading worker runs."""
    reader = competition.config.grading.reader
    fast, nulls = reader in ("fast", "arrow"), reader == "arrow"
    caps = submission_caps(competition.answers, competition.sample_submission)
    try:
        submission = load_submission(Path(submission_path), fast=fast, caps=caps, text_nulls=nulls)
    except InvalidSubmissionError as e:
        return GradeResult(None, None, str(e))
    release_free_heap()  # the bytes and Arrow table read, before the answers' objects are made
    if answers is None:  # the fast reader's text columns are Arrow's: the answers' are too
        answers = load_answers(competition.answers, arrow_text=fast, text_nulls=nulls)
    return competition.grader.grade(submission, answers)


def validate_submission(submission: Path, competition: Competition) -> tuple[bool, str]:
    """Reference-compatible validation: `(is_valid, message)`, never a score."""
    result = evaluate(Path(submission), competition)
    if result.valid:
        return True, "Submission is valid."
    return False, f"Submission invalid! {result.invalid_reason}"


def warm_answers_cache(competition: Competition) -> None:
    """Parse a freshly prepared competition's answers once, so that its first grading is as fast
    as the next ones (what `mlebench prepare` does after preparing)."""
    try:
        load_answers(competition.answers)
        # the submission caps scan the answers' lines (0.5 s at 13M rows): cached beside them too
        submission_caps(competition.answers, competition.sample_submission)
    except (OSError, ValueError):
        pass
