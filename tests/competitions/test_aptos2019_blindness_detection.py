import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, grade_df

CID = "aptos2019-blindness-detection"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "1d84665df2ad7aaa12195b7ba40cc234",
    "public/sample_submission.csv": "db18a9522ff34b91a7203b989b485ba1",
    "public/test.csv": "460195111b6923df7c8cf54324484270",
    "public/train.csv": "a197734d022c9acc844b7217183ed5d4",
}
EXPECTED_TREES = {
    "public/test_images": "a7138ccf4d99921c5d8c99aeb46fdac8",
    "public/train_images": "05ba6e61e1c1a530ede87d291a529494",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "train.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (180, 20)
    assert list(test.columns) == ["id_code"] and list(answers.columns) == ["id_code", "diagnosis"]
    assert set(train.id_code).isdisjoint(answers.id_code)
    assert list(sample.id_code) == list(answers.id_code) and (sample.diagnosis == 0).all()
    assert {p.stem for p in (pub / "test_images").iterdir()} == set(test.id_code)
    assert {p.stem for p in (pub / "train_images").iterdir()} == set(train.id_code)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers, tmp_path).score == 1.0
    shuffled = answers.sample(frac=1, random_state=1)
    assert grade_df(comp, shuffled, tmp_path).score == 1.0
    sample = read_csv(comp.sample_submission)
    assert grade_df(comp, sample, tmp_path).score == 0.0  # constant prediction: kappa 0


def test_hand_checked_kappa():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id_code": list("abcd"), "diagnosis": [0, 1, 2, 3]})
    submission = pd.DataFrame({"id_code": list("dcba"), "diagnosis": [2, 2, 1, 0]})
    # Only d is off (2 for 3): weighted disagreement 1. Chance: predicted grade counts (1, 1, 2, 0)
    # against true counts (1, 1, 1, 1) give sum r_i * sum_j (i - j)^2 / 4 = (14 + 6 + 2*6) / 4 = 8.
    # kappa = 1 - 1/8 = 0.875.
    assert grade(submission, answers) == pytest.approx(0.875, abs=1e-12)


INVALID = {
    "no-target": lambda d: d.drop(columns=["diagnosis"]),
    "no-id": lambda d: d.drop(columns=["id_code"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id_code=[d.id_code.iloc[1], *d.id_code.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id_code=["zzz", *d.id_code.iloc[1:]]),
    "nan": lambda d: d.assign(diagnosis=[None, *d.diagnosis.iloc[1:]]),
    "non-integer": lambda d: d.assign(diagnosis=d.diagnosis + 0.5),
    "text": lambda d: d.assign(diagnosis=["x", *d.diagnosis.iloc[1:]]),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
