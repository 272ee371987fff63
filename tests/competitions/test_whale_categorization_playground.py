import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "whale-categorization-playground"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "df74875f1bc6e8dde67b625fca0b3b19",
    "public/sample_submission.csv": "c4722e534a24cda5ecf67b3742054b37",
    "public/train.csv": "41565bbb045125429adaa7369036e0c6",
}
EXPECTED_TREES = {
    "public/train": "899785c63a8ac650ff444441d06fb0ad",
    "public/test": "7d6a1031815e628ec4ce5b248125c9aa",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (215, 85)
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["Image", "Id"]
    assert set(train.Image).isdisjoint(answers.Image)
    # every answer is a whale seen in train, or new_whale
    assert set(answers.Id) <= set(train.Id) | {"new_whale"} and "new_whale" in set(answers.Id)
    assert list(sample.Image) == list(answers.Image)
    assert (sample.Id == "new_whale w_1287fbc w_98baff9 w_7554f44 w_1eafe46").all()
    assert {p.name for p in (pub / "train").glob("*.jpg")} == set(train.Image)
    assert {p.name for p in (pub / "test").glob("*.jpg")} == set(answers.Image)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 1.0
    sample_ids = "new_whale w_1287fbc w_98baff9 w_7554f44 w_1eafe46".split()
    expected = answers.Id.map(lambda t: 1 / (sample_ids.index(t) + 1) if t in sample_ids else 0).mean()
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(expected, abs=1e-12)


def test_hand_checked_map5():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"Image": ["a.jpg", "b.jpg"], "Id": ["w_1", "new_whale"]})
    sub = pd.DataFrame({"Image": ["b.jpg", "a.jpg"], "Id": ["w_2 w_2 new_whale", "w_2 w_1"]})
    # a: hit at rank 2 -> 1/2; b: hit at rank 3 -> 1/3. MAP@5 = (1/2 + 1/3) / 2 = 5/12
    assert grade(sub, answers) == pytest.approx(5 / 12, abs=1e-12)


INVALID = {
    "no-id": lambda d: d.drop(columns=["Id"]),
    "no-image": lambda d: d.drop(columns=["Image"]),
    "extra-column": lambda d: d.assign(score=1.0),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(Image=[d.Image.iloc[1], *d.Image.iloc[1:]]),
    "unknown-id": lambda d: d.assign(Image=["00000000.jpg", *d.Image.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
