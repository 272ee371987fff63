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


def test_vectorised_lrap_is_sklearns_float_for_float():
    """Ties, rows where every label is relevant, more rows than one comparison block, up to 150
    labels: exactly sklearn's weighted label-ranking average precision (what the reference calls)."""
    import numpy as np
    import sklearn.metrics as skm

    from mlebench.metrics.media_lwlrap import _ROW_BLOCK, _weighted_lrap

    rng = np.random.default_rng(0)
    shapes = [(int(rng.integers(1, 40)), int(rng.integers(2, 30))) for _ in range(300)]
    shapes += [(_ROW_BLOCK * 2 + 7, 80), (300, 150)]
    for trial, (n, labels) in enumerate(shapes):
        truth = rng.random((n, labels)) < rng.uniform(0.05, 0.9)
        if trial % 5 == 0:
            truth[0] = True  # every label relevant
        scores = (rng.integers(0, 4, (n, labels)).astype(float) if trial % 2
                  else rng.random((n, labels)))  # many ties / none
        weight = truth.sum(axis=1)
        keep = weight > 0
        if not keep.any():
            continue
        expected = skm.label_ranking_average_precision_score(
            truth[keep], scores[keep], sample_weight=weight[keep])
        assert _weighted_lrap(truth[keep], scores[keep], weight[keep]) == float(expected), trial
