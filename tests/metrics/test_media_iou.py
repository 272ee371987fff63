import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.media_iou import mean_precision_iou, single_object_precision
from mlebench.metrics.rle import rle_decode


def test_rle_decode_is_column_major_and_one_indexed():
    assert rle_decode("2 3", 2, 2).tolist() == [[False, True], [True, True]]
    assert rle_decode("", 2, 3).sum() == 0
    assert rle_decode("3 10", 2, 2).sum() == 2  # a run past the end is cut
    for bad in ["2 1 1 1", "1 3 2 1", "0 1", "1 0", "x y"]:
        with pytest.raises(InvalidSubmissionError):
            rle_decode(bad, 2, 2)


def test_single_object_precision_hand_checked():
    true = np.zeros((10, 10), dtype=bool)
    true[:4, 0] = True
    pred = true.copy()
    pred[3, 0] = False
    # IoU 3/4 = 0.75 exceeds 0.5, 0.55, 0.6, 0.65, 0.7 -> 5/10
    assert single_object_precision(true, pred) == 0.5
    assert single_object_precision(true, true) == 1.0
    empty = np.zeros_like(true)
    assert single_object_precision(empty, empty) == 1.0
    assert single_object_precision(empty, true) == 0.0
    # reference quirk: empty prediction = whole image -> IoU 4/100 -> 0
    big = np.ones_like(true)
    big[0, :3] = False  # 97 pixels -> IoU 0.97 > every threshold
    assert single_object_precision(big, empty) == 1.0


def test_mean_precision_iou_frames():
    answers = pd.DataFrame({"id": ["a", "b"], "rle_mask": ["1 4", np.nan]})
    sub = pd.DataFrame({"id": ["b", "a"], "rle_mask": [np.nan, "1 3"]})
    # a: 0.5 (IoU .75), b: empty/empty 1 -> 0.75
    assert mean_precision_iou(sub, answers, "id", "rle_mask", 10, 10) == pytest.approx(0.75)
    with pytest.raises(InvalidSubmissionError):
        mean_precision_iou(sub.assign(rle_mask=[1, 2]), answers, "id", "rle_mask", 10, 10)
