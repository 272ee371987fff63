import importlib
import math

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, grade_df, prepared_md5s, shape_invalid

CID = "us-patent-phrase-to-phrase-matching"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "83e62cf00c250d4d5b6ddeffb2fd86e9",
    "public/sample_submission.csv": "2c7a1177ec55c324eebe965eae2464db",
    "public/test.csv": "41ab10dba0b125ad2343aa1567bf64fc",
    "public/train.csv": "49773d435559522bc321fbb82dd1a7c0",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (270, 30)
    assert list(test.columns) == ["id", "anchor", "target", "context"]
    assert list(answers.columns) == ["id", "anchor", "target", "context", "score"]
    assert set(train.id).isdisjoint(answers.id)
    assert list(sample.id) == list(answers.id) and (sample.score == 0).all()
    assert prepared_md5s(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)[["id", "score"]]
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    assert grade_df(comp, answers.assign(score=1 - answers.score), tmp_path).score == -1.0
    # A constant prediction (the sample submission) has no correlation: NaN, as in the reference.
    sample = grade_df(comp, read_csv(comp.sample_submission), tmp_path)
    assert sample.valid_submission and math.isnan(sample.score)
    noisy = answers.assign(score=answers.score + np.random.default_rng(0).normal(0, 0.2, len(answers)))
    assert 0.5 < grade_df(comp, noisy, tmp_path).score < 1


def test_hand_checked_pearson():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": ["a", "b", "c"], "score": [0.0, 0.5, 1.0]})
    submission = pd.DataFrame({"id": ["c", "a", "b"], "score": [0.8, 0.2, 0.2]})
    # Deviations (-0.5, 0, 0.5) and (-0.2, -0.2, 0.4): r = 0.3 / sqrt(0.5 * 0.24) = sqrt(3) / 2.
    assert grade(submission, answers) == pytest.approx(math.sqrt(3) / 2, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["id", "score"]]
    mutations = shape_invalid("id", "score")
    mutations["nan"] = lambda d: d.assign(score=[None, *d.score.iloc[1:]])
    mutations["text"] = lambda d: d.assign(score=["x", *d.score.iloc[1:]])
    assert_all_invalid(comp, answers, mutations, tmp_path)
