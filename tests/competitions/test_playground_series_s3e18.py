import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import (
    assert_all_invalid,
    common_invalid,
    grade_df,
    grade_fn,
    prepared_digests,
    raw_score,
)

CID = "playground-series-s3e18"
LABELS = ["EC1", "EC2", "EC3", "EC4", "EC5", "EC6"]

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "2e610d3afd58a71572c30b8b32e211b4",
    "public/sample_submission.csv": "bd640858216e34e1f5d55eb8926d5d8b",
    "public/test.csv": "13c9313616a2ac7e4fef4b7868d5535a",
    "public/train.csv": "33a9942cd24de136c69f8ca76be86e1d",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "train.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (270, 30, 30)
    assert train.shape[1] == 38 and test.shape[1] == 32
    assert not set(LABELS) & set(test.columns)
    assert set(train.id).isdisjoint(answers.id)
    assert list(sample.columns) == ["id", "EC1", "EC2"] and (sample[["EC1", "EC2"]] == 0.5).all().all()
    assert list(sample.id) == list(answers.id) == list(test.id)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[["id", "EC1", "EC2"]].sample(frac=1, random_state=1)
    assert grade_df(comp, perfect, tmp_path).score == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.5


def test_hand_checked_macro_auc():
    answers = pd.DataFrame({"id": [1, 2, 3, 4], "EC1": [0, 0, 1, 1], "EC2": [1, 0, 1, 0], "EC3": 0})
    submission = pd.DataFrame({"id": [4, 3, 2, 1], "EC1": [0.8, 0.35, 0.4, 0.1], "EC2": [0.3, 0.9, 0.2, 0.6]})
    # EC1: 3 of 4 (positive, negative) pairs ordered -> 0.75; EC2: all 4 ordered -> 1; mean 0.875.
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.875, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["id", "EC1", "EC2"]].astype({"EC1": float, "EC2": float})
    mutations = {
        **common_invalid("id", "EC1", 99999),
        "no-EC2": lambda d: d.drop(columns=["EC2"]),
        "inf": lambda d: d.assign(EC2=[np.inf, *d.EC2.iloc[1:]]),
    }
    assert_all_invalid(comp, answers, mutations, tmp_path)
