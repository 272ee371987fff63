"""Synthetic `smartphone-decimeter-2022.zip`: train/<drive>/<phone>/ with device_gnss.csv,
device_imu.csv, ground_truth.csv and supplemental/{gnss_log.txt, gnss_rinex.<yy>o, span_log.nmea};
test/<drive>/<phone>/ without the ground truth files; metadata/ (three mapping files) and
sample_submission.csv. Drive ids start with their date; a few dates have two drives."""

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.stable_math import cos_sin

PHONES = ["GooglePixel4", "GooglePixel4XL", "GooglePixel5", "GooglePixel6Pro", "SamsungGalaxyS20Ultra",
          "XiaomiMi8", "SamsungGalaxyS21Ultra"]
SITES = ["MTV", "SJC", "LAX", "SVL", "PAO", "RWC"]
GNSS_COLUMNS = [
    "MessageType", "utcTimeMillis", "TimeNanos", "LeapSecond", "FullBiasNanos", "BiasNanos",
    "BiasUncertaintyNanos", "DriftNanosPerSecond", "DriftUncertaintyNanosPerSecond",
    "HardwareClockDiscontinuityCount", "Svid", "TimeOffsetNanos", "State", "ReceivedSvTimeNanos",
    "ReceivedSvTimeUncertaintyNanos", "Cn0DbHz", "PseudorangeRateMetersPerSecond",
    "PseudorangeRateUncertaintyMetersPerSecond", "AccumulatedDeltaRangeState",
    "AccumulatedDeltaRangeMeters", "AccumulatedDeltaRangeUncertaintyMeters", "CarrierFrequencyHz",
    "MultipathIndicator", "ConstellationType", "CodeType", "ChipsetElapsedRealtimeNanos",
    "ArrivalTimeNanosSinceGpsEpoch", "RawPseudorangeMeters", "RawPseudorangeUncertaintyMeters",
    "SignalType", "ReceivedSvTimeNanosSinceGpsEpoch", "SvPositionXEcefMeters", "SvPositionYEcefMeters",
    "SvPositionZEcefMeters", "SvElevationDegrees", "SvAzimuthDegrees", "SvVelocityXEcefMetersPerSecond",
    "SvVelocityYEcefMetersPerSecond", "SvVelocityZEcefMetersPerSecond", "SvClockBiasMeters",
    "SvClockDriftMetersPerSecond", "IsrbMeters", "IonosphericDelayMeters", "TroposphericDelayMeters",
    "WlsPositionXEcefMeters", "WlsPositionYEcefMeters", "WlsPositionZEcefMeters",
]
SIGNALS = [("GPS_L1", 1, 1575420030.0), ("GAL_E1", 6, 1575420030.0), ("GLO_G1", 3, 1601999936.0)]


def _track(rng: np.random.Generator, n: int, t0: int) -> pd.DataFrame:
    lat0, lon0 = 37.3 + rng.uniform(0, 0.2), -122.2 + rng.uniform(0, 0.3)
    heading = rng.uniform(0, 2 * np.pi)
    cos_heading, sin_heading = cos_sin(heading)  # written as is: the same bits on every CPU
    steps = np.cumsum(rng.uniform(0, 2e-4, n))
    return pd.DataFrame({
        "MessageType": "Fix", "Provider": "GT",
        "LatitudeDegrees": lat0 + steps * cos_heading + rng.normal(0, 1e-6, n),
        "LongitudeDegrees": lon0 + steps * sin_heading + rng.normal(0, 1e-6, n),
        "AltitudeMeters": np.round(rng.uniform(-35, 40) + rng.normal(0, 0.3, n), 3),
        "SpeedMps": np.round(rng.uniform(0, 25, n), 6),
        "AccuracyMeters": 0.1,
        "BearingDegrees": np.round(np.degrees(heading) % 360 + rng.normal(0, 0.5, n), 6),
        "UnixTimeMillis": t0 + 1000 * np.arange(n),
    })


def _gnss(rng: np.random.Generator, t0: int, epochs: int) -> pd.DataFrame:
    rows = []
    for e in range(epochs):
        for name, constellation, freq in SIGNALS:
            row = {c: round(float(rng.normal(0, 1e3)), 6) for c in GNSS_COLUMNS}
            row.update({
                "MessageType": "Raw", "utcTimeMillis": t0 + 1000 * e, "LeapSecond": np.nan,
                "HardwareClockDiscontinuityCount": 0, "Svid": int(rng.integers(1, 33)),
                "State": 16431, "Cn0DbHz": round(float(rng.uniform(20, 45)), 6),
                "MultipathIndicator": 0, "ConstellationType": constellation, "CodeType": "C",
                "CarrierFrequencyHz": freq, "SignalType": name,
            })
            rows.append(row)
    return pd.DataFrame(rows, columns=GNSS_COLUMNS)


def _imu(rng: np.random.Generator, t0: int, n: int) -> pd.DataFrame:
    kinds = np.array(["UncalAccel", "UncalGyro", "UncalMag"])[np.arange(n) % 3]
    return pd.DataFrame({
        "MessageType": kinds, "utcTimeMillis": t0 + 20 * np.arange(n),
        **{f"Measurement{a}": np.round(rng.normal(0, 1, n), 6) for a in "XYZ"},
        **{f"Bias{a}": 0.0 for a in "XYZ"},
    })


def _nmea_coord(value: float, width: int) -> str:
    """Degrees as NMEA's (d)ddmm.mmmmmmm."""
    deg = int(abs(value))
    return f"{deg:0{width}d}{(abs(value) - deg) * 60:010.7f}"


def _span(track: pd.DataFrame) -> str:
    """NMEA GGA/RMC sentences of the reference receiver's positions (what ground truth comes from)."""
    lines = []
    for t, lat, lon, alt in track[["UnixTimeMillis", "LatitudeDegrees", "LongitudeDegrees",
                                   "AltitudeMeters"]].itertuples(index=False):
        when = datetime.fromtimestamp(t / 1000, UTC)
        stamp, day = when.strftime("%H%M%S.%f")[:9], when.strftime("%d%m%y")
        la, lo = _nmea_coord(lat, 2), _nmea_coord(lon, 3)
        ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
        for body in (f"GPGGA,{stamp},{la},{ns},{lo},{ew},4,18,0.7,{alt:.3f},M,-32.000,M,,",
                     f"GPRMC,{stamp},A,{la},{ns},{lo},{ew},0.0,0.0,{day},,,D"):
            checksum = 0
            for ch in body:
                checksum ^= ord(ch)
            lines.append(f"${body}*{checksum:02X}")
    return "\r\n".join(lines) + "\r\n"


def _phone_files(rng, prefix: str, track: pd.DataFrame, year: str, with_truth: bool) -> dict:
    t0 = int(track["UnixTimeMillis"].iloc[0])
    files = {
        f"{prefix}/device_gnss.csv": _gnss(rng, t0, 3),
        f"{prefix}/device_imu.csv": _imu(rng, t0, 9),
        f"{prefix}/supplemental/gnss_log.txt": (
            "# Version: v3.0.0.1 Platform: 11 Manufacturer: Google\n"
            "# Raw,utcTimeMillis,TimeNanos,LeapSecond,FullBiasNanos,Svid,Cn0DbHz\n"
            + "".join(f"Raw,{t0 + 1000 * i},{i}000000,,-1273929{i},5,3{i}.5\n" for i in range(3))
        ),
        f"{prefix}/supplemental/gnss_rinex.{year[2:]}o": (
            "     3.03           OBSERVATION DATA    M: Mixed            RINEX VERSION / TYPE\n"
            "                                                            END OF HEADER\n"
        ),
    }
    if with_truth:
        files[f"{prefix}/ground_truth.csv"] = track
        files[f"{prefix}/supplemental/span_log.nmea"] = _span(track)
    return files


def _drives(rng: np.random.Generator, dates: list[str]) -> list[str]:
    drives = []
    for date in dates:
        for k in range(1 + int(rng.random() < 0.3)):
            drives.append(f"{date}-US-{rng.choice(SITES)}-{k + 1}")
    return drives


def _drive_start(rng: np.random.Generator, drive: str) -> int:
    """Unix milliseconds of an afternoon (Pacific time) on the drive's date."""
    midnight = (np.datetime64(drive[:10]) - np.datetime64("1970-01-01")).astype("timedelta64[ms]")
    return int(midnight.astype(np.int64)) + int(rng.integers(16, 23)) * 3_600_000 + int(rng.integers(0, 999))


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    days = np.sort(rng.choice(np.arange(0, 700), 10, replace=False))
    train_dates = [str(np.datetime64("2020-05-15") + int(d)) for d in days]
    files: dict = {}
    for drive in _drives(rng, train_dates):
        t0 = _drive_start(rng, drive)
        for phone in rng.choice(PHONES, 1 + int(rng.random() < 0.4), replace=False):
            track = _track(rng, int(rng.integers(15, 30)), t0 + int(rng.integers(0, 5000)))
            files.update(_phone_files(rng, f"train/{drive}/{phone}", track, drive[:4], True))

    sample = []
    for drive in ("2022-02-24-US-SJC-1", "2022-04-25-US-OAK-2"):
        phone = str(rng.choice(PHONES))
        track = _track(rng, 12, _drive_start(rng, drive))
        files.update(_phone_files(rng, f"test/{drive}/{phone}", track, drive[:4], False))
        sample.append(pd.DataFrame({"tripId": f"{drive}-{phone}", "UnixTimeMillis": track["UnixTimeMillis"],
                                    "LatitudeDegrees": 37.904611315634504,
                                    "LongitudeDegrees": -86.48107806249548}))

    files["metadata/accumulated_delta_range_state_bit_map.json"] = json.dumps(
        {"0": "ADR_STATE_UNKNOWN", "1": "ADR_STATE_VALID", "2": "ADR_STATE_RESET",
         "4": "ADR_STATE_CYCLE_SLIP", "8": "ADR_STATE_HALF_CYCLE_RESOLVED"}, indent=2)
    files["metadata/constellation_type_mapping.csv"] = pd.DataFrame({
        "ConstellationType": range(8),
        "ConstellationName": ["UNKNOWN", "GPS", "SBAS", "GLONASS", "QZSS", "BEIDOU", "GALILEO", "IRNSS"],
    })
    files["metadata/raw_state_bit_map.json"] = json.dumps(
        {"0": "STATE_UNKNOWN", "1": "STATE_CODE_LOCK", "2": "STATE_BIT_SYNC", "4": "STATE_SUBFRAME_SYNC",
         "8": "STATE_TOW_DECODED", "16": "STATE_MSEC_AMBIGUOUS"}, indent=2)
    files["sample_submission.csv"] = pd.concat(sample, ignore_index=True)
    return write_zip(out_dir / "smartphone-decimeter-2022.zip", dict(sorted(files.items())))
