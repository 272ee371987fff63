"""Shared metrics against hand-computed values, and their input validation."""

import math

import numpy as np
import pandas as pd
import pytest

from mlebench import metrics
from mlebench.errors import InvalidSubmissionError


def frames(pred, true, col="y"):
    ids = [f"id{i}" for i in range(len(true))]
    return pd.DataFrame({"id": ids, col: pred}), pd.DataFrame({"id": ids, col: true})


def test_accuracy_hand_computed():
    sub, ans = frames(["a", "b", "b"], ["a", "b", "c"])
    assert metrics.accuracy(sub, ans, "id", "y") == pytest.approx(2 / 3)


def test_rows_are_aligned_by_id_not_position():
    sub, ans = frames(["a", "b", "c"], ["a", "b", "c"])
    assert metrics.accuracy(sub.iloc[::-1], ans, "id", "y") == 1.0


def test_f1_micro_and_macro():
    sub, ans = frames(["a", "b", "b"], ["a", "b", "c"])
    assert metrics.f1(sub, ans, "id", "y", average="micro") == pytest.approx(2 / 3)
    # F1_a = 1, F1_b = 2*(1/2*1)/(1/2+1) = 2/3, F1_c = 0
    assert metrics.f1(sub, ans, "id", "y", average="macro") == pytest.approx(5 / 9)


def test_auc_roc_hand_computed():
    sub, ans = frames([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    assert metrics.auc_roc(sub, ans, "id", "y") == pytest.approx(0.75)


def test_auc_rejects_out_of_range_and_text():
    sub, ans = frames([0.1, 1.4, 0.35, 0.8], [0, 0, 1, 1])
    with pytest.raises(InvalidSubmissionError, match="between 0 and 1"):
        metrics.auc_roc(sub, ans, "id", "y")
    sub, ans = frames(["x", "0.2", "0.3", "0.4"], [0, 0, 1, 1])
    with pytest.raises(InvalidSubmissionError, match="numeric"):
        metrics.auc_roc(sub, ans, "id", "y")


def test_mean_column_wise_auc():
    ids = ["a", "b"]
    sub = pd.DataFrame({"id": ids, "A": [0.2, 0.9], "B": [0.2, 0.9]})
    ans = pd.DataFrame({"id": ids, "A": [0, 1], "B": [1, 0]})
    assert metrics.mean_column_wise_auc_roc(sub, ans, "id", ["A", "B"]) == pytest.approx(0.5)


def test_log_loss_hand_computed():
    sub, ans = frames([0.8, 0.4], [1, 0])
    expected = -(math.log(0.8) + math.log(0.6)) / 2
    assert metrics.log_loss(sub, ans, "id", "y") == pytest.approx(expected)


def test_multiclass_log_loss():
    ids = ["x", "y"]
    sub = pd.DataFrame({"id": ids, "a": [0.5, 0.25], "b": [0.5, 0.75]})
    ans = pd.DataFrame({"id": ids, "a": [1, 0], "b": [0, 1]})
    expected = -(math.log(0.5) + math.log(0.75)) / 2
    assert metrics.multiclass_log_loss(sub, ans, "id", ["a", "b"]) == pytest.approx(expected)
    bad = sub.assign(a=[0.6, 0.25])
    with pytest.raises(InvalidSubmissionError, match="sum to 1"):
        metrics.multiclass_log_loss(bad, ans, "id", ["a", "b"])


def test_rmse_mae_rmsle():
    sub, ans = frames([1.0, 2.0, 5.0], [1.0, 2.0, 3.0])
    assert metrics.rmse(sub, ans, "id", "y") == pytest.approx(math.sqrt(4 / 3))
    sub, ans = frames([2.0, 2.0, 5.0], [1.0, 2.0, 3.0])
    assert metrics.mae(sub, ans, "id", "y") == pytest.approx(1.0)
    sub, ans = frames([0.0, 0.0], [0.0, math.e - 1])
    assert metrics.mean_column_wise_rmsle(sub, ans, "id", ["y"]) == pytest.approx(math.sqrt(0.5))
    sub, ans = frames([-1.0, 0.0], [0.0, 1.0])
    with pytest.raises(InvalidSubmissionError, match="negative"):
        metrics.mean_column_wise_rmsle(sub, ans, "id", ["y"])


def test_quadratic_weighted_kappa():
    sub, ans = frames([0, 1, 2], [0, 1, 2])
    assert metrics.quadratic_weighted_kappa(sub, ans, "id", "y") == pytest.approx(1.0)
    sub, ans = frames([0, 0, 0], [0, 1, 2])
    assert metrics.quadratic_weighted_kappa(sub, ans, "id", "y") == pytest.approx(0.0)


def test_map_at_k():
    assert metrics.average_precision_at_k({"a"}, ["b", "a", "c"], 3) == pytest.approx(0.5)
    assert metrics.mean_average_precision_at_k([{"a"}, {"b"}], [["a", "b"], ["a", "b"]], 2) == 0.75
    assert metrics.average_precision_at_k({"a"}, ["a", "a"], 2) == 1.0  # repeats count once


@pytest.mark.parametrize(
    ("pred_ids", "match"),
    [
        (["id0", "id1"], "rows"),  # too few rows
        (["id0", "id0", "id2"], "duplicate"),
        (["id0", "id1", "zzz"], "do not match"),
    ],
)
def test_alignment_errors(pred_ids, match):
    ans = pd.DataFrame({"id": ["id0", "id1", "id2"], "y": [1, 0, 1]})
    sub = pd.DataFrame({"id": pred_ids, "y": [0.5] * len(pred_ids)})
    with pytest.raises(InvalidSubmissionError, match=match):
        metrics.auc_roc(sub, ans, "id", "y")


def test_missing_column_and_nan_and_inf():
    sub, ans = frames([0.5, 0.5], [0, 1])
    with pytest.raises(InvalidSubmissionError, match="missing column"):
        metrics.auc_roc(sub.rename(columns={"y": "z"}), ans, "id", "y")
    sub, ans = frames([np.nan, 0.5], [0, 1])
    with pytest.raises(InvalidSubmissionError, match="NaN"):
        metrics.rmse(sub, ans, "id", "y")
    sub, ans = frames([np.inf, 0.5], [0, 1])
    with pytest.raises(InvalidSubmissionError, match="infinite"):
        metrics.rmse(sub, ans, "id", "y")
    sub, ans = frames(["a", None], ["a", "b"])
    with pytest.raises(InvalidSubmissionError, match="missing values"):
        metrics.accuracy(sub, ans, "id", "y")
