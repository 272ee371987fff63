"""Mean average precision over 3D boxes (Lyft 3D Object Detection for Autonomous Vehicles).

Each test row is one lidar sample. Its prediction string holds zero or more boxes of nine
space-separated tokens: ``confidence center_x center_y center_z width length height yaw class``.
The answers use the same format (with confidence 1.0).

Scoring, as in the challenge's published evaluation script used by the reference grader:

* every sample is scored on its own: for each class present in the sample's ground truth, the
  sample's predictions of that class are sorted by confidence (highest first, ties keep their
  order) and walked greedily: a prediction is a true positive when its best-overlapping truth box
  (the first one on ties) has IoU strictly above the threshold and has not been claimed yet;
  otherwise (also when its best box is already claimed) it is a false positive;
* the class's AP is the area under the precision envelope (all-point interpolation, VOC style);
  a truth class without any prediction of that class scores 0, predictions of classes absent from
  the sample's truth are ignored;
* the sample's mAP at a threshold is the mean AP over its truth classes; the score is the mean over
  samples and over the IoU thresholds 0.5, 0.55, ..., 0.95.

IoU is volumetric: the boxes' footprints are rotated rectangles (yaw around the vertical axis)
intersected as polygons, times the overlap of their vertical extents, over the union of volumes.
The reference intersects every (prediction, truth) pair of a class with shapely once per threshold;
here footprint corners are computed with the reference's floating-point operations (the rotation's
cosine/sine come from pyquaternion's 4x4 product, reproduced as one batched matmul), pairs whose
bounding circles are apart (IoU exactly 0) or whose bounding-box bound stays below the lowest
threshold are skipped, the rest are intersected once with a vectorised numpy clipping, and every
prediction with a borderline case (an IoU within its rounding bound of a threshold, or two nearly
equal best IoUs) has its pairs recomputed with shapely in the reference's operand order. Every
decision ``IoU > t`` and every best-box choice is therefore the reference's; scores agree to
rounding (in practice bit for bit).

Invalid (`InvalidSubmissionError`): a prediction string that is not text, whose token count is not
a multiple of nine, with a non-numeric value or an infinite yaw; and, among the boxes that take part
in the evaluation (their class is in the sample's truth), NaN values, a non-positive size or a box
whose footprint is numerically not a rectangle (e.g. infinite values). The reference raises on the
same inputs.

Hand-computed example (one sample, thresholds 0.5..0.95):
    truth: car A at (0, 0, 0) and car B at (10, 0, 0), both width 2, length 4, height 2, yaw 0.
    preds: "0.9 0 0 0 2 4 2 0 car"   -> same as A: IoU 1
           "0.8 11 0 0 2 4 2 0 car"  -> B shifted 1 m along its length: footprint overlap 3 x 2 = 6,
                                        volume overlap 12, union 16 + 16 - 12 = 20, IoU 0.6
           "0.7 50 50 0 1 1 1 0 pedestrian" -> no pedestrian in the truth: ignored.
    t = 0.5, 0.55: both cars match -> precision 1, 1 at recall 0.5, 1 -> AP 1.
    t = 0.6 .. 0.95 (8 thresholds): 0.6 > t fails from t = 0.6 on -> TP then FP: recalls 0.5, 0.5,
    precisions 1, 0.5 -> AP = 0.5 * 1 = 0.5.
    score = (2 * 1 + 8 * 0.5) / 10 = 0.6
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id
from mlebench.metrics.box_geometry_3d import (  # noqa: F401 (convex_intersection_area: the API)
    bounding_radius,
    candidate_pairs,
    convex_intersection_area,
    decided_iou,
    footprint_corners,
    is_rectangle,
    yaw_cos_sin,
)

LYFT_IOU_THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
TOKENS_PER_BOX = 9  # confidence, x, y, z, width, length, height, yaw, class name


class ParsedBoxes:
    """Boxes of many samples as flat arrays: `row` (sample index), `values` (n, 8: confidence, x, y,
    z, width, length, height, yaw) and `names` (class names)."""

    def __init__(self, row: np.ndarray, values: np.ndarray, names: np.ndarray) -> None:
        self.row, self.values, self.names = row, values, names

    def __len__(self) -> int:
        return len(self.row)


def parse_box_strings(strings: Sequence[object], ids: Sequence[object] | None = None,
                      what: str = "Submission") -> ParsedBoxes:
    """Parse prediction strings (one per sample; '' = no box) into flat arrays.

    Raises `InvalidSubmissionError` for non-text values, a token count that is not a multiple of 9,
    a value that `float()` refuses or an infinite yaw (the reference fails on all of these while
    parsing, whatever the box's class)."""
    counts: list[int] = []
    filled: list[str] = []
    for i, s in enumerate(strings):
        if not isinstance(s, str):
            raise InvalidSubmissionError(
                f"{what}: prediction for {_name(ids, i)} must be a string of boxes, got {s!r}."
            )
        if s.strip() == "":
            counts.append(0)
            continue
        n_tokens = s.count(" ") + 1  # = len(s.split(" "))
        if n_tokens % TOKENS_PER_BOX:
            raise InvalidSubmissionError(
                f"{what}: prediction for {_name(ids, i)} has {n_tokens} space-separated tokens, "
                f"not a multiple of {TOKENS_PER_BOX} ('confidence x y z width length height yaw "
                "class' per box; separate tokens by single spaces)."
            )
        counts.append(n_tokens // TOKENS_PER_BOX)
        filled.append(s)
    row = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    tokens = " ".join(filled).split(" ") if filled else []
    table = np.array(tokens, dtype=object).reshape(-1, TOKENS_PER_BOX)
    try:
        values = table[:, :8].astype(np.float64)  # float() of each token, as the reference parses
    except (ValueError, TypeError):
        numeric = table[:, :8].ravel().tolist()
        bad = next(k for k, tok in enumerate(numeric) if not _is_float(tok))
        raise InvalidSubmissionError(
            f"{what}: prediction for {_name(ids, int(row[bad // 8]))} has a non-numeric value "
            f"{numeric[bad]!r} where a number is expected."
        ) from None
    if np.isinf(values[:, 7]).any():
        bad = int(np.flatnonzero(np.isinf(values[:, 7]))[0])
        raise InvalidSubmissionError(
            f"{what}: prediction for {_name(ids, int(row[bad]))} has an infinite yaw."
        )
    return ParsedBoxes(row, values, table[:, 8].copy())


def _name(ids: Sequence[object] | None, i: int) -> str:
    return f"id {ids[i]!r}" if ids is not None else f"row {i}"


def _is_float(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _check_evaluated_predictions(values: np.ndarray, corners: np.ndarray, where: np.ndarray,
                                 ids: Sequence[object] | None) -> None:
    checks = (
        (np.isnan(values[:, 1:4]).any(axis=1), "a NaN center"),
        (np.isnan(values[:, 4:7]).any(axis=1), "a NaN size"),
        (np.isnan(values[:, 7]), "a NaN yaw"),
        (~(values[:, 4:7] > 0).all(axis=1), "a width, length or height that is not positive"),
        (~is_rectangle(corners), "a footprint that is numerically not a rectangle (huge or "
                                  "infinite values)"),
    )
    for bad, reason in checks:
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise InvalidSubmissionError(
                f"Submission: prediction for {_name(ids, int(where[k]))} has a box with {reason}."
            )


def _prediction_order(group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Evaluation order: by group, then by confidence descending with ties in submission order
    (Python's stable `sorted(..., reverse=True)`; groups holding a NaN confidence are ordered by
    Python's sort itself, whose result with NaN keys depends on the algorithm)."""
    order = np.lexsort((np.arange(len(group)), -score, group))
    nan_groups = np.unique(group[np.isnan(score)])
    if len(nan_groups):
        sorted_group = group[order]
        for g in nan_groups.tolist():
            lo, hi = np.searchsorted(sorted_group, [g, g + 1])
            members = np.flatnonzero(group == g)  # submission order
            keys = score[members].tolist()
            ranked = sorted(range(len(members)), key=lambda i: keys[i], reverse=True)
            order[lo:hi] = members[ranked]
    return order


def _segment_suffix_max(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """max(values[i:end of i's group]) for contiguous, increasing `group` (exact: works on ranks)."""
    uniq, rank = np.unique(values, return_inverse=True)
    offset = (n_groups - 1 - group).astype(np.int64) * len(uniq)
    key = rank.astype(np.int64) + offset
    suffix = np.maximum.accumulate(key[::-1])[::-1]
    return uniq[suffix - offset]


def lyft_mean_average_precision(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str = "Id",
    prediction_column: str = "PredictionString",
    iou_thresholds: Sequence[float] = LYFT_IOU_THRESHOLDS,
) -> float:
    """Mean over samples and IoU thresholds of the per-sample 3D mAP (see the module docstring)."""
    thresholds = [float(t) for t in iou_thresholds]
    if not thresholds or not all(0 <= t <= 1 for t in thresholds):
        raise ValueError("IoU thresholds must lie in [0, 1].")
    sub, ans = align_on_id(submission, answers, id_column, [prediction_column])
    assert prediction_column in ans.columns, f"answers lack column {prediction_column}"
    order = np.argsort(ans[id_column].to_numpy(), kind="stable")  # the reference sorts by id
    ids = ans[id_column].to_numpy()[order]
    n_rows = len(ids)
    if n_rows == 0:
        raise InvalidSubmissionError("There are no samples to score.")
    sub_strings = sub[prediction_column].to_numpy()[order]
    sub_strings = np.where(pd.isna(sub_strings), "", sub_strings).tolist()
    preds = parse_box_strings(sub_strings, ids, "Submission")
    gts = parse_box_strings(ans[prediction_column].to_numpy()[order].tolist(), ids, "Answers")

    # Groups: (sample, class) pairs present in the truth.
    codes, _ = pd.factorize(np.concatenate([gts.names, preds.names]), use_na_sentinel=False)
    n_cls = int(codes.max()) + 1 if len(codes) else 1
    gt_key = gts.row * n_cls + codes[: len(gts)]
    group_keys, gt_group = np.unique(gt_key, return_inverse=True)
    n_groups = len(group_keys)
    gt_per_group = np.bincount(gt_group, minlength=n_groups).astype(np.float64)
    classes_per_row = np.bincount(group_keys // n_cls, minlength=n_rows).astype(np.float64)

    pred_key = preds.row * n_cls + codes[len(gts):]
    pos = np.minimum(np.searchsorted(group_keys, pred_key), max(n_groups - 1, 0))
    evaluated = (group_keys[pos] == pred_key) if n_groups else np.zeros(len(preds), bool)
    p_vals = preds.values[evaluated]
    p_group = pos[evaluated]
    p_corners = footprint_corners(p_vals)
    _check_evaluated_predictions(p_vals, p_corners, preds.row[evaluated], ids)

    # Best truth box (max IoU, first on ties) of every evaluated prediction.
    g_vals = gts.values
    g_corners = footprint_corners(g_vals)
    pi, gi = candidate_pairs(p_group, p_vals[:, 1:3], bounding_radius(p_vals),
                             gt_group, g_vals[:, 1:3], bounding_radius(g_vals))
    best_iou = np.zeros(len(p_vals))
    best_gt = np.full(len(p_vals), -1, dtype=np.int64)
    if len(pi):
        iou = decided_iou(pi, gi, p_vals, g_vals, p_corners, g_corners, thresholds)
        ranked = np.lexsort((gi, -iou, pi))
        first = ranked[np.r_[True, pi[ranked][1:] != pi[ranked][:-1]]]
        positive = iou[first] > 0
        best_iou[pi[first[positive]]] = iou[first[positive]]
        best_gt[pi[first[positive]]] = gi[first[positive]]

    # Greedy matching and AP per group, for each threshold.
    order_p = _prediction_order(p_group, p_vals[:, 0])
    grp, m_iou, m_gt = p_group[order_p], best_iou[order_p], best_gt[order_p]
    n = len(grp)
    starts = np.flatnonzero(np.r_[True, grp[1:] != grp[:-1]]) if n else np.empty(0, np.int64)
    lengths = np.diff(np.r_[starts, n])
    start_of = np.repeat(starts, lengths)
    position = (np.arange(n) - start_of + 1).astype(np.float64)
    n_gt = gt_per_group[grp]
    group_row = group_keys // n_cls
    scores = np.empty((n_rows, len(thresholds)))
    for t_index, t in enumerate(thresholds):
        hit = np.flatnonzero(m_iou > t)
        _, first_claim = np.unique(m_gt[hit], return_index=True)
        tp = np.zeros(n, dtype=np.int64)
        tp[hit[first_claim]] = 1
        cum = np.cumsum(tp)
        tp_cum = (cum - np.repeat(cum[starts] - tp[starts], lengths)).astype(np.float64)
        recall = tp_cum / n_gt
        precision = tp_cum / np.maximum(position, np.finfo(np.float64).eps)
        envelope = _segment_suffix_max(precision, grp, n_groups) if n else precision
        prev_recall = np.r_[0.0, recall[:-1]] if n else recall
        prev_recall[starts] = 0.0
        is_tp = tp == 1
        ap = np.bincount(grp[is_tp], weights=((recall - prev_recall) * envelope)[is_tp],
                         minlength=n_groups)
        row_sum = np.bincount(group_row, weights=ap, minlength=n_rows)
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[:, t_index] = row_sum / classes_per_row
    return float(np.mean(scores.ravel()))
