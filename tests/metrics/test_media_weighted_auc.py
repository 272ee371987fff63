import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.media_weighted_auc import weighted_auc_from_scores, weighted_auc_roc


def test_perfect_and_constant_scores():
    y = np.array([0, 0, 1, 1])
    assert weighted_auc_from_scores(y, np.array([0.1, 0.2, 0.8, 0.9])) == pytest.approx(1.0)
    # the diagonal: (2 * 0.32 + 0.18) / 1.4
    assert weighted_auc_from_scores(y, np.zeros(4)) == pytest.approx(0.82 / 1.4)


def test_hand_checked_interpolated_threshold():
    # ROC (0,0) (0,.5) (.5,.5) (.5,1) (1,1); TPR 0.4 inserted at FPR 0
    # band [0, .4]: area .4 (x2); band [.4, 1]: .5 * .1 + .5 * .6 = .35 -> 1.15 / 1.4
    y = np.array([1, 1, 0, 0])
    assert weighted_auc_from_scores(y, np.array([0.9, 0.5, 0.8, 0.1])) == pytest.approx(1.15 / 1.4)


def test_frames_accept_any_real_score():
    answers = pd.DataFrame({"Id": ["a", "b"], "Label": [0, 1]})
    assert weighted_auc_roc(pd.DataFrame({"Id": ["b", "a"], "Label": [7.0, -3.0]}), answers,
                            "Id", "Label") == pytest.approx(1.0)
    with pytest.raises(InvalidSubmissionError):
        weighted_auc_roc(pd.DataFrame({"Id": ["b", "a"], "Label": [np.nan, 1.0]}), answers,
                         "Id", "Label")
