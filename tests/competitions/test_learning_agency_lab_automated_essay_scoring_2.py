import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, grade_df, prepared_md5s, shape_invalid

CID = "learning-agency-lab-automated-essay-scoring-2"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "22a98269aba5f6c3847217c6550d8df7",
    "public/sample_submission.csv": "b90371f1cf2b3c96926f34f375a78b48",
    "public/test.csv": "3b6101d7c3cab27ce471b6ee5c2b8192",
    "public/train.csv": "daa29df65055b85f1dd43e36a9bc4e6a",
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
    assert list(test.columns) == ["essay_id", "full_text"]
    assert list(answers.columns) == ["essay_id", "full_text", "score"]
    assert set(train.essay_id).isdisjoint(answers.essay_id)
    assert list(sample.essay_id) == list(answers.essay_id) and sample.score.between(1, 6).all()
    assert prepared_md5s(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)[["essay_id", "score"]]
    assert grade_df(comp, answers, tmp_path).score == 1.0
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    assert grade_df(comp, answers.assign(score=3), tmp_path).score == 0.0  # constant: chance level
    sample = grade_df(comp, read_csv(comp.sample_submission), tmp_path)
    assert sample.valid_submission and -1 <= sample.score < 0.5


def test_hand_checked_kappa():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"essay_id": list("abcd"), "score": [1, 2, 3, 4]})
    submission = pd.DataFrame({"essay_id": list("dcba"), "score": [4, 3, 2, 2]})
    # Only a is off (2 for 1): weighted disagreement 1. Chance: predicted counts (0, 2, 1, 1) against
    # true counts (1, 1, 1, 1): sum_i pred_i * sum_j (i - j)^2 / 4 = (2*6 + 6 + 14) / 4 = 8.
    # kappa = 1 - 1/8 = 0.875.
    assert grade(submission, answers) == pytest.approx(0.875, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["essay_id", "score"]]
    mutations = shape_invalid("essay_id", "score")
    mutations["nan"] = lambda d: d.assign(score=[None, *d.score.iloc[1:]])
    mutations["non-integer"] = lambda d: d.assign(score=d.score + 0.5)
    mutations["text"] = lambda d: d.assign(score=["x", *d.score.iloc[1:]])
    assert_all_invalid(comp, answers, mutations, tmp_path)
