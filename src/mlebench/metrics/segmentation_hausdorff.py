"""Normalised 3-D Hausdorff distance of binary volumes, and the 0.4 * Dice + 0.6 * (1 - Hausdorff)
score of run-length-encoded slice masks stacked into per-scan volumes
(uw-madison-gi-tract-image-segmentation)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.spatial.distance import directed_hausdorff

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import require_columns, require_same_length
from mlebench.metrics.rle import rle_decode
from mlebench.metrics.segmentation_dice import dice_coefficient

UNIT_CUBE_DIAGONAL = np.sqrt(3)


def normalized_hausdorff(pred: np.ndarray, true: np.ndarray) -> float:
    """Symmetric Hausdorff distance between the foreground voxels of two binary volumes, with each
    voxel index divided by the TRUE volume's shape (so coordinates lie in [0, 1)) and the distance
    divided by sqrt(3), the unit cube's diagonal.

    Special cases, in this order (as in the reference): both empty -> NaN (skipped by the mean);
    identical -> 0; exactly one empty -> 1; prediction with more than 10x the true voxels -> 1.
    Example: true has one voxel at (0, 0, 0), pred one at (0, 0, 1), shape (1, 2, 2): the
    normalised points are (0, 0, 0) and (0, 0, 0.5) -> 0.5 / sqrt(3) = 0.288675...
    """
    pred_sum, true_sum = np.sum(pred), np.sum(true)
    if pred_sum == 0 and true_sum == 0:
        return np.nan
    if np.array_equal(pred, true):
        return 0.0
    if pred_sum == 0 or true_sum == 0:
        return 1.0
    if pred_sum > 10 * true_sum:
        return 1.0
    scale = true.shape
    true_points = np.argwhere(true) / scale
    pred_points = np.argwhere(pred) / scale
    forward = directed_hausdorff(true_points, pred_points)[0]
    backward = directed_hausdorff(pred_points, true_points)[0]
    return max(forward, backward) / UNIT_CUBE_DIAGONAL


def stack_slices_by_scan(masks: Sequence[np.ndarray], slice_ids: Sequence[str]) -> list[np.ndarray]:
    """Merge (logical OR) the masks sharing a slice id such as "case123_day20_slice_0001", then
    stack each scan's ("case123_day20") merged slices along a new first axis as uint8, in sorted
    slice-id order; scans are returned in sorted order too.

    Example: ids [s_b, s_a, s_a] with masks [B, A1, A2] -> one scan stacked as [A1 | A2, B].
    """
    by_slice: dict[str, list[np.ndarray]] = {}
    # A stable sort on the id only, like the reference (ties keep their row order).
    for index in sorted(range(len(slice_ids)), key=lambda i: slice_ids[i]):
        by_slice.setdefault(slice_ids[index], []).append(masks[index])
    by_scan: dict[str, list[np.ndarray]] = {}
    for slice_id, group in by_slice.items():
        scan = slice_id.split("_slice_")[0]
        by_scan.setdefault(scan, []).append(np.logical_or.reduce(group).astype(np.uint8))
    try:
        return [np.stack(slices, axis=0) for slices in by_scan.values()]
    except ValueError:
        raise InvalidSubmissionError("Slices of one scan have different image sizes.") from None


def dice_hausdorff_score(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    key_columns: Sequence[str] = ("id", "class"),
    mask_column: str = "predicted",
    height_column: str = "image_height",
    width_column: str = "image_width",
    dice_weight: float = 0.4,
    hausdorff_weight: float = 0.6,
) -> float:
    """`dice_weight` * mean 2-D Dice + `hausdorff_weight` * (1 - mean 3-D normalised Hausdorff).

    Rows are matched on `key_columns` (each (id, class) of the answers exactly once) and scored in
    the answers' row order. Dice is per row (slice and class), skipping rows where both masks are
    empty; Hausdorff is per scan, on the volumes from `stack_slices_by_scan` (all classes merged),
    skipping scans where both are empty. Empty cells are empty masks.
    Example: one scan, Dice 0.5 on its only non-empty row and Hausdorff 0.25 ->
    0.4 * 0.5 + 0.6 * 0.75 = 0.65.
    """
    keys = list(key_columns)
    require_columns(submission, [*keys, mask_column])
    require_same_length(submission, answers)
    sub_keys = submission[keys].astype(str)
    dup = sub_keys.duplicated()
    if dup.any():
        first = sub_keys[dup].iloc[0].tolist()
        raise InvalidSubmissionError(f"Submission has duplicate {keys} rows, e.g. {first}.")
    sub_index = pd.MultiIndex.from_frame(sub_keys)
    ans_index = pd.MultiIndex.from_frame(answers[keys].astype(str))
    if not ans_index.isin(sub_index).all():
        missing = ans_index[~ans_index.isin(sub_index)][:3].tolist()
        raise InvalidSubmissionError(f"Submission lacks {keys} rows of the test set, e.g. {missing}.")
    position = pd.Series(np.arange(len(submission)), index=sub_index)
    predicted = submission[mask_column].fillna("").to_numpy()[position.loc[ans_index].to_numpy()]

    heights = answers[height_column].astype(int).tolist()
    widths = answers[width_column].astype(int).tolist()
    pred_masks = [rle_decode(r, h, w) for r, h, w in zip(predicted, heights, widths, strict=True)]
    true_masks = [
        rle_decode(r, h, w)
        for r, h, w in zip(answers[mask_column].fillna(""), heights, widths, strict=True)
    ]
    dice = np.nanmean([dice_coefficient(p, t, np.nan) for p, t in zip(pred_masks, true_masks, strict=True)])
    ids = answers[keys[0]].astype(str).tolist()
    hausdorff = np.nanmean([
        normalized_hausdorff(p, t)
        for p, t in zip(stack_slices_by_scan(pred_masks, ids), stack_slices_by_scan(true_masks, ids), strict=True)
    ])
    return float(dice_weight * dice + hausdorff_weight * (1 - hausdorff))
