import pandas as pd

from mlebench.metrics.column_rmse import mean_column_wise_rmse

SCORED = ["reactivity", "deg_Mg_pH10", "deg_Mg_50C"]
UNSCORED = ["deg_pH10", "deg_50C"]  # required in the submission (as on Kaggle), never scored


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    return mean_column_wise_rmse(submission, answers, id_column="id_seqpos", target_columns=SCORED,
                                 scored_column="keep", required_columns=UNSCORED)
