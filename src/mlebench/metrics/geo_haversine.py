"""Great-circle (haversine) position errors, as in the Google Smartphone Decimeter Challenge."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id, require_columns, require_numeric

EARTH_RADIUS_M = 6_371_000  # the sphere radius the competition's scoring notebook uses


def haversine_distance(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Distance in metres between points given in degrees, on a sphere of radius 6,371 km.

    Example: (0, 0) to (0, 1) -> 6371000 * pi / 180 = 111194.93 m.
    """
    phi1, lam1 = np.deg2rad(np.asarray(lat1, dtype=float)), np.deg2rad(np.asarray(lon1, dtype=float))
    phi2, lam2 = np.deg2rad(np.asarray(lat2, dtype=float)), np.deg2rad(np.asarray(lon2, dtype=float))
    dphi, dlam = phi2 - phi1, lam2 - lam1
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h))


def p50_p95_error(distances: np.ndarray) -> float:
    """Mean of the 50th and 95th percentiles (numpy's linear interpolation) of the errors.

    Example: errors 1..20 m -> p50 10.5, p95 19.05 -> 14.775.
    """
    return float(np.mean([np.quantile(distances, 0.50), np.quantile(distances, 0.95)]))


def mean_trip_haversine_error(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    trip_column: str = "tripId",
    time_column: str = "UnixTimeMillis",
    lat_column: str = "LatitudeDegrees",
    lon_column: str = "LongitudeDegrees",
) -> float:
    """For each trip (phone on a drive), the mean of the 50th and 95th percentile haversine errors
    of its predicted positions; then the mean over trips (lower is better, in metres). Rows are
    matched on (trip, timestamp): every answer row exactly once, in any order.

    Example: one trip, 20 timestamps predicted 1, 2, ..., 20 m off -> 14.775 (see
    `p50_p95_error`); a second trip predicted exactly -> 0; score 7.3875.
    """
    require_columns(submission, [trip_column, time_column, lat_column, lon_column])
    times = require_numeric(submission[time_column], time_column)
    if (times != np.round(times)).any():
        raise InvalidSubmissionError(f"Column '{time_column}' must hold integer milliseconds.")
    lat = require_numeric(submission[lat_column], lat_column)
    lon = require_numeric(submission[lon_column], lon_column)
    if lat.size and (lat.min() < -90 or lat.max() > 90):
        raise InvalidSubmissionError(f"Column '{lat_column}' must lie between -90 and 90 degrees.")

    key = "__trip_time__"
    sub = pd.DataFrame({
        key: submission[trip_column].astype(str).to_numpy() + "@" + times.astype(np.int64).astype(str),
        lat_column: lat, lon_column: lon,
    })
    ans = pd.DataFrame({
        key: answers[trip_column].astype(str).to_numpy() + "@" + answers[time_column].astype(np.int64).astype(str),
        trip_column: answers[trip_column].to_numpy(),
    })
    sub, ans = align_on_id(sub, ans, key, [lat_column, lon_column])
    errors = haversine_distance(sub[lat_column], sub[lon_column],
                                answers[lat_column].to_numpy(), answers[lon_column].to_numpy())
    codes, trips = pd.factorize(ans[trip_column])  # trips in order of first appearance
    scores = [p50_p95_error(errors[codes == i]) for i in range(len(trips))]
    return float(np.mean(scores))
