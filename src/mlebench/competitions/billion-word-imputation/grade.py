import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.signal_edit_distance import mean_levenshtein


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    for column in ("id", "sentence"):
        if column not in submission.columns:
            raise InvalidSubmissionError(f"Submission is missing the '{column}' column.")
    if len(submission) != len(answers):
        raise InvalidSubmissionError(
            f"Submission has {len(submission)} rows; expected one per test sentence ({len(answers)})."
        )
    submission = submission.sort_values("id").reset_index(drop=True)
    answers = answers.sort_values("id").reset_index(drop=True)
    if (submission["id"].to_numpy() != answers["id"].to_numpy()).any():
        raise InvalidSubmissionError("Submission ids must be exactly the test ids.")
    predicted = submission["sentence"].tolist()
    all_text = pd.api.types.infer_dtype(predicted, skipna=False) == "string"  # one C pass
    bad = [] if all_text else [
        i for i, text in zip(submission["id"], predicted, strict=True) if not isinstance(text, str)]
    if bad:
        raise InvalidSubmissionError(f"Every sentence must be text; ids {bad[:5]} are empty or not text.")
    return mean_levenshtein(answers["sentence"].tolist(), predicted)
