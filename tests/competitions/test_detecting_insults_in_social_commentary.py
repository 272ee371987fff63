import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import (
    assert_all_invalid,
    common_invalid,
    grade_df,
    grade_fn,
    prepared_digests,
    probability_invalid,
)

CID = "detecting-insults-in-social-commentary"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/gold_submission.csv": "29543c0bded0cd2d552628673bddfeb9",
    "private/test.csv": "93c270c2a48ed97966bb567e1d23e90b",
    "public/sample_submission_null.csv": "cc49411ce1b7d15530938bc0f3428796",
    "public/test.csv": "bf77aaed00af1c78bb3458d196194571",
    "public/train.csv": "1c49a1d64bbcc5acbd7265667aad3cd0",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "train.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (250, 150, 150)
    assert list(train.columns) == ["Insult", "Date", "Comment"]
    assert list(test.columns) == ["Date", "Comment"]
    assert list(answers.columns) == ["Insult", "Date", "Comment", "Usage"]
    assert set(train.Comment).isdisjoint(test.Comment)
    assert test.Comment.duplicated().sum() == 2  # repeated comments, as in Kaggle's test set
    assert list(sample.columns) == ["Insult", "Date", "Comment"] and (sample.Insult == 0).all()
    assert list(sample.Comment) == list(answers.Comment)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    gold = read_csv(comp.private_dir / "gold_submission.csv")
    assert grade_df(comp, gold, tmp_path).score == 1.0
    assert grade_df(comp, gold.sample(frac=1, random_state=3), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5


def test_hand_checked_auc():
    answers = pd.DataFrame({"Insult": [0, 1, 0, 1], "Comment": ['"a"', '"b"', '"c"', '"a b"']})
    submission = pd.DataFrame({"Comment": ['"a b"', '"c"', '"b"', '"a"'], "Insult": [0.8, 0.35, 0.4, 0.1]})
    # positives b=0.4, "a b"=0.8; negatives a=0.1, c=0.35: all 4 pairs ordered -> AUC 1.
    assert grade_fn(CID)(submission, answers) == pytest.approx(1.0, abs=1e-12)
    submission["Insult"] = [0.8, 0.45, 0.4, 0.1]  # c=0.45 now outranks b=0.4: 3 of 4 pairs -> 0.75
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.75, abs=1e-12)


def test_invalid(comp, tmp_path):
    gold = read_csv(comp.private_dir / "gold_submission.csv")
    mutations = {**common_invalid("Comment", "Insult", '"not a test comment"'), **probability_invalid("Insult")}
    assert_all_invalid(comp, gold, mutations, tmp_path)
