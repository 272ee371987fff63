import pandas as pd

from mlebench.metrics.probabilistic import vote_kl_divergence

VOTE_COLUMNS = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    # Answers are private/test.csv (raw vote counts, one row per labelled window); the metric
    # turns each row's votes into a distribution before comparing.
    return vote_kl_divergence(submission, answers, id_column="eeg_id", vote_columns=VOTE_COLUMNS)
