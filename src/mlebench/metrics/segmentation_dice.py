"""Dice coefficient of binary masks, and the mean Dice of run-length-encoded masks per image
(hubmap-kidney-segmentation)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id, require_columns
from mlebench.metrics.rle import rle_decode


def dice_coefficient(pred: np.ndarray, true: np.ndarray, both_empty_value: float = np.nan) -> float:
    """2 |pred & true| / (|pred| + |true|) of two same-shape binary masks (any dimension);
    `both_empty_value` when neither has a foreground pixel.

    Example: pred = [1, 1, 0, 0], true = [0, 1, 1, 1] -> 2 * 1 / (2 + 3) = 0.4.
    """
    if pred.shape != true.shape:
        raise InvalidSubmissionError(f"Mask shapes differ: {pred.shape} vs {true.shape}.")
    if pred.dtype == bool and true.dtype == bool:
        # Same counts as the generic sums below, without a full-size product (HuBMAP's masks
        # have about a billion pixels).
        pred_sum, true_sum = np.count_nonzero(pred), np.count_nonzero(true)
        if pred_sum == 0 and true_sum == 0:
            return both_empty_value
        return 2 * np.count_nonzero(pred & true) / (pred_sum + true_sum)
    pred_sum, true_sum = np.sum(pred), np.sum(true)
    if pred_sum == 0 and true_sum == 0:
        return both_empty_value
    return 2 * np.sum(pred * true) / (pred_sum + true_sum)


def mean_dice_rle(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str,
    mask_column: str,
    answer_mask_column: str,
    height_column: str,
    width_column: str,
    both_empty_value: float = 1.0,
) -> float:
    """Mean over images of the Dice coefficient between the submitted and true run-length masks.

    Rows are matched by `id_column` (every test id exactly once); empty cells are empty masks;
    image sizes come from the answers. Example: two images with Dice 0.4 and 1.0 -> 0.7.
    """
    require_columns(submission, [id_column, mask_column])
    answers = answers.rename(columns={answer_mask_column: "__true__"})
    sub, ans = align_on_id(
        submission[[id_column, mask_column]], answers, id_column, [mask_column]
    )
    scores = []
    for pred_rle, true_rle, height, width in zip(
        sub[mask_column].fillna(""), ans["__true__"].fillna(""),
        ans[height_column], ans[width_column], strict=True,
    ):
        pred = rle_decode(pred_rle, int(height), int(width))
        true = rle_decode(true_rle, int(height), int(width))
        scores.append(dice_coefficient(pred, true, both_empty_value))
    return float(np.mean(scores))
