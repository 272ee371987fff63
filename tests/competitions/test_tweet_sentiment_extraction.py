import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, grade_df, prepared_md5s, shape_invalid

CID = "tweet-sentiment-extraction"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "5d2fdb970e02b00c86f7db3809711f5d",
    "public/sample_submission.csv": "67951967b3b2e245bf02c5b44ab4b0cf",
    "public/test.csv": "b97f6cfea7d9df141a095177700f621a",
    "public/train.csv": "54d7edf63ad86fa33969d9be157728a7",
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
    assert list(test.columns) == ["textID", "text", "sentiment"]
    assert list(answers.columns) == ["textID", "text", "selected_text", "sentiment"]
    assert set(train.textID).isdisjoint(answers.textID)
    assert train.text.isna().sum() == 1  # Kaggle's one empty tweet stays in the training part
    assert list(sample.textID) == list(answers.textID) and sample.selected_text.isna().all()
    assert prepared_md5s(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)[["textID", "selected_text"]]
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    assert grade_df(comp, answers.assign(selected_text=answers.selected_text.str.upper()), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.0
    # Whole tweets as predictions: positive but imperfect overlap.
    full = read_csv(comp.answers)[["textID", "text"]].rename(columns={"text": "selected_text"})
    assert 0.3 < grade_df(comp, full, tmp_path).score < 1


def test_hand_checked_jaccard():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"textID": ["a", "b", "c"], "selected_text": ["good", "so sad", "Very good day"]})
    submission = pd.DataFrame({"textID": ["c", "b", "a"], "selected_text": ["good DAY!", None, "good day"]})
    # a: {good, day} vs {good} -> 1/2; b: blank vs {so, sad} -> 0;
    # c: {good, day!} vs {very, good, day} -> 1 shared of 4 -> 1/4. Mean (0.5 + 0 + 0.25) / 3 = 0.25.
    assert grade(submission, answers) == pytest.approx(0.25, abs=1e-12)


def test_both_empty_cannot_be_scored():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    from mlebench.errors import InvalidSubmissionError

    answers = pd.DataFrame({"textID": ["a", "b"], "selected_text": [None, "sad"]})
    with pytest.raises(InvalidSubmissionError, match="both the prediction and the answer are empty"):
        grade(pd.DataFrame({"textID": ["a", "b"], "selected_text": ["", "sad"]}), answers)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["textID", "selected_text"]]
    assert_all_invalid(comp, answers, shape_invalid("textID", "selected_text"), tmp_path)
