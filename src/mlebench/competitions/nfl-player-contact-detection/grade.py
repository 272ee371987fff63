import pandas as pd

from mlebench.metrics.mcc import matthews_correlation


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    return matthews_correlation(submission, answers, id_column="contact_id", target_column="contact")
