"""The outcome of grading one submission. Its own light module (no pandas): the grading pool and
the CLI handle results without importing the graders' libraries."""

from __future__ import annotations

from dataclasses import dataclass

from mlebench.text import excerpt

# Reasons quote the submission (ids, values, library messages): bounded here, where every grade
# result is made, so that no report, log or terminal ever carries a 50 MB cell.
MAX_REASON_CHARS = 1000


@dataclass(frozen=True)
class GradeResult:
    score: float | None  # rounded as the reference reports it
    raw_score: float | None
    invalid_reason: str | None

    def __post_init__(self) -> None:
        if self.invalid_reason is not None:
            object.__setattr__(self, "invalid_reason", excerpt(self.invalid_reason, MAX_REASON_CHARS))

    @property
    def valid(self) -> bool:
        return self.invalid_reason is None
