"""Hand-computed checks of the box-detection mAP metrics (siim-covid19 and vinbigdata graders)."""

import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.detection_map import (
    box_iou,
    coco_box_map,
    labelled_box_map,
    parse_class_score_boxes,
    parse_labelled_boxes,
)


def test_box_iou():
    assert box_iou((0, 0, 2, 2), (1, 1, 3, 3)) == pytest.approx(1 / 7)  # 1 / (4 + 4 - 1)
    assert box_iou((0, 0, 1, 1), (2, 2, 3, 3)) == 0.0
    assert box_iou((0, 0, 0, 0), (0, 0, 0, 0)) == 0.0  # empty union
    assert box_iou((float("nan"), 0, 1, 1), (0, 0, 1, 1)) != box_iou((0, 0, 1, 1), (0, 0, 1, 1))


def test_parsers():
    assert parse_labelled_boxes(" opacity 0.5 1 2 3 4  none 1 0 0 1 1") == [
        ("opacity", 0.5, 1.0, 2.0, 3.0, 4.0), ("none", 1.0, 0.0, 0.0, 1.0, 1.0)]
    for bad in ("opacity 1 0 0 1", "opacity x 0 0 1 1", float("nan"), 3):
        with pytest.raises(InvalidSubmissionError):
            parse_labelled_boxes(bad)
    assert parse_class_score_boxes("14 1 0 0 1 1 3 0.5 1 2 3 4").shape == (2, 6)
    for bad in ("14 1 0 0 1 1 ", "14  1 0 0 1 1", "14 1 0 0 1", float("nan")):
        with pytest.raises(InvalidSubmissionError):
            parse_class_score_boxes(bad)


def test_labelled_box_map_by_hand():
    answers = pd.DataFrame({"id": ["A", "B"], "PredictionString": ["opacity 1 0 0 10 10", "opacity 1 20 20 30 30"]})
    sub = pd.DataFrame({"id": ["B", "A"], "PredictionString": ["opacity 0.8 50 50 60 60", "opacity 0.9 0 0 10 10"]})
    # A: hit (1, 0.9); B: miss (0, 0.8) and its box unfound (1, 0).
    # Precision/recall by score: 0.9 -> 1, 1/2; 0.8 -> 1/2, 1/2; 0 -> 2/3, 1 => AP = 1/2 + 1/2 * 2/3 = 5/6
    assert labelled_box_map(sub, answers) == pytest.approx(5 / 6, abs=1e-12)
    answers = pd.concat([answers, pd.DataFrame({"id": ["C"], "PredictionString": ["none 1 0 0 1 1"]})])
    sub = pd.concat([sub, pd.DataFrame({"id": ["C"], "PredictionString": ["none 0.5 0 0 1 1"]})])
    # "none": A and B add (0, 0) each, C a hit (1, 0.5) -> AP 1.
    # "opacity": C adds (0, 0): pairs (1,.9) (0,.8) (1,0) (0,0) -> 1/2 * 1 + 1/2 * 2/4 = 3/4; mean 7/8
    assert labelled_box_map(sub, answers) == pytest.approx(7 / 8, abs=1e-12)


def test_labelled_box_map_invalid():
    answers = pd.DataFrame({"id": ["A", "B"], "PredictionString": ["opacity 1 0 0 10 10", "none 1 0 0 1 1"]})
    for sub in (
        answers.iloc[:1],
        answers.rename(columns={"id": "Id"}),
        answers.assign(id=["A", "A"]),
        answers.assign(PredictionString=["opacity nan 0 0 10 10", "none 1 0 0 1 1"]),
    ):
        with pytest.raises(InvalidSubmissionError):
            labelled_box_map(sub, answers)
    # a NaN confidence of a label the answers never use is never scored (as in the reference)
    ok = answers.assign(PredictionString=["opacity 1 0 0 10 10 foo nan 0 0 1 1", "none 1 0 0 1 1"])
    assert labelled_box_map(ok, answers) == 1.0


def _vin_answers():
    return pd.DataFrame({"image_id": ["a", "b"], "class_id": [3, 3], "class_name": ["C", "C"],
                         "rad_id": ["R1", "R2"], "x_min": [10.0, 100.0], "y_min": [10.0, 100.0],
                         "x_max": [20.0, 200.0], "y_max": [20.0, 200.0]})


def test_coco_box_map_by_hand():
    answers = _vin_answers()
    sub = pd.DataFrame({"image_id": ["a", "b"], "PredictionString": ["3 0.8 10 10 20 20", "3 0.9 100 100 150 150"]})
    # b: COCO reads [100, 100, 150, 150] as x 100..250 and the true box as x 100..300 (the
    # x_max-as-width quirk): IoU 150^2 / 200^2 = 0.5625 >= 0.4 -> a hit (as true corners the IoU
    # would be 0.25). a: an exact box, but the true box has annotation id 0, which pycocotools
    # never counts as matched -> a false positive. By score: hit (recall 1/2, precision 1), then
    # miss -> interpolated precision 1 at the 51 recall thresholds 0, 0.01 .. 0.5, 0 above:
    # 51 / 101.
    assert coco_box_map(sub, answers) == pytest.approx(51 / 101, abs=1e-12)
    # one true box only (id 0): even an exact prediction scores 0
    assert coco_box_map(sub.iloc[:1], answers.iloc[:1]) == 0.0
    # repeated rows are accepted; boxes of classes absent from the answers are ignored
    extra = pd.concat([sub, pd.DataFrame({"image_id": ["b"], "PredictionString": ["7 0.99 0 0 5 5"]})])
    assert coco_box_map(extra, answers) == pytest.approx(51 / 101, abs=1e-12)


def test_coco_box_map_invalid():
    answers = _vin_answers()
    good = pd.DataFrame({"image_id": ["a", "b"], "PredictionString": ["3 0.8 10 10 20 20"] * 2})
    for sub in (
        good.iloc[:1],
        good.drop(columns=["PredictionString"]),
        good.assign(image_id=["a", "c"]),
        good.assign(PredictionString=["nan 1 0 0 1 1", "3 1 0 0 1 1"]),
        good.assign(PredictionString=[np.nan, "3 1 0 0 1 1"]),
    ):
        with pytest.raises(InvalidSubmissionError):
            coco_box_map(sub, answers)
