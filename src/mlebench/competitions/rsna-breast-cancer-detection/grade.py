import pandas as pd

from mlebench.metrics.probabilistic import probabilistic_f1


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    # Kaggle's metric for this competition: probabilistic F-beta with beta = 1.
    return probabilistic_f1(submission, answers, id_column="prediction_id", target_column="cancer", beta=1.0)
