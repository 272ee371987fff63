import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.metrics.rle import rle_decode, rle_encode
from mlebench.tables import read_csv

from ._checks import assert_reference_digests, grade_df, raw_score

CID = "tgs-salt-identification-challenge"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "fb871f8e4790f10862b007433f84c8c0",
    "public/depths.csv": "d13bd52e0229ce8a997ef5e41d16b2fd",
    "public/sample_submission.csv": "75db8a76276fde84dc8e31b250fbfc08",
    "public/train.csv": "2d0a5552978968f6048c2830296978dd",
}
EXPECTED_TREES = {
    "public/test": "f276e78f12c6640aa1d9d778956b0320",
    "public/train": "500c35211e0c44e9a56e07ae3d956deb",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub, root = comp.public_dir, comp.prepared_dir
    train, answers = read_csv(pub / "train.csv"), read_csv(comp.answers)
    sample, depths = read_csv(comp.sample_submission), read_csv(pub / "depths.csv")
    assert (len(train), len(answers)) == (60, 20)  # 25% of 80
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["id", "rle_mask"]
    assert set(train.id).isdisjoint(answers.id)
    assert list(sample.id) == list(answers.id) == sorted(answers.id)
    assert (sample.rle_mask == "1 1").all()
    assert set(depths.id) == set(train.id)  # test depths dropped, as in the reference
    assert {p.stem for p in (pub / "train" / "masks").glob("*.png")} == set(train.id)
    assert {p.stem for p in (pub / "test" / "images").glob("*.png")} == set(answers.id)
    assert not (pub / "test" / "masks").exists()
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.0
    empty_share = answers.rle_mask.isna().mean()
    assert raw_score(comp, answers.assign(rle_mask=""), tmp_path) >= empty_share
    invalid = {
        "extra-column": answers.assign(extra=1),
        "no-mask": answers.drop(columns=["rle_mask"]),
        "short": answers.iloc[:-1],
        "unknown-id": answers.assign(id=["0" * 10, *answers.id.iloc[1:]]),
        "unsorted-runs": answers.assign(rle_mask="50 2 1 3"),
        "overlapping-runs": answers.assign(rle_mask="1 10 5 3"),
        "zero-length": answers.assign(rle_mask="5 0"),
        "not-numbers": answers.assign(rle_mask="a b"),
        "numeric-cells": answers.assign(rle_mask=7),
    }
    for name, df in invalid.items():
        report = grade_df(comp, df, tmp_path)
        assert report.valid_submission is False and report.invalid_reason, name


def test_hand_checked_iou():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    true = np.zeros((101, 101), dtype=bool)
    true[:4, 0] = True  # pixels 1-4: "1 4"
    answers = pd.DataFrame({"id": ["a", "b", "c"], "rle_mask": [rle_encode(true), "", ""]})
    assert answers.rle_mask[0] == "1 4"
    # a: 3 of 4 pixels -> IoU .75 > .5 .55 .6 .65 .7 -> 0.5; b: empty/empty -> 1; c: "1 1" on an
    # empty truth -> 0. Mean (0.5 + 1 + 0) / 3 = 0.5
    sub = pd.DataFrame({"id": ["c", "b", "a"], "rle_mask": ["1 1", "", "1 3"]})
    assert grade(sub, answers) == pytest.approx(0.5, abs=1e-12)


def test_empty_prediction_quirk():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    # 6,000 salt pixels; the empty prediction counts as the full image: IoU 6000/10201 = 0.588
    # > 0.5, 0.55 only -> 2/10
    answers = pd.DataFrame({"id": ["a"], "rle_mask": ["1 6000"]})
    assert grade(pd.DataFrame({"id": ["a"], "rle_mask": [""]}), answers) == pytest.approx(0.2)
    assert rle_decode("2 3", 2, 2).tolist() == [[False, True], [True, True]]
