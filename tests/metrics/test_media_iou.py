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


def _slow_precision(true_rle: str, pred_rle: str, height: int, width: int) -> float:
    """The per-image score the obvious way: draw both masks pixel by pixel, IoU of the sets of
    marked pixels (an empty prediction taken as the whole image, the reference's quirk), then the
    share of thresholds 0.5, 0.55, ..., 0.95 it exceeds."""
    def pixels(rle):
        numbers = [int(v) for v in rle.split()]
        return {p for s, n in zip(numbers[0::2], numbers[1::2], strict=True)
                for p in range(s - 1, min(s - 1 + n, height * width))}

    true, pred = pixels(true_rle), pixels(pred_rle)
    if not true:
        return 1.0 if not pred else 0.0
    if not pred:
        pred = set(range(height * width))
    iou = len(true & pred) / len(true | pred)
    return float(np.mean([iou > t for t in np.arange(0.5, 1.0, 0.05)]))


def test_mean_precision_iou_equals_the_plain_loop_on_random_masks():
    """Float for float: the same per-image scores, averaged in the same (id) order."""
    import random

    from mlebench.metrics.rle import rle_encode

    rng = random.Random(0)
    for _ in range(40):
        n, h, w = rng.randint(1, 30), rng.randint(1, 12), rng.randint(1, 12)
        masks = []
        for _ in range(2 * n):
            kind = rng.random()
            if kind < 0.25:
                mask = np.zeros((h, w), dtype=bool)
            elif kind < 0.35:
                mask = np.ones((h, w), dtype=bool)
            else:
                mask = np.random.default_rng(rng.randint(0, 10**6)).random((h, w)) < rng.random()
            masks.append(rle_encode(mask))
        ids = [f"img{i}" for i in range(n)]
        answers = pd.DataFrame({"id": ids, "rle_mask": masks[:n]})
        sub = pd.DataFrame({"id": ids, "rle_mask": masks[n:]}).sample(frac=1, random_state=1)
        # the mean taken in ascending id order, as the reference (sorting by id) takes it
        # ("img10" < "img2": not the answers' order)
        expected = float(np.mean([_slow_precision(masks[i], masks[n + i], h, w)
                                  for i in sorted(range(n), key=lambda i: ids[i])]))
        assert mean_precision_iou(sub, answers, "id", "rle_mask", h, w) == expected
