import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.signal_edit_distance import sequence_edit_error_rate


def _sequences(column: pd.Series) -> list[list[int]]:
    return [[int(token) for token in text.split()] for text in column.astype(str)]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    if len(submission) != len(answers):
        raise InvalidSubmissionError(
            f"Submission has {len(submission)} rows; expected one per test sample ({len(answers)})."
        )
    for column in ("Id", "Sequence"):
        if column not in submission.columns:
            raise InvalidSubmissionError(f"Submission is missing the '{column}' column.")
    submission = submission.sort_values("Id")
    answers = answers.sort_values("Id")
    if (submission["Id"].to_numpy() != answers["Id"].to_numpy()).any():
        raise InvalidSubmissionError("Submission Ids must be exactly the test sample Ids.")
    truth = _sequences(answers["Sequence"])
    try:
        predicted = _sequences(submission["Sequence"])
    except ValueError as err:
        raise InvalidSubmissionError(
            f"Each Sequence must be gesture numbers separated by spaces: {err}"
        ) from err
    return sequence_edit_error_rate(truth, predicted)
