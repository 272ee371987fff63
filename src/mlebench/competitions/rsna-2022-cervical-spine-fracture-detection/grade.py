import pandas as pd

from mlebench.metrics.multilabel_log_loss import melted_weighted_log_loss

TARGETS = ["patient_overall", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]
# Kaggle's weights: a positive label counts twice a negative one; patient_overall counts 7x a vertebra.
NEGATIVE_WEIGHTS = [7, 1, 1, 1, 1, 1, 1, 1]
POSITIVE_WEIGHTS = [14, 2, 2, 2, 2, 2, 2, 2]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    return melted_weighted_log_loss(
        submission, answers, id_column="row_id", target_column="fractured", labels=TARGETS,
        negative_weights=NEGATIVE_WEIGHTS, positive_weights=POSITIVE_WEIGHTS,
    )
