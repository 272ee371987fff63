import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, grade_df, prepared_md5s, shape_invalid, tree_digest

CID = "petfinder-pawpularity-score"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "ccbb33f66c1266c04c8c029ccd397f42",
    "public/sample_submission.csv": "07e5e191f9d84a5da7ff420adaba5f29",
    "public/test.csv": "f28b15ea8e2b2b6eca6a604a3484fd63",
    "public/train.csv": "c252d14c1dc8c34178a925877084f32b",
}
EXPECTED_TREES = {
    "public/test": "7e7c9d644781da4832ec43ed7e6384b3",
    "public/train": "86d17dac770798e5c10097d3bb0a5408",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (90, 10)
    assert list(test.columns) == list(train.columns)[:-1] and list(answers.columns) == list(train.columns)
    assert set(train.Id).isdisjoint(answers.Id)
    assert {p.stem for p in (pub / "train").iterdir()} == set(train.Id)
    assert {p.stem for p in (pub / "test").iterdir()} == set(test.Id)
    assert list(sample.Id) == list(answers.Id) and sample.Pawpularity.between(1, 100).all()
    assert prepared_md5s(comp, EXPECTED) == EXPECTED
    assert {k: tree_digest(comp.prepared_dir / k) for k in EXPECTED_TREES} == EXPECTED_TREES


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)[["Id", "Pawpularity"]]
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 0.0
    sample = grade_df(comp, read_csv(comp.sample_submission), tmp_path)
    assert sample.valid_submission and sample.score > 10


def test_hand_checked_rmse():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"Id": ["a", "b", "c"], "Pawpularity": [10, 20, 30]})
    submission = pd.DataFrame({"Id": ["c", "b", "a"], "Pawpularity": [34.0, 20.0, 10.0]})
    # Errors (0, 0, 4): sqrt(16 / 3) = 2.3094.
    assert grade(submission, answers) == pytest.approx((16 / 3) ** 0.5, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["Id", "Pawpularity"]]
    mutations = shape_invalid("Id", "Pawpularity")
    mutations["nan"] = lambda d: d.assign(Pawpularity=[None, *d.Pawpularity.iloc[1:]])
    mutations["below-one"] = lambda d: d.assign(Pawpularity=[0.5, *d.Pawpularity.iloc[1:]])
    mutations["above-100"] = lambda d: d.assign(Pawpularity=[100.5, *d.Pawpularity.iloc[1:]])
    mutations["text"] = lambda d: d.assign(Pawpularity=["x", *d.Pawpularity.iloc[1:]])
    assert_all_invalid(comp, answers, mutations, tmp_path)
