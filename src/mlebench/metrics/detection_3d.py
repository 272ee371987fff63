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

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id

LYFT_IOU_THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
TOKENS_PER_BOX = 9  # confidence, x, y, z, width, length, height, yaw, class name
_CHUNK = 1 << 16


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


def yaw_cos_sin(yaw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Entries (0, 0) and (1, 0) of the rotation matrix of a yaw, exactly as the reference gets them:
    `Quaternion(axis=[0, 0, 1], radians=yaw)` (math.cos/sin of yaw/2), then pyquaternion's
    `rotation_matrix`, the product of its two 4x4 quaternion matrices (here one batched matmul, which
    runs the same BLAS product as pyquaternion's `np.dot`, so the results are bit-identical)."""
    n = len(yaw)
    cos_out, sin_out = np.empty(n), np.empty(n)
    for start in range(0, n, _CHUNK):
        half = (yaw[start:start + _CHUNK] / 2.0).tolist()
        w = np.array([math.cos(v) for v in half])
        s = np.array([math.sin(v) for v in half])
        x, y, z = 0.0 * s, 0.0 * s, 1.0 * s  # pyquaternion: axis [0, 0, 1] * sin(theta)
        m = len(w)
        left, bar = np.empty((m, 4, 4)), np.empty((m, 4, 4))
        left[:, 0] = np.stack([w, -x, -y, -z], 1)
        left[:, 1] = np.stack([x, w, -z, y], 1)
        left[:, 2] = np.stack([y, z, w, -x], 1)
        left[:, 3] = np.stack([z, -y, x, w], 1)
        bar[:, 0] = np.stack([w, -x, -y, -z], 1)
        bar[:, 1] = np.stack([x, w, z, -y], 1)
        bar[:, 2] = np.stack([y, -z, w, x], 1)
        bar[:, 3] = np.stack([z, y, -x, w], 1)
        product = np.matmul(left, np.swapaxes(bar, 1, 2))
        cos_out[start:start + m] = product[:, 1, 1]
        sin_out[start:start + m] = product[:, 2, 1]
    return cos_out, sin_out


def footprint_corners(values: np.ndarray) -> np.ndarray:
    """(n, 4, 2) footprint corners of boxes given as (n, 8) parsed values, in the reference's order
    and with its operation order."""
    cx, cy = values[:, 1], values[:, 2]
    half_w, half_l = values[:, 4] / 2, values[:, 5] / 2
    c, s = yaw_cos_sin(values[:, 7])
    corners = np.empty((len(values), 4, 2))
    with np.errstate(invalid="ignore", over="ignore"):  # non-finite boxes are refused afterwards
        _fill_corners(corners, cx, cy, half_w, half_l, c, s)
    return corners


def _fill_corners(corners, cx, cy, half_w, half_l, c, s) -> None:
    corners[:, 0, 0] = cx + half_l * c + half_w * s
    corners[:, 0, 1] = cy + half_l * s - half_w * c
    corners[:, 1, 0] = cx + half_l * c - half_w * s
    corners[:, 1, 1] = cy + half_l * s + half_w * c
    corners[:, 2, 0] = cx - half_l * c - half_w * s
    corners[:, 2, 1] = cy - half_l * s + half_w * c
    corners[:, 3, 0] = cx - half_l * c + half_w * s
    corners[:, 3, 1] = cy - half_l * s - half_w * c


def _is_rectangle(corners: np.ndarray) -> np.ndarray:
    """The reference's four `check_orthogonal` assertions (np.isclose(dot, 0), i.e. |dot| <= 1e-8)."""
    ok = np.ones(len(corners), dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf: NaN, which fails the check
        for a, b, c in ((0, 1, 3), (1, 0, 2), (2, 1, 3), (3, 0, 2)):
            pa, pb, pc = corners[:, a], corners[:, b], corners[:, c]
            dot = (pb[:, 0] - pa[:, 0]) * (pc[:, 0] - pa[:, 0]) + (pb[:, 1] - pa[:, 1]) * (pc[:, 1] - pa[:, 1])
            ok &= np.abs(dot) <= 1e-8
    return ok


def _check_evaluated_predictions(values: np.ndarray, corners: np.ndarray, where: np.ndarray,
                                 ids: Sequence[object] | None) -> None:
    checks = (
        (np.isnan(values[:, 1:4]).any(axis=1), "a NaN center"),
        (np.isnan(values[:, 4:7]).any(axis=1), "a NaN size"),
        (np.isnan(values[:, 7]), "a NaN yaw"),
        (~(values[:, 4:7] > 0).all(axis=1), "a width, length or height that is not positive"),
        (~_is_rectangle(corners), "a footprint that is numerically not a rectangle (huge or "
                                  "infinite values)"),
    )
    for bad, reason in checks:
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise InvalidSubmissionError(
                f"Submission: prediction for {_name(ids, int(where[k]))} has a box with {reason}."
            )


def _candidate_pairs(pred_group: np.ndarray, pred_xy: np.ndarray, pred_radius: np.ndarray,
                     gt_group: np.ndarray, gt_xy: np.ndarray, gt_radius: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(prediction, truth) index pairs of the same group whose bounding circles overlap; pairs left
    out have disjoint footprints (intersection area exactly 0, IoU 0)."""
    if len(pred_group) == 0 or len(gt_group) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    x_all = np.concatenate([pred_xy[:, 0], gt_xy[:, 0]])
    x_min, x_span = x_all.min(), x_all.max() - x_all.min()
    reach = float(pred_radius.max() + gt_radius.max())
    stride = x_span + 2 * reach + 1.0
    top = float(max(pred_group.max(), gt_group.max()) + 1) * stride
    if not (np.isfinite(stride) and np.isfinite(top)) or top > 1e15:  # absurd coordinates
        return _all_pairs(pred_group, gt_group)
    gt_key = gt_group * stride + (gt_xy[:, 0] - x_min)
    order = np.argsort(gt_key, kind="stable")
    sorted_key = gt_key[order]
    pred_key = pred_group * stride + (pred_xy[:, 0] - x_min)
    slack = 1e-9 * top + 1e-6
    half = pred_radius + gt_radius.max() + slack
    lo = np.searchsorted(sorted_key, pred_key - half, side="left")
    hi = np.searchsorted(sorted_key, pred_key + half, side="right")
    counts = hi - lo
    p = np.repeat(np.arange(len(pred_group)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    g = order[np.repeat(lo, counts) + offsets]
    keep = pred_group[p] == gt_group[g]
    p, g = p[keep], g[keep]
    d2 = (pred_xy[p, 0] - gt_xy[g, 0]) ** 2 + (pred_xy[p, 1] - gt_xy[g, 1]) ** 2
    keep = d2 <= (pred_radius[p] + gt_radius[g]) ** 2
    return p[keep], g[keep]


def _all_pairs(pred_group: np.ndarray, gt_group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    gt_order = np.argsort(gt_group, kind="stable")
    starts = np.searchsorted(gt_group[gt_order], pred_group, side="left")
    ends = np.searchsorted(gt_group[gt_order], pred_group, side="right")
    counts = ends - starts
    p = np.repeat(np.arange(len(pred_group)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return p, gt_order[np.repeat(starts, counts) + offsets]


def _bounding_radius(values: np.ndarray) -> np.ndarray:
    """Radius around the center that surely contains the computed footprint corners (half diagonal
    plus a margin for rounding, which grows with the coordinates' magnitude)."""
    half_diag = 0.5 * np.hypot(values[:, 4], values[:, 5])
    scale = np.abs(values[:, 1]) + np.abs(values[:, 2]) + half_diag
    return half_diag * (1 + 1e-9) + 1e-9 * scale + 1e-9


def _heights_and_volumes(pred_vals: np.ndarray, gt_vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertical overlap and volume sum of aligned (prediction, truth) pairs, with the reference's
    formulas and operand order."""
    p_min = pred_vals[:, 3] - pred_vals[:, 6] / 2
    p_max = pred_vals[:, 3] + pred_vals[:, 6] / 2
    g_min = gt_vals[:, 3] - gt_vals[:, 6] / 2
    g_max = gt_vals[:, 3] + gt_vals[:, 6] / 2
    height = np.maximum(0.0, np.minimum(g_max, p_max) - np.maximum(g_min, p_min))
    p_vol = (pred_vals[:, 4] * pred_vals[:, 5]) * pred_vals[:, 6]
    g_vol = (gt_vals[:, 4] * gt_vals[:, 5]) * gt_vals[:, 6]
    return height, p_vol + g_vol


def _pair_iou(pred_vals: np.ndarray, gt_vals: np.ndarray, pred_poly: np.ndarray,
              gt_poly: np.ndarray) -> np.ndarray:
    """Exact IoU of aligned (prediction, truth) pairs: the reference's formula, shapely (GEOS)
    footprint intersections with the prediction first, as the reference calls them."""
    import shapely  # optional (the `detection` extra): only this grader needs it

    height, volumes = _heights_and_volumes(pred_vals, gt_vals)
    area = np.zeros(len(height))
    overlapping = height > 0
    if overlapping.any():
        try:
            area[overlapping] = shapely.area(
                shapely.intersection(pred_poly[overlapping], gt_poly[overlapping])
            )
        except shapely.errors.GEOSException as e:
            raise InvalidSubmissionError(f"Submission: a box footprint cannot be intersected ({e}).") from None
    intersection = height * area
    union = volumes - intersection
    return np.clip(intersection / union, 0, 1)


def convex_intersection_area(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Areas of the intersections of counter-clockwise convex quadrilaterals `first[i]` and
    `second[i]` ((n, 4, 2) each), by Sutherland-Hodgman clipping in float64. Accurate to rounding,
    but not bit-identical to GEOS: callers re-check borderline cases with shapely."""
    n, slots = len(first), 8  # clipping a quadrilateral by 4 half-planes leaves at most 8 vertices
    xs, ys = np.zeros((n, slots)), np.zeros((n, slots))
    xs[:, :4], ys[:, :4] = first[:, :, 0], first[:, :, 1]
    count = np.full(n, 4)
    rows = np.arange(n)
    slot = np.arange(slots)[None, :]
    for e in range(4):
        ax, ay = second[:, e, 0][:, None], second[:, e, 1][:, None]
        ex = second[:, (e + 1) % 4, 0][:, None] - ax
        ey = second[:, (e + 1) % 4, 1][:, None] - ay
        nx, ny = np.roll(xs, -1, axis=1), np.roll(ys, -1, axis=1)
        last = count - 1
        nx[rows, last], ny[rows, last] = xs[:, 0], ys[:, 0]
        side = ex * (ys - ay) - ey * (xs - ax)
        side_next = ex * (ny - ay) - ey * (nx - ax)
        valid = slot < count[:, None]
        inside, inside_next = side >= 0, side_next >= 0
        denom = side - side_next
        crosses = valid & (inside != inside_next)
        frac = np.divide(side, denom, out=np.zeros_like(side), where=crosses)
        emit = np.empty((n, slots, 2), dtype=bool)
        emit[:, :, 0], emit[:, :, 1] = valid & inside, crosses
        cand_x = np.stack([xs, xs + frac * (nx - xs)], axis=2).reshape(n, 2 * slots)
        cand_y = np.stack([ys, ys + frac * (ny - ys)], axis=2).reshape(n, 2 * slots)
        emit = emit.reshape(n, 2 * slots)
        position = np.cumsum(emit, axis=1) - 1
        count = position[:, -1] + 1
        xs, ys = np.zeros((n, slots)), np.zeros((n, slots))
        r, c = np.nonzero(emit)
        xs[r, position[r, c]] = cand_x[r, c]
        ys[r, position[r, c]] = cand_y[r, c]
    nx, ny = np.roll(xs, -1, axis=1), np.roll(ys, -1, axis=1)
    last = np.maximum(count - 1, 0)
    nx[rows, last], ny[rows, last] = xs[:, 0], ys[:, 0]
    cross = np.where(slot < count[:, None], xs * ny - nx * ys, 0.0)
    area = 0.5 * cross.sum(axis=1)
    return np.where(count >= 3, np.maximum(area, 0.0), 0.0)


def _approx_pair_iou(pred_vals: np.ndarray, gt_vals: np.ndarray, pred_corners: np.ndarray,
                     gt_corners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """IoU of aligned pairs with numpy footprint clipping, and a generous bound on its difference
    from the exact (shapely) value: rounding of coordinates of magnitude `scale` moves the clipped
    area by far less than 1e-12 * scale * (sum of the boxes' radii)."""
    height, volumes = _heights_and_volumes(pred_vals, gt_vals)
    centre = gt_vals[:, None, 1:3]
    area = convex_intersection_area(pred_corners - centre, gt_corners - centre)
    intersection = height * area
    union = volumes - intersection
    with np.errstate(invalid="ignore", divide="ignore"):
        iou = np.clip(intersection / union, 0, 1)
        radii = 0.5 * (np.hypot(pred_vals[:, 4], pred_vals[:, 5]) + np.hypot(gt_vals[:, 4], gt_vals[:, 5]))
        scale = np.abs(gt_vals[:, 1]) + np.abs(gt_vals[:, 2]) + radii + 1.0
        area_error = 1e-12 * scale * (radii + 1.0)
        error = 2 * height * area_error * volumes / np.maximum(union - height * area_error, 0) ** 2 + 1e-12
    return iou, np.where(np.isfinite(error), error, np.inf)


def _polygons(corners: np.ndarray) -> np.ndarray:
    import shapely  # optional (the `detection` extra): only this grader needs it

    ring = np.concatenate([corners, corners[:, :1]], axis=1)  # closed ring, as the reference builds
    return shapely.polygons(ring)


def _iou_upper_bound(pred_vals: np.ndarray, gt_vals: np.ndarray, pred_corners: np.ndarray,
                     gt_corners: np.ndarray) -> np.ndarray:
    """An upper bound of the pairs' IoU: the footprint overlap is at most the overlap of the
    footprints' axis-aligned bounding boxes and at most the smaller footprint."""
    height, volumes = _heights_and_volumes(pred_vals, gt_vals)
    lo = np.maximum(pred_corners.min(axis=1), gt_corners.min(axis=1))
    hi = np.minimum(pred_corners.max(axis=1), gt_corners.max(axis=1))
    box = np.prod(np.maximum(hi - lo, 0.0), axis=1)
    smaller = np.minimum(pred_vals[:, 4] * pred_vals[:, 5], gt_vals[:, 4] * gt_vals[:, 5])
    overlap = height * np.minimum(box, smaller)
    with np.errstate(invalid="ignore", divide="ignore"):
        bound = overlap / (volumes - overlap)
    return np.where(np.isnan(bound), np.inf, bound)


def _decided_iou(pi: np.ndarray, gi: np.ndarray, p_vals: np.ndarray, g_vals: np.ndarray,
                 p_corners: np.ndarray, g_corners: np.ndarray, thresholds: list[float]) -> np.ndarray:
    """IoU of candidate pairs, good enough to take every decision exactly as the reference: numpy
    values where they are clearly on one side of every threshold and clearly below the prediction's
    best pair; the exact shapely value for all pairs of any prediction with a borderline case."""
    iou, error = np.zeros(len(pi)), np.zeros(len(pi))
    # Pairs that cannot reach the lowest threshold never decide anything: a prediction whose pairs
    # all stay below it is a false positive everywhere, and otherwise its best pair is above it.
    maybe = _iou_upper_bound(p_vals[pi], g_vals[gi], p_corners[pi], g_corners[gi]) > min(thresholds) - 1e-6
    iou[maybe], error[maybe] = _approx_pair_iou(p_vals[pi[maybe]], g_vals[gi[maybe]],
                                                p_corners[pi[maybe]], g_corners[gi[maybe]])
    unsure = np.zeros(len(pi), dtype=bool)
    for t in thresholds:
        unsure |= np.abs(iou - t) <= error
    ranked = np.lexsort((-iou, pi))
    same_pred = pi[ranked][1:] == pi[ranked][:-1]
    best, runner_up = ranked[:-1][same_pred], ranked[1:][same_pred]
    close = (iou[best] - iou[runner_up] <= error[best] + error[runner_up]) & (
        iou[best] + error[best] > min(thresholds))
    unsure[best[close]] = True
    redo = np.isin(pi, np.unique(pi[unsure]))
    if redo.any():
        rp, rg = pi[redo], gi[redo]
        used_p, p_local = np.unique(rp, return_inverse=True)
        used_g, g_local = np.unique(rg, return_inverse=True)
        iou[redo] = _pair_iou(p_vals[rp], g_vals[rg], _polygons(p_corners[used_p])[p_local],
                              _polygons(g_corners[used_g])[g_local])
    return iou


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
    pi, gi = _candidate_pairs(p_group, p_vals[:, 1:3], _bounding_radius(p_vals),
                              gt_group, g_vals[:, 1:3], _bounding_radius(g_vals))
    best_iou = np.zeros(len(p_vals))
    best_gt = np.full(len(p_vals), -1, dtype=np.int64)
    if len(pi):
        iou = _decided_iou(pi, gi, p_vals, g_vals, p_corners, g_corners, thresholds)
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
