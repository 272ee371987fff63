import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "predict-volcanic-eruptions-ingv-oe"

# Seed-0 fixture prepared by ours and by the reference implementation: identical md5s (folders:
# md5 over the sorted `path md5` lines of their files).
EXPECTED = {
    "private/test.csv": "98864566b75efe153ae3110a890cbd1e",
    "public/sample_submission.csv": "45e26f336b3f841dcc09dad03ba2557e",
    "public/train.csv": "25ef7c2cc1862a29945d344617d82a8d",
}
EXPECTED_TREES = {
    "public/test": "96d7fdd433190d9e9745c0d888bc2b8d",
    "public/train": "9113e11c24a3985565e83c40977a87eb",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (54, 6)  # 60 labelled segments, 10% held out
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["segment_id", "time_to_eruption"]
    assert set(train.segment_id).isdisjoint(answers.segment_id)
    assert list(sample.segment_id) == list(answers.segment_id) and (sample.time_to_eruption == 0).all()
    assert {p.stem for p in (pub / "train").iterdir()} == set(map(str, train.segment_id))
    assert {p.stem for p in (pub / "test").iterdir()} == set(map(str, answers.segment_id))
    signal = read_csv(next((pub / "test").iterdir()))
    assert list(signal.columns) == [f"sensor_{i}" for i in range(1, 11)]


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 0
    sample = read_csv(comp.sample_submission)
    assert raw_score(comp, sample, tmp_path) == round(answers.time_to_eruption.mean())
    # Reference behaviour: a repeated id (all ids present) is graded, the extra row counting too.
    extra = pd.concat([answers, answers.iloc[:1].assign(time_to_eruption=0)])
    assert raw_score(comp, extra, tmp_path) == round(answers.time_to_eruption.iloc[0] / 7)


def test_hand_checked_mae():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"segment_id": [1, 2, 3], "time_to_eruption": [100, 200, 300]})
    sub = pd.DataFrame({"segment_id": [3, 1, 2], "time_to_eruption": [301.5, 90, 200]})
    # |300 - 301.5| + |100 - 90| + 0 = 11.5; / 3 = 3.83 -> rounded to 4
    assert grade(sub, answers) == 4


INVALID = {
    "no-target": lambda d: d.drop(columns=["time_to_eruption"]),
    "no-id": lambda d: d.drop(columns=["segment_id"]),
    "missing-id": lambda d: d.iloc[1:],
    "unknown-id": lambda d: d.assign(segment_id=[7, *d.segment_id.iloc[1:]]),
    "nan": lambda d: d.assign(time_to_eruption=[np.nan, *d.time_to_eruption.iloc[1:]]),
    "inf": lambda d: d.assign(time_to_eruption=[np.inf, *d.time_to_eruption.iloc[1:]]),
    "text": lambda d: d.assign(time_to_eruption=["soon", *d.time_to_eruption.iloc[1:]]),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
