import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "uw-madison-gi-tract-image-segmentation"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "bc8fcd6150728ded61469dd7dbaee3de",
    "public/sample_submission.csv": "d5665553883aafdd14e28b6a9a809891",
    "public/test.csv": "0d09ff46a2b132880a07d497328e40bf",
    "public/train.csv": "6873ffdc3916ef59f2f7c4bdad662491",
}
EXPECTED_TREES = {
    "public/train": "48d0a6cf1321dc99cc50de8de84d3b6d",
    "public/test": "198ec54701bda9e5b80e75da67805840",
}


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    from mlebench.data import prepare_competition
    from mlebench.registry import Registry

    competition = Registry(tmp_path_factory.mktemp("data")).get_competition(CID)
    prepare_competition(competition, synthetic=True, seed=0, force=True)
    return competition


def _scan(slice_id: str) -> str:
    return slice_id.split("_slice_")[0]


def test_split(comp):
    pub = comp.public_dir
    train, answers = read_csv(pub / "train.csv"), read_csv(comp.answers)
    test, sample = read_csv(pub / "test.csv"), read_csv(comp.sample_submission)
    assert list(train.columns) == ["id", "class", "segmentation"]
    assert list(answers.columns) == ["id", "class", "predicted", "image_width", "image_height"]
    assert list(test.columns) == ["id", "class"]
    assert list(sample.columns) == ["id", "class", "predicted"] and (sample.predicted == "1 1 5 2").all()
    assert test.equals(answers[["id", "class"]]) and test.equals(sample[["id", "class"]])
    assert len(train) % 3 == 0 and len(answers) % 3 == 0  # three classes per slice
    # Whole scans (case/day) go to one side; no train case keeps more than four days.
    assert set(train.id.map(_scan)).isdisjoint(answers.id.map(_scan))
    assert train.id.map(_scan).groupby(train.id.str.split("_").str[0]).nunique().max() <= 4
    for side, frame in (("train", train), ("test", answers)):
        scans = {p.name for p in (pub / side).glob("*/*") if p.is_dir()}
        assert scans == set(frame.id.map(_scan)), side
    # The answers' sizes are read from the image file names.
    row = answers.iloc[0]
    case, day, _, number = row.id.split("_")
    (image,) = (pub / "test" / case / f"{case}_{day}" / "scans").glob(f"slice_{number}_*.png")
    assert image.stem.split("_")[2:4] == [str(int(row.image_width)), str(int(row.image_height))]


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    gold = answers[["id", "class", "predicted"]]
    assert raw_score(comp, gold, tmp_path) == 1.0
    assert raw_score(comp, gold.sample(frac=1, random_state=0), tmp_path) == 1.0  # matched on (id, class)
    # values given by the reference grader on the same seed-0 files
    sample = read_csv(comp.sample_submission)
    assert raw_score(comp, sample, tmp_path) == pytest.approx(0.2842597974092972, abs=1e-12)
    sizes = (answers.image_width * answers.image_height).astype(int)
    full = gold.assign(predicted=[f"1 {n}" for n in sizes])
    assert raw_score(comp, full, tmp_path) == pytest.approx(0.08818189495679729, abs=1e-12)
    assert raw_score(comp, gold.assign(predicted=""), tmp_path) == 0.0


def test_hand_checked_score():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    # One scan of two 2 x 2 slices (pixels 1 2 down column 0, 3 4 down column 1).
    ids = ["c1_day1_slice_0001", "c1_day1_slice_0001", "c1_day1_slice_0002", "c1_day1_slice_0002"]
    answers = pd.DataFrame({"id": ids, "class": ["stomach", "large_bowel"] * 2,
                            "predicted": ["1 1", None, None, None],
                            "image_width": 2.0, "image_height": 2.0})
    sub = answers[["id", "class"]].assign(predicted=["1 1", "3 1", None, None])
    # Dice: row 1 identical -> 1; row 2 pred only -> 0; rows 3, 4 both empty -> skipped: mean 0.5.
    # Volume (slice, row, col): true {(0,0,0)}, pred {(0,0,0), (0,0,1)}; coordinates / (2, 2, 2):
    # the farthest pred point (0, 0, 0.5) is 0.5 from the true point -> 0.5 / sqrt(3).
    expected = 0.4 * 0.5 + 0.6 * (1 - 0.5 / np.sqrt(3))
    assert grade(sub, answers) == pytest.approx(expected, abs=1e-12)


INVALID = {
    "no-predicted": lambda d: d.drop(columns=["predicted"]),
    "no-class": lambda d: d.drop(columns=["class"]),
    "no-id": lambda d: d.drop(columns=["id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-key": lambda d: d.assign(**{"class": [d["class"].iloc[1], *d["class"].iloc[1:]]}),
    "unknown-id": lambda d: d.assign(id=["case0_day0_slice_0001", *d.id.iloc[1:]]),
    "not-integers": lambda d: d.assign(predicted=["1 x", *d.predicted.iloc[1:]]),
    "unsorted-runs": lambda d: d.assign(predicted=["9 2 1 3", *d.predicted.iloc[1:]]),
    "overlapping-runs": lambda d: d.assign(predicted=["1 5 3 2", *d.predicted.iloc[1:]]),
    "negative-length": lambda d: d.assign(predicted=["1 -2", *d.predicted.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    gold = read_csv(comp.answers)[["id", "class", "predicted"]]
    assert_all_invalid(comp, gold, INVALID, tmp_path)
