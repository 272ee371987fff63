import importlib
import json

import numpy as np
import pandas as pd
import pytest

from mlebench.data import prepare_competition
from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_df, prepared_tree_digests, raw_score

CID = "smartphone-decimeter-2022"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests
# (md5 for files, `tree_digest` for the drive folders).
EXPECTED = {
    "private/test.csv": "b4a121b9bff44e8d535e591bd94bb113",
    "public/metadata": "deac906a351911f3bdeef0674aa46ad7",
    "public/sample_submission.csv": "625a5765ac6955bb0c3a1b237fbb7925",
    "public/test": "96928cf16bcb4ef3783cb5746145177c",
    "public/train": "8092e0c94f18dbb1c4934ab6bc4ade66",
}


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    """Prepared once for the module (the drive folders make preparation comparatively slow)."""
    from mlebench.registry import Registry

    competition = Registry(tmp_path_factory.mktemp("smartphone-data")).get_competition(CID)
    prepare_competition(competition, synthetic=True, seed=0, force=True)
    return competition


def _date(drive: str) -> str:
    return drive[:10]


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub = comp.public_dir
    train_drives = {p.name for p in (pub / "train").iterdir()}
    test_drives = {p.name for p in (pub / "test").iterdir()}
    assert train_drives and test_drives
    assert {_date(d) for d in train_drives}.isdisjoint({_date(d) for d in test_drives})
    assert len({_date(d) for d in test_drives}) == 1  # 10% of the fixture's 10 dates
    assert not list((pub / "test").rglob("ground_truth.csv"))
    assert len(list((pub / "train").rglob("ground_truth.csv"))) >= len(train_drives)
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert list(answers.columns) == ["tripId", "UnixTimeMillis", "LatitudeDegrees", "LongitudeDegrees"]
    trips = {f"{p.parent.name}-{p.name}" for p in (pub / "test").glob("*/*")}
    assert set(answers.tripId) == trips
    assert sample[["tripId", "UnixTimeMillis"]].equals(answers[["tripId", "UnixTimeMillis"]])
    assert (sample.LatitudeDegrees == 37.904611315634504).all()
    # v1 reproduces the reference's leak: the test drives keep the reference receiver's track.
    assert list((pub / "test").rglob("span_log.nmea"))
    assert prepared_tree_digests(comp) == EXPECTED


def _nmea_degrees(value: str, hemisphere: str) -> float:
    head, minutes = divmod(float(value), 100)
    return (head + minutes / 60) * (-1 if hemisphere in "SW" else 1)


def test_v1_span_logs_leak_the_answers(comp, tmp_path):
    """The reproduced leak is real: the public test span logs alone give a near-perfect score."""
    sample = read_csv(comp.sample_submission)
    for trip, rows in sample.groupby("tripId", sort=False):
        drive, phone = trip.rsplit("-", 1)
        lines = (comp.public_dir / "test" / drive / phone / "supplemental" / "span_log.nmea").read_text()
        fixes = [line.split(",") for line in lines.splitlines() if line.startswith("$GPGGA")]
        sample.loc[rows.index, "LatitudeDegrees"] = [_nmea_degrees(f[2], f[3]) for f in fixes]
        sample.loc[rows.index, "LongitudeDegrees"] = [_nmea_degrees(f[4], f[5]) for f in fixes]
    assert raw_score(comp, sample, tmp_path) < 0.01  # metres


@pytest.mark.digest
def test_v2_removes_span_logs(registry):
    comp = registry.get_competition(CID)
    prepare_competition(comp, synthetic=True, seed=0, force=True, variant="v2")
    pub = comp.public_dir
    assert not list((pub / "test").rglob("span_log.nmea"))
    assert list((pub / "train").rglob("span_log.nmea"))  # training drives keep theirs
    assert list((pub / "test").rglob("device_gnss.csv"))
    manifest = json.loads((comp.prepared_dir / "PREPARED.json").read_text())
    removed = [c for c in manifest["variant_changes"] if c.get("action") == "removed-file"]
    assert removed and all(c["path"].endswith("span_log.nmea") for c in removed)
    assert prepared_tree_digests(comp)["private/test.csv"] == EXPECTED["private/test.csv"]


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 0.0
    # The sample submission puts every phone in Indiana, ~3,100 km from the California drives.
    sample_score = raw_score(comp, read_csv(comp.sample_submission), tmp_path)
    assert 2.9e6 < sample_score < 3.3e6
    # A constant 1e-5 degree latitude offset is 6371000 * pi / 180 * 1e-5 = 1.11195 m everywhere.
    shifted = answers.assign(LatitudeDegrees=answers.LatitudeDegrees + 1e-5)
    assert raw_score(comp, shifted, tmp_path) == pytest.approx(1.1119492664, rel=1e-6)


def test_hand_checked_score():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    metre = 180 / np.pi / 6_371_000  # degrees of latitude per metre on the scoring sphere
    times = 1_600_000_000_000 + 1000 * np.arange(20)
    answers = pd.DataFrame({"tripId": ["d-A"] * 20 + ["d-B"] * 20, "UnixTimeMillis": [*times, *times],
                            "LatitudeDegrees": 0.0, "LongitudeDegrees": 0.0})
    submission = answers.assign(LatitudeDegrees=[*(metre * np.arange(1, 21)), *[0.0] * 20]).iloc[::-1]
    # Trip A errors 1..20 m: p50 = 10.5, p95 = 19 + 0.05 * 1 = 19.05 -> 14.775; trip B: 0.
    # Mean over trips: 7.3875.
    assert grade(submission, answers) == pytest.approx(7.3875, abs=1e-6)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    trips, lat = answers.tripId, answers.LatitudeDegrees
    assert_invalid(comp, {
        "no-latitude": answers.drop(columns=["LatitudeDegrees"]),
        "no-trip": answers.drop(columns=["tripId"]),
        "no-time": answers.drop(columns=["UnixTimeMillis"]),
        "short": answers.iloc[:-1],
        "extra-row": pd.concat([answers, answers.iloc[:1]]),
        "duplicate-row": pd.concat([answers.iloc[:1], answers.iloc[1:-1], answers.iloc[:1]]),
        "unknown-trip": answers.assign(tripId=["2099-01-01-US-MTV-1-Phone", *trips.iloc[1:]]),
        "shifted-time": answers.assign(UnixTimeMillis=answers.UnixTimeMillis + 1),
        "fractional-time": answers.assign(UnixTimeMillis=answers.UnixTimeMillis + 0.5),
        "nan": answers.assign(LatitudeDegrees=[None, *lat.iloc[1:]]),
        "text": answers.assign(LongitudeDegrees=["x", *answers.LongitudeDegrees.iloc[1:]]),
        "latitude-out-of-range": answers.assign(LatitudeDegrees=[95.0, *lat.iloc[1:]]),
        "empty": answers.iloc[:0],
    }, tmp_path)
