"""Mean precision over IoU thresholds of run-length-encoded binary masks, one object per image
(tgs-salt-identification-challenge)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id, require_columns
from mlebench.metrics.rle import rle_decode, rle_runs_many
from mlebench.metrics.segmentation_pixels import run_counts_many

IOU_THRESHOLDS = np.arange(0.5, 1.0, 0.05)  # 0.5, 0.55, ..., 0.95


def single_object_precision(true: np.ndarray, pred: np.ndarray) -> float:
    """Precision of one predicted mask against one true mask, averaged over IoU thresholds 0.5 to
    0.95: with one object each side, a threshold scores 1 if IoU > threshold, else 0.

    An empty true mask scores 1 for an empty prediction, else 0. Reproduced reference quirk: the
    reference bins pixels with `np.histogram2d`, which puts a constant all-zero prediction in the
    foreground bin, so an empty prediction for a non-empty true mask is scored as if it covered
    the whole image (IoU = true area / image area).
    Example: true 4 pixels, predicted 3 of them and nothing else -> IoU 0.75 > 0.5, 0.55, 0.6,
    0.65, 0.7 -> 5/10 = 0.5. Empty prediction on a 101x101 image whose true mask has 6,000 pixels
    -> IoU 6000/10201 = 0.588 -> 2/10 = 0.2.
    """
    if not true.any():
        return 1.0 if not pred.any() else 0.0
    if not pred.any():
        pred = np.ones_like(pred)
    intersection = float(np.sum(true & pred))
    union = float(np.sum(true)) + float(np.sum(pred)) - intersection
    iou = intersection / union
    return float(np.mean([1 if iou > t else 0 for t in IOU_THRESHOLDS]))


def _precisions_from_counts(
    tp: np.ndarray, pred: np.ndarray, true: np.ndarray, n_pixels: int
) -> np.ndarray:
    """`single_object_precision` of many images from their pixel counts (intersection, predicted
    and true areas), with the same float operations: IoU is a quotient of exact whole numbers and
    a precision a count of thresholds over 10."""
    empty = pred == 0
    # the quirk: an empty prediction counts as the whole image
    tp, pred = np.where(empty, true, tp), np.where(empty, n_pixels, pred)
    with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0 where the truth is empty
        iou = tp / (true + pred - tp).astype(float)
    passed = (iou[:, None] > IOU_THRESHOLDS).sum(axis=1)
    precision = passed.astype(float) / len(IOU_THRESHOLDS)
    # an empty truth: 1 for an empty prediction, else 0
    return np.where(true == 0, np.where(empty, 1.0, 0.0), precision)


def mean_precision_iou(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    mask_column: str,
    height: int,
    width: int,
) -> float:
    """Mean over images of `single_object_precision` of the decoded masks (empty cells, read as
    NaN, are empty masks; every cell must be text, as in the reference), taken in ascending id
    order as the reference takes it. Example: two images scoring 1.0 and 0.5 -> 0.75.

    Valid masks are scored from their runs' pixel counts, all images at once (`rle_runs_many`,
    `run_counts_many`); anything else is decoded mask by mask, which words the error."""
    require_columns(submission, [id_column, mask_column])
    sub, ans = align_on_id(submission.fillna(""), answers.fillna(""), id_column, [mask_column])
    for column in (id_column, mask_column):
        for value in sub[column]:
            if not isinstance(value, str):
                raise InvalidSubmissionError(
                    f"Column '{column}' must hold strings (run-length masks, ids), got {value!r}."
                )
    n_pixels = int(height) * int(width)
    pred = rle_runs_many(sub[mask_column].to_numpy(), n_pixels)
    true = None if pred is None else rle_runs_many(ans[mask_column].to_numpy(), n_pixels)
    if true is not None:  # the usual, valid case: pixel counts straight from the runs
        counts = run_counts_many(pred, true, len(ans))
        precisions = _precisions_from_counts(*counts, n_pixels)
    else:  # something to refuse (or unusual): decoded mask by mask, the first bad mask named
        preds = [rle_decode(r, height, width) for r in sub[mask_column]]
        trues = [rle_decode(r, height, width) for r in ans[mask_column]]
        precisions = np.array(
            [single_object_precision(t, p) for t, p in zip(trues, preds, strict=False)])
    # Averaged in ascending id order, as the reference (which sorts both tables by id) does: the
    # float of a mean depends on the order of the terms.
    order = np.argsort(ans[id_column].to_numpy(), kind="stable")
    return float(np.mean(precisions[order]))
