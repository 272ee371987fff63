import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.media_lwlrap import lwlrap, lwlrap_from_arrays


def test_hand_checked_lwlrap():
    truth = np.array([[1, 0, 1], [0, 1, 0], [0, 0, 0]])
    scores = np.array([[0.9, 0.8, 0.1], [0.5, 0.5, 0.1], [0.3, 0.2, 0.1]])
    # (A: 1, C: 2/3, B tied at rank 2: 1/2) / 3 true pairs; the label-free clip is ignored
    assert lwlrap_from_arrays(truth, scores) == pytest.approx(13 / 18)
    assert lwlrap_from_arrays(truth, truth.astype(float)) == pytest.approx(1.0)


def test_frames():
    answers = pd.DataFrame({"fname": ["a", "b"], "x": [1, 0], "y": [0, 1]})
    sub = pd.DataFrame({"fname": ["b", "a"], "x": [-1.0, 3.0], "y": [2.0, 0.0]})
    assert lwlrap(sub, answers, "fname", ["x", "y"]) == pytest.approx(1.0)
    with pytest.raises(InvalidSubmissionError):
        lwlrap(sub.assign(x=[np.nan, 1.0]), answers, "fname", ["x", "y"])
