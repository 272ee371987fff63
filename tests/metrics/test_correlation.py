import math

import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.correlation import mean_column_wise_spearman, pearson_correlation


def frames(pred, true, ids=None):
    ids = ids or list(range(len(true)))
    return pd.DataFrame({"id": ids, "y": pred}), pd.DataFrame({"id": list(range(len(true))), "y": true})


def test_pearson_hand_computed():
    # Deviations (-0.5, 0, 0.5) and (-0.2, -0.2, 0.4): r = 0.3 / sqrt(0.5 * 0.24) = sqrt(3) / 2.
    sub, ans = frames([0.2, 0.2, 0.8], [0.0, 0.5, 1.0])
    assert pearson_correlation(sub, ans, "id", "y") == pytest.approx(math.sqrt(3) / 2, abs=1e-12)


def test_pearson_aligns_on_id_and_sign():
    sub = pd.DataFrame({"id": [2, 0, 1], "y": [0.0, 1.0, 0.5]})
    ans = pd.DataFrame({"id": [0, 1, 2], "y": [3.0, 2.0, 1.0]})
    assert pearson_correlation(sub, ans, "id", "y") == pytest.approx(1.0)
    assert pearson_correlation(sub.assign(y=-sub.y), ans, "id", "y") == pytest.approx(-1.0)


def test_pearson_constant_prediction_is_nan():
    sub, ans = frames([0, 0, 0], [0.0, 0.5, 1.0])
    assert math.isnan(pearson_correlation(sub, ans, "id", "y"))


@pytest.mark.parametrize("pred, ids, reason", [
    ([0.1, None, 0.3], None, "missing/NaN"),
    (["a", "b", "c"], None, "numeric"),
    ([0.1, 0.2, 0.3], [0, 1, 7], "do not match"),
    ([0.1, 0.2, 0.3], [0, 1, 1], "duplicate"),
])
def test_pearson_invalid(pred, ids, reason):
    sub, ans = frames(pred, [0.0, 0.5, 1.0], ids)
    with pytest.raises(InvalidSubmissionError, match=reason):
        pearson_correlation(sub, ans, "id", "y")


def test_pearson_wrong_length_and_missing_column():
    sub, ans = frames([0.1, 0.2], [0.0, 0.5, 1.0], [0, 1])
    with pytest.raises(InvalidSubmissionError, match="rows"):
        pearson_correlation(sub, ans, "id", "y")
    with pytest.raises(InvalidSubmissionError, match="missing column"):
        pearson_correlation(sub.drop(columns="y"), ans, "id", "y")


def test_spearman_hand_computed():
    # A: ranks (1, 3, 2) vs (1, 2, 3): rho = 1 - 6 * 2 / 24 = 0.5. B: reversed order: -1. Mean -0.25.
    ans = pd.DataFrame({"id": [1, 2, 3], "A": [1, 2, 3], "B": [3, 2, 1]})
    sub = pd.DataFrame({"id": [3, 2, 1], "A": [0.2, 0.3, 0.1], "B": [0.3, 0.2, 0.1]})
    assert mean_column_wise_spearman(sub, ans, "id", ["A", "B"]) == pytest.approx(-0.25, abs=1e-12)


def test_spearman_ties_use_average_ranks():
    # pred ranks (1.5, 1.5, 3) vs (1, 2, 3): Pearson of ranks = 0.8660 (sqrt(3) / 2).
    ans = pd.DataFrame({"id": [1, 2, 3], "A": [1, 2, 3]})
    sub = pd.DataFrame({"id": [1, 2, 3], "A": [0.0, 0.0, 1.0]})
    assert mean_column_wise_spearman(sub, ans, "id", ["A"]) == pytest.approx(math.sqrt(3) / 2, abs=1e-12)


def test_spearman_constant_column_is_nan():
    ans = pd.DataFrame({"id": [1, 2, 3], "A": [1, 2, 3], "B": [1, 2, 3]})
    sub = pd.DataFrame({"id": [1, 2, 3], "A": [1, 2, 3], "B": [5, 5, 5]})
    assert math.isnan(mean_column_wise_spearman(sub, ans, "id", ["A", "B"]))


def test_spearman_invalid():
    ans = pd.DataFrame({"id": [1, 2, 3], "A": [1, 2, 3], "B": [1, 2, 3]})
    sub = pd.DataFrame({"id": [1, 2, 3], "A": [1, 2, 3], "B": [1, None, 3]})
    with pytest.raises(InvalidSubmissionError, match="'B'"):
        mean_column_wise_spearman(sub, ans, "id", ["A", "B"])
    with pytest.raises(InvalidSubmissionError, match="missing column"):
        mean_column_wise_spearman(sub.drop(columns="B"), ans, "id", ["A", "B"])
    with pytest.raises(InvalidSubmissionError, match="do not match"):
        mean_column_wise_spearman(sub.assign(id=[1, 2, 4], B=1.0), ans, "id", ["A", "B"])
