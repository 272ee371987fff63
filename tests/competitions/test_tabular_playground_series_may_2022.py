import pandas as pd
import pytest

from mlebench.data import prepare_competition
from mlebench.errors import InvalidSubmissionError
from mlebench.registry import Registry
from mlebench.tables import read_csv

from ._checks import (
    assert_all_invalid,
    common_invalid,
    grade_df,
    grade_fn,
    prepared_digests,
    probability_invalid,
)

CID = "tabular-playground-series-may-2022"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/gold_submission.csv": "80d7de54c83a5736f7343406d168814b",
    "private/test.csv": "e4e266a9c65d0be92738c6694d46fd4a",
    "public/sample_submission.csv": "8e6b90d0e7c7d5af875f70dd033d91ad",
    "public/test.csv": "1065d71ef37ecdbe2e6b76673e8ffe1b",
    "public/train.csv": "1292876921f7c46b55c982cd17aa5fb6",
}


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    # The preparer holds out exactly 100,000 rows, so the fixture is big: prepare it once.
    competition = Registry(tmp_path_factory.mktemp("data")).get_competition(CID)
    prepare_competition(competition, synthetic=True, seed=0, force=True)
    return competition


@pytest.fixture(scope="module")
def answers(comp):
    return read_csv(comp.answers)


def test_split(comp, answers):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (240, 100_000, 100_000)
    assert list(train.id) == list(range(240))
    assert list(answers.id) == list(test.id) == list(range(240, 100_240))
    assert "target" not in test.columns and list(answers.columns) == list(train.columns)
    assert list(sample.id) == list(test.id) and (sample.target == 0.5).all()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


def test_grades(comp, answers, tmp_path):
    gold = read_csv(comp.private_dir / "gold_submission.csv")
    assert grade_df(comp, gold.iloc[::-1], tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5


def test_hand_checked_auc():
    answers = pd.DataFrame({"id": [5, 6, 7, 8], "target": [1, 0, 1, 0]})
    submission = pd.DataFrame({"id": [8, 7, 6, 5], "target": [0.5, 0.5, 0.2, 0.9]})
    # Positives 5=0.9, 7=0.5; negatives 6=0.2, 8=0.5. Pairs: (5,6) (5,8) (7,6) ordered, (7,8)
    # tied counts half -> 3.5/4 = 0.875.
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.875, abs=1e-12)


def test_invalid(comp, answers, tmp_path):
    gold = answers[["id", "target"]].head(3000)
    # A cut-down frame is enough for the column/value checks; the row checks use the full one.
    grade = grade_fn(CID)
    for _name, mutate in {**common_invalid("id", "target", -1), **probability_invalid("target")}.items():
        with pytest.raises(InvalidSubmissionError):
            grade(mutate(gold), answers.head(3000))
    assert_all_invalid(comp, answers[["id", "target"]],
                       {k: v for k, v in common_invalid("id", "target", -1).items()
                        if k in ("short", "duplicate-id", "nan")}, tmp_path)
