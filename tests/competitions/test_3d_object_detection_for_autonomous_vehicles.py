import hashlib
import json
import math

import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.detection_3d import lyft_mean_average_precision, yaw_cos_sin
from mlebench.tables import read_csv

from ._checks import assert_all_invalid, md5, raw_score

pytest.importorskip("shapely")

CID = "3d-object-detection-for-autonomous-vehicles"

# Seed-0 fixture prepared by ours and by the reference implementation: identical md5s for all 161
# files (tree digest over `relative/path md5` lines of public/ and private/, description.md aside).
EXPECTED_TREE = "990e03ab913df53b9db4c0e8acce504a"
EXPECTED = {
    "private/test.csv": "a4b27cc4187e6fe16b6a288767477a84",
    "public/sample_submission.csv": "a556e3cec5aca0830b8f4501d7e804b4",
    "public/train.csv": "d071a273f27c629e17e1df64e0769bb9",
    "public/train_data/map.json": "ebcf259d138454bca5f7d06fa3aa9f55",
    "public/test_data/sample.json": "9eaadb3803a0a348bae2a034d3023b0f",
    "public/train_data/instance.json": "71d2bd56ac39a99dc38de3eeaec66a12",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def _load(path):
    return json.loads(path.read_text())


@pytest.mark.digest
def test_split_and_reference_checksums(comp):
    pub = comp.public_dir
    train, answers = read_csv(pub / "train.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (24, 6)  # 10 logs -> 8 train logs, 2 test logs
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["Id", "PredictionString"]
    assert set(train.Id).isdisjoint(answers.Id)
    assert list(sample.Id) == list(answers.Id) and sample.PredictionString.isna().all()
    assert all(s.split(" ")[::9] == ["1.0"] * (len(s.split(" ")) // 9) for s in answers.PredictionString)
    assert sorted(p.name for p in (pub / "test_data").iterdir()) == sorted(
        f"{n}.json" for n in ("attribute", "calibrated_sensor", "category", "ego_pose", "log", "map",
                              "sample", "sample_data", "scene", "sensor", "visibility"))
    assert len(list((pub / "train_data").iterdir())) == 13
    test_samples = {s["token"] for s in _load(pub / "test_data" / "sample.json")}
    assert test_samples == set(answers.Id)
    test_logs = [log["token"] for log in _load(pub / "test_data" / "log.json")]
    assert {s["scene_token"] for s in _load(pub / "test_data" / "sample.json")} == set(test_logs)
    # reference quirk: both map.json files list the test logs
    assert _load(pub / "train_data" / "map.json")[0]["log_tokens"] == test_logs
    assert _load(pub / "test_data" / "map.json")[0]["log_tokens"] == test_logs
    for side in ("train", "test"):
        data = _load(pub / f"{side}_data" / "sample_data.json")
        images = {d["filename"].split("/")[1] for d in data if d["fileformat"] == "jpeg"}
        lidar = {d["filename"].split("/")[1] for d in data if d["fileformat"] == "bin"}
        assert {p.name for p in (pub / f"{side}_images").iterdir()} == images
        assert {p.name for p in (pub / f"{side}_lidar").iterdir()} == lidar
        assert (pub / f"{side}_maps" / "map_raster_palo_alto.png").is_file()

    # fidelity: same bytes as the reference's preparer on the same fixture
    root = comp.prepared_dir
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED
    lines = sorted(
        f"{p.relative_to(root).as_posix()} {md5(p)}"
        for part in ("public", "private") for p in (root / part).rglob("*")
        if p.is_file() and p.name != "description.md"
    )
    assert hashlib.md5("\n".join(lines).encode()).hexdigest() == EXPECTED_TREE


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.0
    # every prediction twice: the copies are false positives after every box is matched -> AP 1
    doubled = answers.assign(PredictionString=answers.PredictionString + " " + answers.PredictionString)
    assert raw_score(comp, doubled, tmp_path) == 1.0
    # NaN confidence is accepted (the reference only sorts by it)
    nan_conf = answers.assign(PredictionString=answers.PredictionString.str.replace("1.0 ", "nan "))
    assert raw_score(comp, nan_conf, tmp_path) == 1.0


def _box(conf, x, y, z, w, length, h, yaw, cls):
    return f"{conf} {x} {y} {z} {w} {length} {h} {yaw} {cls}"


def test_hand_checked():
    truth = " ".join([_box(1.0, 0, 0, 0, 2, 4, 2, 0, "car"), _box(1.0, 10, 0, 0, 2, 4, 2, 0, "car")])
    answers = pd.DataFrame({"Id": ["s1", "s2"], "PredictionString": [truth, _box(1.0, 0, 0, 0, 1, 1, 1, 0, "bus")]})
    preds = " ".join([
        _box(0.9, 0, 0, 0, 2, 4, 2, 0, "car"),  # IoU 1 with car A
        _box(0.8, 11, 0, 0, 2, 4, 2, 0, "car"),  # car B shifted 1 m: overlap 12 / union 20 = 0.6
        _box(0.7, 50, 50, 0, 1, 1, 1, 0, "pedestrian"),  # class absent from the truth: ignored
    ])
    sub = pd.DataFrame({"Id": ["s2", "s1"], "PredictionString": [np.nan, preds]})
    # s1: AP 1 at t = 0.5, 0.55; at t >= 0.6 (8 thresholds) TP then FP -> AP 0.5 -> mean 0.6.
    # s2: its bus is never predicted -> 0.   Score = (0.6 + 0) / 2 = 0.3
    assert lyft_mean_average_precision(sub, answers) == pytest.approx(0.3, abs=1e-12)
    # A later, lower-confidence box on car A is a false positive even though car B is free
    # (the best match is taken, the next best is never tried): precisions 1, 1/2 at recall 1/2.
    greedy = " ".join([_box(0.9, 0, 0, 0, 2, 4, 2, 0, "car"), _box(0.5, 0.1, 0, 0, 2, 4, 2, 0, "car")])
    one = answers.iloc[:1]
    assert lyft_mean_average_precision(pd.DataFrame({"Id": ["s1"], "PredictionString": [greedy]}), one) == 0.5
    # Rotated by 90 degrees around its centre, a 2x4 box keeps a 2x2 overlap: IoU 8 / 24 -> 0.
    turned = pd.DataFrame({"Id": ["s1"], "PredictionString": [_box(0.9, 0, 0, 0, 2, 4, 2, math.pi / 2, "car")]})
    assert lyft_mean_average_precision(turned, one) == 0.0


def test_yaw_rotation_is_bit_identical_to_pyquaternion():
    pyquaternion = pytest.importorskip("pyquaternion")
    yaws = np.concatenate([np.random.default_rng(0).uniform(-7, 7, 300), [0.0, -0.0, math.pi, 1e-300]])
    cos, sin = yaw_cos_sin(yaws)
    for y, c, s in zip(yaws.tolist(), cos, sin, strict=True):
        q = pyquaternion.Quaternion(axis=[0, 0, 1], radians=y)
        matrix = pyquaternion.Quaternion(list(q)).rotation_matrix
        assert (matrix[0, 0], matrix[1, 0]) == (c, s)


def test_only_evaluated_boxes_are_validated():
    answers = pd.DataFrame({"Id": ["s1"], "PredictionString": [_box(1.0, 0, 0, 0, 2, 4, 2, 0, "car")]})
    # a broken box of a class absent from the truth is never built by the reference: no error
    odd = _box(1.0, 0, 0, 0, 2, 4, 2, 0, "car") + " " + _box(0.5, "nan", 0, 0, -1, 4, 2, "nan", "zebra")
    assert lyft_mean_average_precision(pd.DataFrame({"Id": ["s1"], "PredictionString": [odd]}), answers) == 1.0
    # the same box as a car is refused, and an infinite yaw is refused whatever the class
    for bad in (_box(0.5, "nan", 0, 0, 2, 4, 2, 0, "car"), _box(0.5, 0, 0, 0, 2, 4, 2, "inf", "zebra")):
        with pytest.raises(InvalidSubmissionError):
            lyft_mean_average_precision(pd.DataFrame({"Id": ["s1"], "PredictionString": [bad]}), answers)


def _first(d, fn):
    d = d.copy()
    d.iloc[0, d.columns.get_loc("PredictionString")] = fn(d.PredictionString.iloc[0])
    return d


INVALID = {
    "no-prediction": lambda d: d.drop(columns=["PredictionString"]),
    "no-id": lambda d: d.drop(columns=["Id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(Id=[d.Id.iloc[1], *d.Id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(Id=["feedface", *d.Id.iloc[1:]]),
    "no-confidence": lambda d: _first(d, lambda s: " ".join(s.split(" ")[1:9])),
    "double-space": lambda d: _first(d, lambda s: s.replace(" ", "  ", 1)),
    "text-value": lambda d: _first(d, lambda s: "high " + " ".join(s.split(" ")[1:])),
    "nan-center": lambda d: _first(d, lambda s: " ".join(["1.0", "nan", *s.split(" ")[2:]])),
    "zero-width": lambda d: _first(d, lambda s: " ".join([*s.split(" ")[:4], "0", *s.split(" ")[5:]])),
    "infinite-center": lambda d: _first(d, lambda s: " ".join(["1.0", "inf", *s.split(" ")[2:]])),
    "numbers-only": lambda d: d.assign(PredictionString=5),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)


def test_threshold_ties_follow_the_exact_iou():
    """A box shifted by 1 m along its 4 m length has IoU 0.6 in exact arithmetic; rotated, the
    floating-point IoU lands just above or below 0.6 and decides `IoU > 0.6` as in the reference."""
    pyquaternion = pytest.importorskip("pyquaternion")
    shapely = pytest.importorskip("shapely")

    def footprint(x, y, w, length, yaw):  # the reference's construction, with pyquaternion
        q = pyquaternion.Quaternion(axis=[0, 0, 1], radians=yaw)
        m = pyquaternion.Quaternion(list(q)).rotation_matrix
        c, s = m[0, 0], m[1, 0]
        pts = [(x + length / 2 * c + w / 2 * s, y + length / 2 * s - w / 2 * c),
               (x + length / 2 * c - w / 2 * s, y + length / 2 * s + w / 2 * c),
               (x - length / 2 * c - w / 2 * s, y - length / 2 * s + w / 2 * c),
               (x - length / 2 * c + w / 2 * s, y - length / 2 * s - w / 2 * c)]
        return shapely.Polygon(pts + pts[:1])

    for yaw in (math.pi / 2, math.pi / 3, 2.5, -1.0, 0.7853981633974483):
        cx, cy = 2700.25, 650.5
        px, py = cx + math.cos(yaw), cy + math.sin(yaw)
        area = footprint(px, py, 2.0, 4.0, yaw).intersection(footprint(cx, cy, 2.0, 4.0, yaw)).area
        iou = float(np.clip(2.0 * area / (16.0 + 16.0 - 2.0 * area), 0, 1))
        expected = np.mean([iou > t for t in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)])
        answers = pd.DataFrame({"Id": ["s"], "PredictionString": [_box(1.0, cx, cy, 0, 2, 4, 2, yaw, "car")]})
        sub = pd.DataFrame({"Id": ["s"], "PredictionString": [_box(0.5, px, py, 0, 2, 4, 2, yaw, "car")]})
        assert lyft_mean_average_precision(sub, answers) == expected, yaw


def test_convex_intersection_area_matches_shapely():
    shapely = pytest.importorskip("shapely")
    from mlebench.metrics.detection_3d import convex_intersection_area, footprint_corners

    rng = np.random.default_rng(0)
    a, b = np.zeros((500, 8)), np.zeros((500, 8))
    for v in (a, b):
        v[:, 1:3] = rng.uniform(-2, 2, (500, 2))
        v[:, 4:7] = rng.uniform(0.3, 4, (500, 3))
        v[:, 7] = rng.uniform(-4, 4, 500)
    b[:50] = a[:50]  # identical boxes
    ca, cb = footprint_corners(a), footprint_corners(b)
    exact = [shapely.Polygon(p).intersection(shapely.Polygon(q)).area for p, q in zip(ca, cb, strict=True)]
    assert np.allclose(convex_intersection_area(ca, cb), exact, rtol=0, atol=1e-12)
