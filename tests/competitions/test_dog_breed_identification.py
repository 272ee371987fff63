import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "dog-breed-identification"
BREEDS = importlib.import_module(f"mlebench.competitions.{CID}.breeds").BREEDS

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "9d2da0585d463357ba0e91a0678a4687",
    "public/labels.csv": "f31d15015de61192d6f88e7e0b1e3ece",
    "public/sample_submission.csv": "2a0e51c1db77f37874499eefca4b5465",
}
EXPECTED_TREES = {
    "public/test": "cb581a16be4613ce644d4ee7fb434e90",
    "public/train": "db98df8637a1ba8532bf6c9a89cdad8a",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "labels.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (270, 30)
    assert list(train.columns) == ["id", "breed"]
    assert list(answers.columns) == list(sample.columns) == ["id", *BREEDS]
    assert (answers[BREEDS].sum(axis=1) == 1).all()
    assert set(train.id).isdisjoint(answers.id)
    assert list(sample.id) == list(answers.id) and np.allclose(sample[BREEDS], 1 / 120)
    assert {p.stem for p in (pub / "train").glob("*.jpg")} == set(train.id)
    assert {p.stem for p in (pub / "test").glob("*.jpg")} == set(answers.id)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path)
    assert perfect == pytest.approx(0, abs=1e-12)
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(np.log(120))


def test_hand_checked_log_loss():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": ["a", "b"], **{b: [0, 0] for b in BREEDS}})
    answers.loc[0, "beagle"] = 1
    answers.loc[1, "pug"] = 1
    sub = pd.DataFrame({"id": ["b", "a"], **{b: [0.0, 0.0] for b in BREEDS}})
    sub.loc[0, ["pug", "boxer"]] = [0.5, 0.5]  # row b: pug 0.5
    sub.loc[1, "beagle"] = 1.0  # row a: beagle 1 (clipped to 1 - eps)
    # mean(-ln 0.5, -ln(1 - eps)) = ln(2) / 2 + tiny
    assert grade(sub, answers) == pytest.approx(np.log(2) / 2, abs=1e-12)


INVALID = {
    "no-breed-column": lambda d: d.drop(columns=["pug"]),
    "no-id": lambda d: d.drop(columns=["id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id=[d.id.iloc[1], *d.id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id=["0" * 32, *d.id.iloc[1:]]),
    "nan": lambda d: d.assign(pug=[None, *d.pug.iloc[1:]]),
    "rows-do-not-sum-to-one": lambda d: d.assign(**{b: d[b] * 0.9 for b in BREEDS}),
    "negative": lambda d: d.assign(pug=d.pug - 0.1, beagle=d.beagle + 0.1),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
