import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, common_invalid, grade_df, grade_fn, prepared_digests

CID = "tabular-playground-series-dec-2021"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "13f50ee87ae1be9182683f4afc2b5ced",
    "public/sample_submission.csv": "f2b84e433fe82b8f1f723506029a7b79",
    "public/test.csv": "f6f81ad02f6dc6c7693fb7e60e253de4",
    "public/train.csv": "8b2f0cdff02d32a6af2b4687cfc242e1",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "train.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (360, 40) and train.shape[1] == 56
    assert "Cover_Type" not in test.columns and list(answers.columns) == list(train.columns)
    assert set(train.Id).isdisjoint(answers.Id)
    assert list(sample.columns) == ["Id", "Cover_Type"] and (sample.Cover_Type == 2).all()
    assert list(sample.Id) == list(answers.Id) == list(test.Id)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)[["Id", "Cover_Type"]]
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    expected = round(float((answers.Cover_Type == 2).mean()), 5)
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == expected


def test_hand_checked_accuracy():
    answers = pd.DataFrame({"Id": [10, 11, 12, 13, 14], "Cover_Type": [1, 2, 2, 7, 3]})
    submission = pd.DataFrame({"Id": [14, 13, 12, 11, 10], "Cover_Type": [3, 7, 1, 2, 2]})
    # Ids 14, 13 and 11 right; 12 and 10 wrong -> 3/5.
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.6, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["Id", "Cover_Type"]]
    mutations = common_invalid("Id", "Cover_Type", 123456789)
    mutations.pop("text")  # a text label is a valid (wrong) prediction, as in the reference
    assert_all_invalid(comp, answers, mutations, tmp_path)
