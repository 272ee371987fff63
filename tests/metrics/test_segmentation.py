import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.rle import rle_decode, rle_encode, rles_to_masks
from mlebench.metrics.segmentation_dice import dice_coefficient, mean_dice_rle
from mlebench.metrics.segmentation_hausdorff import (
    dice_hausdorff_score,
    normalized_hausdorff,
    stack_slices_by_scan,
)


def test_rle_decode_column_major():
    # height 3, width 2: pixels 1 2 3 down column 0, 4 5 6 down column 1.
    mask = rle_decode("2 3", 3, 2)
    assert mask.tolist() == [[False, True], [True, False], [True, False]]
    assert not rle_decode("", 3, 2).any() and not rle_decode("  ", 3, 2).any()
    assert rle_decode("5 10", 3, 2).sum() == 2  # run cut at the image's end
    assert rle_decode("1 2 5", 3, 2).tolist() == rle_decode("1 2 5 2", 3, 2).tolist()  # broadcast quirk
    assert not rle_decode("5", 3, 2).any()


def test_rle_decode_accepts_numbers_beyond_int64_like_the_reference():
    huge = "99999999999999999999"  # > 2**63; the reference's decoder clips it like any long run
    assert rle_decode(f"3 {huge}", 3, 2).tolist() == rle_decode("3 4", 3, 2).tolist()
    assert not rle_decode(f"{huge} 1", 3, 2).any()
    with pytest.raises(InvalidSubmissionError, match="ascending"):
        rle_decode(f"{huge} 1 2 1", 3, 2)


@pytest.mark.parametrize("rle", ["1 x", "3 1 1 1", "0 2", "1 0", "1 -1", "1 3 2 2", "1 2 3 4 5", "1.0 2"])
def test_rle_decode_rejects(rle):
    with pytest.raises(InvalidSubmissionError):
        rle_decode(rle, 3, 2)


def test_rle_decode_rejects_non_text():
    with pytest.raises(InvalidSubmissionError):
        rle_decode(3.0, 3, 2)


def test_rle_encode_round_trip():
    assert rle_encode(np.array([[0, 1], [1, 1], [0, 0]])) == "2 1 4 2"
    assert rle_encode(np.zeros((2, 2))) == ""
    rng = np.random.default_rng(0)
    for _ in range(20):
        mask = rng.random((int(rng.integers(1, 9)), int(rng.integers(1, 9)))) < 0.4
        assert (rle_decode(rle_encode(mask), *mask.shape) == mask).all()
    assert [m.shape for m in rles_to_masks(["1 1", ""], [2, 3], [4, 5])] == [(2, 4), (3, 5)]


def test_dice_coefficient():
    assert dice_coefficient(np.array([1, 1, 0, 0]), np.array([0, 1, 1, 1])) == pytest.approx(0.4)
    assert np.isnan(dice_coefficient(np.zeros(3), np.zeros(3)))
    assert dice_coefficient(np.zeros(3), np.zeros(3), both_empty_value=1.0) == 1.0
    with pytest.raises(InvalidSubmissionError):
        dice_coefficient(np.zeros(3), np.zeros(4))


def test_mean_dice_rle():
    answers = pd.DataFrame({"id": ["a", "b"], "enc": ["1 2", "3 2"], "h": 2, "w": 2})
    sub = pd.DataFrame({"id": ["b", "a"], "pred": ["3 2", "2 2"]})
    # a: {2, 3} vs {1, 2} -> 0.5; b: identical -> 1.
    assert mean_dice_rle(sub, answers, "id", "pred", "enc", "h", "w") == pytest.approx(0.75)
    with pytest.raises(InvalidSubmissionError):
        mean_dice_rle(sub.iloc[:1], answers, "id", "pred", "enc", "h", "w")


def test_normalized_hausdorff():
    true = np.zeros((1, 2, 2), dtype=np.uint8)
    pred = true.copy()
    true[0, 0, 0] = 1
    pred[0, 0, 1] = 1
    # points (0, 0, 0) and (0, 0, 1/2) after dividing by the shape -> 0.5 / sqrt(3)
    assert normalized_hausdorff(pred, true) == pytest.approx(0.5 / np.sqrt(3))
    assert normalized_hausdorff(true, true) == 0.0
    assert np.isnan(normalized_hausdorff(true * 0, true * 0))
    assert normalized_hausdorff(true * 0, true) == 1.0
    big_true = np.zeros((1, 10, 10), dtype=np.uint8)
    big_true[0, 0, 0] = 1
    assert normalized_hausdorff(np.ones_like(big_true), big_true) == 1.0  # > 10x the true voxels


def test_stack_slices_by_scan():
    a1, a2, b = np.array([[1, 0]]), np.array([[0, 1]]), np.array([[0, 0]])
    volumes = stack_slices_by_scan([b, a1, a2], ["s_day1_slice_0002", "s_day1_slice_0001", "s_day1_slice_0001"])
    assert len(volumes) == 1 and volumes[0].tolist() == [[[1, 1]], [[0, 0]]]
    assert volumes[0].dtype == np.uint8


def test_dice_hausdorff_score():
    answers = pd.DataFrame({"id": ["x_day1_slice_0001"] * 2, "class": ["a", "b"],
                            "predicted": ["1 1", None], "image_width": 2.0, "image_height": 2.0})
    sub = answers[["id", "class"]].assign(predicted=["1 1", "3 1"])
    # Dice: 1 and 0 -> 0.5. Volume shape (1, 2, 2): true {(0,0,0)}, pred adds (0,0,1) -> 0.5 / sqrt(3).
    expected = 0.4 * 0.5 + 0.6 * (1 - 0.5 / np.sqrt(3))
    assert dice_hausdorff_score(sub, answers) == pytest.approx(expected)
    assert dice_hausdorff_score(sub.iloc[::-1], answers) == pytest.approx(expected)
    for bad in (sub.iloc[:1], sub.assign(**{"class": ["a", "a"]}), sub.drop(columns=["class"])):
        with pytest.raises(InvalidSubmissionError):
            dice_hausdorff_score(bad, answers)


def _random_rle(rng, n_pixels: int) -> str:
    """Mostly valid run-length strings (runs past the end, runs of spaces, leading zeros), some
    invalid ones (overlaps, descending starts, zeros, odd counts, text, huge numbers)."""
    numbers, pos = [], rng.randint(1, 4)
    for _ in range(rng.randint(0, 5)):
        numbers += [pos, rng.randint(1, n_pixels + 2)]
        pos += numbers[-1] + rng.randint(-1, 5)
    text = " ".join(str(v) for v in numbers)
    roll = rng.random()
    if roll < 0.05:
        text += " 3"
    elif roll < 0.08:
        text = "0 1 " + text
    elif roll < 0.1:
        text += " x"
    elif roll < 0.12:
        text = "1 " + "9" * 20
    elif roll < 0.2:
        text = "  " + text.replace(" ", "  ") + " "
    elif roll < 0.25:
        text = " ".join("00" + v for v in text.split())
    return text


def test_rle_runs_many_equals_rle_runs_or_defers():
    """Where the batch decoder answers, it answers what `rle_runs` does string by string; it
    defers (None) exactly when some string is not a plain valid one."""
    import random

    from mlebench.metrics.rle import rle_runs, rle_runs_many

    rng = random.Random(0)
    for _ in range(500):
        sizes = [rng.randint(1, 40) for _ in range(rng.randint(1, 6))]
        rles = [_random_rle(rng, n) for n in sizes]
        got = rle_runs_many(rles, np.array(sizes))
        try:
            expected = [rle_runs(r, n) for r, n in zip(rles, sizes, strict=True)]
        except InvalidSubmissionError:
            assert got is None
            continue
        plain = all(set(r) <= set("0123456789 ") and len(r.split()) % 2 == 0
                    and max(map(len, r.split()), default=0) <= 18 for r in rles)
        assert (got is None) == (not plain), rles
        if got is not None:
            rows, lows, ends = got
            for i, (lo, end) in enumerate(expected):
                assert lows[rows == i].tolist() == lo.tolist()
                assert ends[rows == i].tolist() == end.tolist()


def test_global_dice_rle_equals_pixel_counting():
    """Global Dice the obvious way: every mask drawn pixel by pixel, counts pooled over images."""
    import random

    from mlebench.metrics.segmentation_pixels import global_dice_rle

    def pixels(rle, n):
        numbers = [int(v) for v in rle.split()]
        return {p for s, k in zip(numbers[0::2], numbers[1::2], strict=True)
                for p in range(s - 1, min(s - 1 + k, n))}

    rng = random.Random(1)
    for _ in range(300):
        heights = [rng.randint(1, 6) for _ in range(rng.randint(1, 8))]
        widths = [rng.randint(1, 6) for _ in heights]
        sizes = [h * w for h, w in zip(heights, widths, strict=True)]
        preds = [_random_rle(rng, n) for n in sizes]
        truths = [rle_encode(np.random.default_rng(rng.randint(0, 999)).random((h, w)) < 0.3)
                  for h, w in zip(heights, widths, strict=True)]
        try:
            drawn = [(pixels(p, n), pixels(t, n)) for p, t, n in zip(preds, truths, sizes, strict=True)]
        except (ValueError, OverflowError):
            continue  # not a valid mask: refused either way (tested elsewhere)
        tp = sum(len(p & t) for p, t in drawn)
        total = sum(len(p) + len(t) for p, t in drawn)
        expected = 2 * tp / total if total else np.nan
        try:
            got = global_dice_rle(preds, truths, np.array(heights), np.array(widths))
        except InvalidSubmissionError:
            continue  # overlapping or descending runs: refused (the slow drawing accepts them)
        assert got == expected or (np.isnan(got) and np.isnan(expected))


def test_rle_runs_many_and_run_counts_many_hand_computed():
    from mlebench.metrics.rle import rle_runs_many
    from mlebench.metrics.segmentation_pixels import run_counts_many

    # 6 pixels: "2 2 5 9" marks pixels 2, 3 and 5, 6 (cut at the end); "" marks nothing
    rows, lows, ends = rle_runs_many(["2 2 5 9", ""], 6)
    assert (rows.tolist(), lows.tolist(), ends.tolist()) == ([0, 0], [1, 4], [3, 6])
    assert rle_runs_many(["1 2", "3"], 6) is None  # an odd count: decided string by string
    # pred row 0 [0, 2), row 1 [5, 6); true row 0 [1, 4)
    pred = (np.array([0, 1]), np.array([0, 5]), np.array([2, 6]))
    true = (np.array([0]), np.array([1]), np.array([4]))
    tp, n_pred, n_true = run_counts_many(pred, true, 2)
    assert (tp.tolist(), n_pred.tolist(), n_true.tolist()) == ([1, 0], [2, 1], [3, 0])
