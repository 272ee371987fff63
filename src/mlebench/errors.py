"""Exceptions that carry a message meant for the user (the CLI prints them as one line)."""

from mlebench.text import excerpt


class MLEBenchError(Exception):
    """A user-facing error: bad input, missing data, missing credentials."""


class UnknownCompetitionError(MLEBenchError, KeyError):
    def __init__(self, competition_id: str, suggestions: list[str]):
        self.competition_id = competition_id
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown competition id '{excerpt(competition_id, 100)}'.{hint}")

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.args[0]


class NotImplementedCompetitionError(MLEBenchError):
    """The competition is in the registry but its preparer/grader is not implemented yet."""


class DatasetNotPreparedError(MLEBenchError):
    pass


class InvalidSubmissionError(Exception):
    """The submission cannot be graded; the message says why (shown to the user and the agent)."""
