"""Probabilistic F-beta and Kaggle-style vote KL divergence (mlebench.metrics.probabilistic)."""

import math

import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.probabilistic import (
    kl_divergence_from_arrays,
    probabilistic_f1,
    probabilistic_fbeta_from_arrays,
    vote_kl_divergence,
)

VOTES = ["a", "b", "c"]


def test_fbeta_worked_example_and_edge_cases():
    # tp = 1.0, fp = 0.4 -> precision 1/1.4, recall 0.5 -> F1 = 10/17.
    assert probabilistic_fbeta_from_arrays([1, 0, 1], [0.8, 0.4, 0.2]) == pytest.approx(10 / 17)
    # F2 of the same: 5pr / (4p + r) with p = 5/7, r = 1/2 -> (25/14) / (20/7 + 1/2) = 25/47.
    assert probabilistic_fbeta_from_arrays([1, 0, 1], [0.8, 0.4, 0.2], beta=2) == pytest.approx(25 / 47)
    assert probabilistic_fbeta_from_arrays([1, 0], [0.0, 0.0]) == 0.0  # no probability mass
    assert probabilistic_fbeta_from_arrays([0, 0], [0.5, 0.5]) == 0.0  # no positive row
    assert probabilistic_fbeta_from_arrays([1, 0], [7.0, -3.0]) == 1.0  # clipped to [0, 1]


def test_probabilistic_f1_alignment_and_refusals():
    answers = pd.DataFrame({"id": ["x", "y", "z"], "t": [1, 0, 1]})
    sub = pd.DataFrame({"id": ["z", "x", "y"], "t": [0.2, 0.8, 0.4]})
    assert probabilistic_f1(sub, answers, "id", "t") == pytest.approx(10 / 17)
    for bad in (sub.assign(t=[np.nan, 0.8, 0.4]), sub.assign(t=["?", 0.8, 0.4]), sub.iloc[:2],
                sub.assign(id=["z", "z", "y"])):
        with pytest.raises(InvalidSubmissionError):
            probabilistic_f1(bad, answers, "id", "t")


def test_kl_worked_example_and_integer_columns():
    assert kl_divergence_from_arrays([[0.5, 0.5, 0.0]], [[0.25, 0.25, 0.5]]) == pytest.approx(math.log(2))
    # An unclipped 0 against a positive target is infinite; clipped it is large but finite.
    assert kl_divergence_from_arrays([[1.0, 0.0]], [[0.0, 1.0]], clip_columns=[False, True]) == math.inf
    assert kl_divergence_from_arrays([[1.0, 0.0]], [[0.0, 1.0]]) == pytest.approx(-math.log(1e-15))


def test_vote_kl_divergence_pairs_by_id_and_validates():
    answers = pd.DataFrame([[2, 1, 1, 0], [1, 0, 0, 4]], columns=["id", *VOTES])
    sub = pd.DataFrame([[1, 0.0, 0.5, 0.5], [2, 0.25, 0.25, 0.5]], columns=["id", *VOTES])
    # id 2: (0.5, 0.5, 0) vs (0.25, 0.25, 0.5) -> log 2; id 1: c = 1 vs 0.5 -> log 2.
    assert vote_kl_divergence(sub, answers, "id", VOTES) == pytest.approx(math.log(2))
    bad = {
        "sum": sub.assign(a=[0.1, 0.25]),
        "nan": sub.assign(a=[np.nan, 0.25]),
        "bool": sub.assign(a=[False, False], b=[True, False], c=[False, True]),
        "ids": sub.assign(id=[1, 3]),
        "extra": sub.assign(x=0.5),
    }
    for name, frame in bad.items():
        with pytest.raises(InvalidSubmissionError):
            vote_kl_divergence(frame, answers, "id", VOTES)
        assert name
