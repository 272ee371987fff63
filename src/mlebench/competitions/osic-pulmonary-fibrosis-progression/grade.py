import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.tabular_laplace import laplace_log_likelihood


def _graded_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """The measured visits among each test patient's three latest weeks (the rows Kaggle scored)."""
    measured = answers.dropna(subset=["FVC"]).copy()
    measured["Week_Number"] = measured["Patient_Week"].map(lambda pw: int(pw.split("_")[-1]))
    return measured.sort_values("Week_Number").groupby("Patient").tail(3).drop(columns=["Week_Number"])


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    for column in ("Patient_Week", "FVC", "Confidence"):
        if column not in submission.columns:
            raise InvalidSubmissionError(f"Submission is missing the '{column}' column.")
    known = set(answers["Patient_Week"])
    unknown = [pw for pw in submission["Patient_Week"] if pw not in known]
    if unknown:
        raise InvalidSubmissionError(f"Unknown Patient_Week values in the submission, e.g. {unknown[:3]}.")
    for column in ("FVC", "Confidence"):
        if not pd.api.types.is_numeric_dtype(submission[column]):
            raise InvalidSubmissionError(f"Column '{column}' must be numeric.")
    submission = submission.assign(Confidence=submission["Confidence"].fillna(0))

    graded = _graded_answers(answers)
    # Only the graded weeks count; weeks the submission leaves out are simply not scored, and a
    # missing FVC prediction makes the score NaN (both as in the reference).
    submission = submission[submission["Patient_Week"].isin(graded["Patient_Week"])]
    submission = submission.sort_values(by="Patient_Week")
    graded = graded.sort_values(by="Patient_Week")
    truth = graded.loc[graded["Patient_Week"].isin(submission["Patient_Week"]), "FVC"].to_numpy()
    if len(truth) != len(submission):
        raise InvalidSubmissionError("Submission has duplicate rows for a scored Patient_Week.")
    return laplace_log_likelihood(truth, submission["FVC"].to_numpy(), submission["Confidence"].to_numpy())
