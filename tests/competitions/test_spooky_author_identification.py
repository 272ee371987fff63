import math

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, common_invalid, grade_df, grade_fn, prepared_digests

CID = "spooky-author-identification"
CLASSES = ["EAP", "HPL", "MWS"]

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "33788948572f61dc03790ed4743a42eb",
    "public/sample_submission.csv": "f64321a62f06e213ab4c9c4b42897614",
    "public/test.csv": "9c6aa4496a055596989315fec0f72e9e",
    "public/train.csv": "68cc2b5750d3599bff2009eaf03fadef",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "train.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (216, 24)
    assert list(test.columns) == ["id", "text"] and list(answers.columns) == ["id", *CLASSES]
    assert set(train.id).isdisjoint(answers.id)
    assert (answers[CLASSES].sum(axis=1) == 1).all()
    assert list(sample.id) == list(answers.id) == list(test.id)
    assert sample.EAP.iloc[0] == 0.403493538995863


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path)
    assert perfect.valid_submission and perfect.score == 0.0  # clipped at 1e-15: ~2e-16
    sample = grade_df(comp, read_csv(comp.sample_submission), tmp_path)
    assert sample.valid_submission and 0.9 < sample.score < 1.3


def test_hand_checked_log_loss():
    answers = pd.DataFrame({"id": ["id1", "id2"], "EAP": [1, 0], "HPL": [0, 0], "MWS": [0, 1]})
    submission = pd.DataFrame({"id": ["id2", "id1"], "EAP": [0.25, 0.5], "HPL": [0.25, 0.25], "MWS": [0.5, 0.25]})
    # id1 (EAP) gets 0.5, id2 (MWS) gets 0.5: -(ln 0.5 + ln 0.5) / 2 = ln 2.
    assert grade_fn(CID)(submission, answers) == pytest.approx(math.log(2), abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers).astype({c: float for c in CLASSES})
    mutations = {
        **common_invalid("id", "EAP", "id99999"),
        "not-summing-to-one": lambda d: d.assign(EAP=d.EAP * 0.5),
        "negative": lambda d: d.assign(EAP=-d.EAP, HPL=d.HPL + 2 * d.EAP),
        "extra-column": lambda d: d.assign(extra=0.0),
    }
    assert_all_invalid(comp, answers, mutations, tmp_path)
