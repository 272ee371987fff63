"""Bounding-box mean average precision, in the two forms the reference's detection graders use.

`labelled_box_map` (siim-covid19-detection): every row holds `label confidence x_min y_min x_max
y_max` groups; each label is a class of its own (the study-level "negative", "typical", ...
rows carry the dummy box `0 0 1 1`). Per class, predictions of a row are taken by decreasing
confidence and greedily matched to the unmatched true box of that class with the highest IoU
above 0.5 (strictly); the per-class average precision is scikit-learn's
`average_precision_score` over (is-true-positive, confidence) pairs, where:

- a matched prediction gives (1, confidence), an unmatched one (0, confidence);
- each true box left unmatched gives (1, 0);
- a row with neither predictions nor true boxes of the class gives one (0, 0) pair (the
  reference's way of keeping the AP defined when every prediction is correct).

The score is the mean over the classes present in the answers.

`coco_box_map` (vinbigdata-chest-xray-abnormalities-detection): pycocotools' COCOeval at a
single IoU threshold (0.4), all areas, at most 100 detections per image and class; the score is
COCO's `stats[0]` (mean of the interpolated precision over recall thresholds and classes).
Reproduced quirk: the reference hands `[x_min, y_min, x_max, y_max]` to COCO, which reads boxes
as `[x, y, width, height]`, so every box (true and predicted) is treated as spanning
`x_min .. x_min + x_max` and `y_min .. y_min + y_max`. Areas are still `(x_max - x_min) *
(y_max - y_min)` (a prediction with a negative area is outside every area range, so COCO ignores
it when it matches nothing). Second reproduced quirk: annotation and detection ids start at 0,
and pycocotools records matches by id with 0 meaning "unmatched", so the first true box (id 0)
is never found (a detection on it counts as a false positive) and the detection with id 0 never
uses up the box it hits; a perfect submission therefore scores slightly below 1.

Hand-computed examples (see tests/metrics/test_detection_map.py):

- labelled_box_map, one class "opacity", row A has true box (0,0,10,10) and prediction
  (0.9, 0,0,10,10) -> (1, 0.9); row B has true box (20,20,30,30) and prediction (0.8,
  50,50,60,60) -> (0, 0.8) plus the missed box (1, 0). Pairs sorted by score: 0.9 TP, 0.8 FP,
  0 TP -> AP = 0.5 * 1 + 0.5 * 2/3 = 5/6.
- coco_box_map, class 3, true boxes a = [10, 10, 20, 20] (id 0) and b = [100, 100, 200, 200];
  predictions a: score 0.8 [10, 10, 20, 20] (exact, but id 0 -> false positive), b: score 0.9
  [100, 100, 150, 150] (COCO compares x/y 100..250 with 100..300: IoU 0.5625 -> hit). Hit then
  miss: interpolated precision 1 at the recall thresholds 0, 0.01, ..., 0.5 and 0 above -> 51/101.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score

from mlebench.errors import InvalidSubmissionError

Box = tuple[str, float, float, float, float, float]  # (label, confidence, x_min, y_min, x_max, y_max)


# --------------------------------------------------------------------------- labelled boxes (VOC)


def parse_labelled_boxes(text: object) -> list[Box]:
    """`"label conf x_min y_min x_max y_max ..."` -> list of 6-tuples (numbers parsed by `float`).

    Raises InvalidSubmissionError for a non-string cell, a token count that is not a multiple of
    6 or a number `float` cannot read."""
    if not isinstance(text, str):
        raise InvalidSubmissionError(
            f"PredictionString must be text 'label confidence x_min y_min x_max y_max ...', got {text!r}"
        )
    tokens = text.split()
    if len(tokens) % 6:
        raise InvalidSubmissionError(
            f"PredictionString must hold groups of 6 values, got {len(tokens)} values: {text[:80]!r}"
        )
    try:
        return [
            (tokens[i], *(float(t) for t in tokens[i + 1 : i + 6]))  # type: ignore[misc]
            for i in range(0, len(tokens), 6)
        ]
    except ValueError as e:
        raise InvalidSubmissionError(f"Could not parse PredictionString: {e}") from None


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """IoU of two `(x_min, y_min, x_max, y_max)` boxes; 0 when the union is not positive.

    Written with Python's `max`/`min` in the reference's argument order so that NaN coordinates
    behave as they do there (a NaN IoU never counts as a match).
    Example: (0,0,2,2) and (1,1,3,3) -> 1 / (4 + 4 - 1) = 1/7."""
    ax0, ay0, ax1, ay1 = a
    bx0, by0, bx1, by1 = b
    width = max(0, min(ax1, bx1) - max(ax0, bx0))
    height = max(0, min(ay1, by1) - max(ay0, by0))
    inter = width * height
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return inter / union if union > 0 else 0.0


def _confidence(box: Box) -> float:
    return box[1]


def _class_pairs(
    predictions: Sequence[list[Box]], truths: Sequence[list[Box]], label: str, iou_threshold: float
) -> tuple[list[int], list[float]]:
    y_true: list[int] = []
    scores: list[float] = []
    for preds, gts in zip(predictions, truths, strict=True):
        gt_boxes = [g[2:] for g in gts if g[0] == label]
        used = [False] * len(gt_boxes)
        n_before = len(y_true)
        # Sorted in place once per class, as the reference does (idempotent unless a confidence
        # is NaN, where repeating the sort can reorder; kept for identical matching).
        preds.sort(key=_confidence, reverse=True)
        for pred in preds:
            if pred[0] != label:
                continue
            best, best_iou = -1, 0.0
            for i, gt in enumerate(gt_boxes):
                if used[i]:
                    continue
                iou = box_iou(pred[2:], gt)
                if iou > best_iou and iou > iou_threshold:
                    best, best_iou = i, iou
            if best >= 0:
                used[best] = True
                y_true.append(1)
            else:
                y_true.append(0)
            scores.append(pred[1])
        missed = used.count(False)
        y_true.extend([1] * missed)
        scores.extend([0.0] * missed)
        if len(y_true) == n_before:  # nothing predicted, nothing to find
            y_true.append(0)
            scores.append(0.0)
    return y_true, scores


def labelled_box_map_from_lists(
    predictions: Sequence[list[Box]], truths: Sequence[list[Box]], iou_threshold: float = 0.5
) -> float:
    """Mean over the true labels of the per-label average precision (see the module docstring).

    `predictions[i]` and `truths[i]` are the parsed boxes of the same row."""
    if len(predictions) != len(truths):
        raise ValueError("predictions and truths must have one entry per row")
    if len(truths) == 0:
        return 0.0
    ordered = [list(p) for p in predictions]  # sorted in place per class below
    labels = sorted({box[0] for row in truths for box in row})
    aps = []
    for label in labels:
        y_true, scores = _class_pairs(ordered, truths, label, iou_threshold)
        if all(y == 1 for y in y_true):
            # The reference asserts against this (AP would be undefined); any failure there makes
            # the submission invalid.
            raise InvalidSubmissionError(f"Average precision of class {label!r} is undefined.")
        try:
            aps.append(average_precision_score(y_true, scores))
        except ValueError as e:  # NaN / infinite confidences
            raise InvalidSubmissionError(f"Cannot compute average precision: {e}") from None
    return float(np.mean(aps)) if aps else 0.0


def labelled_box_map(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str = "id",
    prediction_column: str = "PredictionString",
    iou_threshold: float = 0.5,
) -> float:
    """Validate a `id, PredictionString` submission against answers of the same shape and return
    `labelled_box_map_from_lists` over rows paired by id.

    Invalid: a different row count, a missing column, ids that differ from the answers' (after
    sorting, so duplicates are invalid too), or an unparsable prediction string."""
    if len(submission) != len(answers):
        raise InvalidSubmissionError(
            f"Submission has {len(submission)} rows, expected {len(answers)} (one per test id)."
        )
    for column in (id_column, prediction_column):
        if column not in submission.columns:
            raise InvalidSubmissionError(f"Submission must have a '{column}' column.")
    try:
        submission = submission.sort_values(id_column)
    except TypeError as e:
        raise InvalidSubmissionError(f"Cannot sort the submission's ids: {e}") from None
    answers = answers.sort_values(id_column)
    if (submission[id_column].to_numpy() != answers[id_column].to_numpy()).any():
        raise InvalidSubmissionError("Submission ids must be exactly the test ids, each once.")
    predicted = [parse_labelled_boxes(s) for s in submission[prediction_column]]
    truths = [parse_labelled_boxes(s) for s in answers[prediction_column]]
    return labelled_box_map_from_lists(predicted, truths, iou_threshold)


# --------------------------------------------------------------------------- COCO (pycocotools)


def parse_class_score_boxes(text: object) -> np.ndarray:
    """`"class score x_min y_min x_max y_max ..."` (single spaces) -> float array of shape (n, 6).

    Split on single spaces as the reference does, so doubled or trailing spaces are invalid."""
    if not isinstance(text, str):
        raise InvalidSubmissionError(
            f"PredictionString must be text 'class score x_min y_min x_max y_max ...', got {text!r}"
        )
    try:
        values = np.array([float(t) for t in text.split(" ")])
    except ValueError as e:
        raise InvalidSubmissionError(f"Could not parse PredictionString {text[:80]!r}: {e}") from None
    if len(values) % 6:
        raise InvalidSubmissionError(
            f"PredictionString must hold groups of 6 values, got {len(values)}: {text[:80]!r}"
        )
    return values.reshape(-1, 6)


def coco_box_map(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    iou_threshold: float = 0.4,
    image_column: str = "image_id",
    prediction_column: str = "PredictionString",
) -> float:
    """COCO bbox mAP at one IoU threshold (see the module docstring for the box quirk).

    `answers`: one row per true box with `image_id, class_id, x_min, y_min, x_max, y_max` (and
    optionally `class_name`). `submission`: `image_id, PredictionString`; the set of its image ids
    must equal the answers' (repeated rows are allowed: all their boxes count).
    """
    # optional (the `detection` extra): only the COCO-style graders need it
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    for column in (prediction_column, image_column):
        if column not in submission.columns:
            raise InvalidSubmissionError(f"Submission must have a `{column}` column.")
    if set(submission[image_column]) != set(answers[image_column]):
        raise InvalidSubmissionError(
            "The set of image ids in the submission must equal the set of test image ids."
        )

    image_ids = answers[image_column].unique()
    index = {image_id: i for i, image_id in enumerate(image_ids)}
    images = [{"id": i} for i in range(len(image_ids))]
    class_ids = sorted(set(answers["class_id"].tolist()))
    categories = [{"id": c, "name": str(c), "supercategory": "none"} for c in class_ids]

    # True boxes grouped by image (first-appearance order), each image's rows in file order.
    position = answers[image_column].map(index).to_numpy()
    order = np.argsort(position, kind="stable")
    coords = answers[["x_min", "y_min", "x_max", "y_max"]].to_numpy(dtype=float)
    classes = answers["class_id"].to_numpy()
    truth = []
    for k, row in enumerate(order):
        x0, y0, x1, y1 = coords[row]
        truth.append({
            "id": k, "image_id": int(position[row]), "category_id": int(classes[row]),
            "bbox": coords[row].copy(), "segmentation": [], "ignore": 0,
            "area": (x1 - x0) * (y1 - y0), "iscrowd": 0,
        })

    detections = []
    rows = zip(submission[image_column].tolist(), submission[prediction_column].tolist(), strict=True)
    for image_id, text in rows:
        for pred in parse_class_score_boxes(text):
            if not math.isfinite(pred[0]):
                raise InvalidSubmissionError(f"Class id must be a finite number, got {pred[0]}.")
            detections.append({
                "id": len(detections), "image_id": index[image_id], "category_id": int(pred[0]),
                "bbox": pred[2:6].copy(), "segmentation": [], "ignore": 0,
                "area": (pred[4] - pred[2]) * (pred[5] - pred[3]), "iscrowd": 0, "score": pred[1],
            })

    with contextlib.redirect_stdout(io.StringIO()):  # pycocotools prints progress
        ground = COCO()
        ground.dataset = {"images": images, "categories": categories, "annotations": truth}
        ground.createIndex()
        predicted = COCO()
        predicted.dataset = {"images": list(images), "categories": list(categories),
                             "annotations": detections}
        predicted.createIndex()
        evaluator = COCOeval(ground, predicted, "bbox")
        params = evaluator.params
        params.imgIds = sorted(ground.getImgIds())
        params.useCats = True
        params.iouThrs = np.array([iou_threshold])
        # Only COCO's stats[0] is needed: the "all" area range at the largest detection limit.
        # The other ranges and limits are evaluated independently in COCOeval, so leaving them
        # out changes no number and saves three quarters of the work.
        params.areaRng, params.areaRngLbl = params.areaRng[:1], params.areaRngLbl[:1]
        params.maxDets = params.maxDets[-1:]
        evaluator.evaluate()
        evaluator.accumulate()
    precision = evaluator.eval["precision"][:, :, :, 0, 0]
    valid = precision[precision > -1]
    return float(np.mean(valid)) if len(valid) else -1.0
