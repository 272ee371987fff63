"""Unit tests of the edit-distance, log-MAE, Laplace log-likelihood and angular-error metrics,
each on its documented hand-computed example."""

import math

import numpy as np
import pytest

from mlebench.metrics.signal_angular import mean_angular_error
from mlebench.metrics.signal_edit_distance import mean_levenshtein, sequence_edit_error_rate
from mlebench.metrics.tabular_laplace import laplace_log_likelihood
from mlebench.metrics.tabular_log_mae import group_mean_log_mae


def test_mean_levenshtein_hand_computed():
    # " sat" deleted: 4 edits; identical pair: 0 -> 2.0.
    assert mean_levenshtein(["the cat sat", "a b"], ["the cat", "a b"]) == 2.0
    assert mean_levenshtein(["kitten"], ["sitting"]) == 3.0  # k->s, e->i, +g
    with pytest.raises(ValueError):
        mean_levenshtein(["a"], [])


def test_mean_levenshtein_of_arrow_text_over_several_chunks_is_the_reference_mean():
    """Past one chunk of pairs (65,536), with either side in Arrow memory or a pandas column: the
    mean the reference takes of its per-pair distances, to the last bit."""
    import random

    import pandas as pd
    import pyarrow as pa
    from Levenshtein import distance

    rng = random.Random(1)
    n = 150_001
    truth = ["".join(rng.choice("CHNO=/()123") for _ in range(rng.randint(0, 12))) for _ in range(n)]
    predicted = [t[: rng.randint(0, len(t))] + rng.choice(["", "x", "éé"]) for t in truth]
    expected = float(np.mean([distance(t, p) for t, p in zip(truth, predicted, strict=True)]))
    arrow_truth = pa.chunked_array([pa.array(truth[:70_000], pa.large_string()),
                                    pa.array(truth[70_000:], pa.large_string())])
    arrow_predicted = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(predicted, pa.string())))
    assert mean_levenshtein(truth, predicted) == expected
    assert mean_levenshtein(arrow_truth, arrow_predicted) == expected
    assert mean_levenshtein(pd.Series(truth), np.array(predicted, dtype=object)) == expected
    # paired through `pred_rows` (the submission's row of each answer) instead of by position
    order = np.random.default_rng(2).permutation(n)
    shuffled = [predicted[i] for i in order]
    rows = np.argsort(order)  # shuffled[rows[i]] is predicted[i]
    assert mean_levenshtein(truth, shuffled, pred_rows=rows) == expected
    assert mean_levenshtein(arrow_truth, pa.array(shuffled), pred_rows=rows) == expected
    assert mean_levenshtein(truth, shuffled) != expected


def test_sequence_edit_error_rate_hand_computed():
    # One deletion and one insertion over 5 true labels.
    assert sequence_edit_error_rate([[1, 2, 3], [4, 5]], [[1, 3], [4, 5, 6]]) == pytest.approx(0.4)
    # Labels are compared as items, not digits: [10] vs [1, 0] is a substitution and an insertion.
    assert sequence_edit_error_rate([[10]], [[1, 0]]) == 2.0
    with pytest.raises(ValueError):
        sequence_edit_error_rate([[]], [[1]])


def _plain_levenshtein(a, b) -> int:
    """The textbook dynamic programme, row by row."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def test_sequence_edit_error_rate_equals_the_plain_programme():
    """Small label numbers and large ones alike: the plain dynamic programme's distances, hence
    the same float."""
    import random

    rng = random.Random(0)
    for trial in range(300):
        n = rng.randint(1, 12)
        top = 4 if trial % 3 else 2**40
        truth = [[rng.randint(1, top) if top > 4 else rng.randint(0, top)
                  for _ in range(rng.randint(0, 15))] for _ in range(n)]
        truth[0].append(1)  # at least one true label
        predicted = [[rng.randint(0, 4) for _ in range(rng.randint(0, 15))] for _ in range(n)]
        total = sum(len(t) for t in truth)
        expected = sum(_plain_levenshtein(t, p) for t, p in zip(truth, predicted, strict=True))
        assert sequence_edit_error_rate(truth, predicted) == expected / total


def test_group_mean_log_mae_hand_computed():
    # Group a: MAE 0.5; group b: MAE 2 -> (log 0.5 + log 2) / 2 = 0.
    assert group_mean_log_mae([1, 3, 10], [2, 3, 12], ["a", "a", "b"]) == pytest.approx(0.0, abs=1e-12)
    assert group_mean_log_mae([1.0], [1.0 + math.e], ["x"]) == pytest.approx(1.0)
    assert group_mean_log_mae([1, 2], [1, 3], ["a", "b"]) == -math.inf  # an exact group


def test_laplace_log_likelihood_hand_computed():
    rows = laplace_log_likelihood([2000, 3000], [2100, 1000], [100, 50])
    assert rows == pytest.approx((-6.365958 - 24.798120) / 2, abs=1e-6)
    assert rows == pytest.approx(-15.582039, abs=1e-6)
    # Confidence below 70 counts as 70; errors above 1000 count as 1000.
    assert laplace_log_likelihood([0], [5000], [1]) == laplace_log_likelihood([0], [1000], [70])


def test_mean_angular_error_hand_computed():
    half_pi = math.pi / 2
    assert mean_angular_error([0, 1], [half_pi, 0.3], [half_pi, 1], [half_pi, 0.3]) == pytest.approx(math.pi / 4)
    # Opposite directions: pi (the clip keeps arccos defined).
    assert mean_angular_error([0], [0], [0], [math.pi]) == pytest.approx(math.pi)
    assert mean_angular_error(np.zeros(3), np.full(3, 1.0), np.zeros(3), np.full(3, 1.0)) == pytest.approx(0, abs=1e-7)
