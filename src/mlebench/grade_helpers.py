"""Reference-compatible import location of the grading helpers."""

from mlebench.errors import InvalidSubmissionError
from mlebench.grading.grader import Grader
from mlebench.grading.report import CompetitionReport

__all__ = ["CompetitionReport", "Grader", "InvalidSubmissionError"]
