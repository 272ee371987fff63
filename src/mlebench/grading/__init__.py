"""Grading: submission loading, metrics dispatch, medals and reports.

The names below are loaded on first use, so that importing a light part of the package
(`grading.result`, `grading.isolated`) does not import pandas."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CompetitionReport": "mlebench.grading.report",
    "GradeResult": "mlebench.grading.result",
    "Grader": "mlebench.grading.grader",
    "InvalidSubmissionError": "mlebench.errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
