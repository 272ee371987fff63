import pandas as pd

from mlebench.metrics.geo_haversine import mean_trip_haversine_error


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    return mean_trip_haversine_error(submission, answers)
