import pandas as pd

from mlebench.metrics import auc_roc


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    return auc_roc(submission, answers, id_column="BraTS21ID", target_column="MGMT_value")
