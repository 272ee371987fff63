"""Grading: submission loading, metrics dispatch, medals and reports."""

from mlebench.errors import InvalidSubmissionError
from mlebench.grading.grader import Grader, GradeResult
from mlebench.grading.report import CompetitionReport

__all__ = ["CompetitionReport", "GradeResult", "Grader", "InvalidSubmissionError"]
