import pandas as pd

from mlebench.competitions._kit.text_normalization import grade_text_normalization


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    return grade_text_normalization(submission, answers)
