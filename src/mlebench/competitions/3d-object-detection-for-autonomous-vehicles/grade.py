import pandas as pd

from mlebench.metrics.detection_3d import lyft_mean_average_precision


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    return lyft_mean_average_precision(submission, answers, id_column="Id", prediction_column="PredictionString")
