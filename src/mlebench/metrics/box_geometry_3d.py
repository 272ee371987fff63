"""Geometry of 3D boxes for the Lyft mAP (detection_3d.py): yaw rotations and footprint corners
computed with the reference's floating-point operations, volumetric IoU of box pairs (vectorised
polygon clipping, with shapely in the reference's operand order wherever a decision is borderline),
and the bounds that skip pairs which cannot overlap enough."""

from __future__ import annotations

import math

import numpy as np

from mlebench.errors import InvalidSubmissionError

_CHUNK = 1 << 16


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


def is_rectangle(corners: np.ndarray) -> np.ndarray:
    """The reference's four `check_orthogonal` assertions (np.isclose(dot, 0), i.e. |dot| <= 1e-8)."""
    ok = np.ones(len(corners), dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf: NaN, which fails the check
        for a, b, c in ((0, 1, 3), (1, 0, 2), (2, 1, 3), (3, 0, 2)):
            pa, pb, pc = corners[:, a], corners[:, b], corners[:, c]
            dot = (pb[:, 0] - pa[:, 0]) * (pc[:, 0] - pa[:, 0]) + (pb[:, 1] - pa[:, 1]) * (pc[:, 1] - pa[:, 1])
            ok &= np.abs(dot) <= 1e-8
    return ok

def candidate_pairs(pred_group: np.ndarray, pred_xy: np.ndarray, pred_radius: np.ndarray,
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


def bounding_radius(values: np.ndarray) -> np.ndarray:
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


def decided_iou(pi: np.ndarray, gi: np.ndarray, p_vals: np.ndarray, g_vals: np.ndarray,
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

