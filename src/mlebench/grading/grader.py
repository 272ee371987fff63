"""`Grader`: a competition's metric function plus the reference's rounding and medal ranking."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.grading import medals
from mlebench.grading.explain import explain_grading_error
from mlebench.grading.result import GradeResult

logger = logging.getLogger(__name__)

SCORE_DECIMALS = 5  # the reference reports scores rounded to 5 decimals


class Grader:
    def __init__(
        self,
        name: str,
        grade_fn: Callable[[Any, Any], float],
        lower_is_better: bool | None = None,
    ) -> None:
        if not name:
            raise ValueError("Grader name cannot be empty.")
        self.name = name
        self.grade_fn = grade_fn
        self.lower_is_better = lower_is_better

    def grade(self, submission: pd.DataFrame, answers: Any) -> GradeResult:
        """Score a loaded submission; any failure becomes an invalid result with its reason."""
        try:
            raw = self.grade_fn(submission, answers)
        except InvalidSubmissionError as e:
            return GradeResult(None, None, str(e) or "Invalid submission.")
        except Exception as e:  # the reference also treats any grader exception as invalid
            logger.debug("grader %s raised", self.name, exc_info=True)
            return GradeResult(None, None, explain_grading_error(submission, answers, e))
        try:
            raw = float(raw)
        except (TypeError, ValueError):
            return GradeResult(None, None, f"Grader returned a non-numeric score: {raw!r}")
        if math.isnan(raw):
            # The reference reports NaN scores as they come (e.g. a constant Pearson prediction).
            return GradeResult(raw, raw, None)
        return GradeResult(round(raw, SCORE_DECIMALS), raw, None)

    def __call__(self, submission: pd.DataFrame, answers: Any) -> float | None:
        """Reference-compatible: the rounded score, or None for an invalid submission."""
        return self.grade(submission, answers).score

    def is_lower_better(self, leaderboard: pd.DataFrame) -> bool:
        return medals.is_lower_better(leaderboard)

    def rank_score(self, score: float | None, leaderboard: pd.DataFrame) -> dict:
        return medals.rank_score(score, leaderboard)

    def __repr__(self) -> str:
        return f"Grader(name={self.name!r})"
