import json

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

CID = "random-acts-of-pizza"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s (zips
# compared by member names and contents).
EXPECTED = {
    "private/test.csv": "40dfd4306da9d52adc72ec3940b6d2fb",
    "public/sampleSubmission.csv": "77540b719f5056edb43473b3240c3fd5",
    "public/test.json": "93e3cf00673744927162cd1a30d12d8e",
    "public/test.zip": "26a445dda4b667a4dc22b9edfc6eebb9",
    "public/train.json": "53d3663586ffe6ee7f968d1f183a07ab",
    "public/train.zip": "e11fa85f13cad1002c8d4a08038f6ff4",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    train = json.loads((comp.public_dir / "train.json").read_text())
    test = json.loads((comp.public_dir / "test.json").read_text())
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    # 280 requests, Kaggle-like test share 80/280 of the 200 train requests -> 58 held out.
    assert (len(train), len(test), len(answers)) == (142, 58, 58)
    assert len(train[0]) == 32 and len(test[0]) == 17 and "requester_received_pizza" not in test[0]
    assert {r["request_id"] for r in train}.isdisjoint(answers.request_id)
    assert [r["request_id"] for r in test] == list(answers.request_id) == list(sample.request_id)
    assert set(answers.requester_received_pizza) <= {0, 1} and (sample.requester_received_pizza == 0).all()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers, tmp_path).score == 1.0
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5


def test_hand_checked_auc():
    answers = pd.DataFrame({"request_id": ["t3_a", "t3_b", "t3_c", "t3_d"], "requester_received_pizza": [0, 0, 1, 1]})
    submission = pd.DataFrame({"request_id": ["t3_d", "t3_c", "t3_b", "t3_a"], "requester_received_pizza": [0.8, 0.35, 0.4, 0.1]})
    # Positive c=0.35 is below negative b=0.4; the other 3 of 4 pairs are ordered -> 0.75.
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.75, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    mutations = {**common_invalid("request_id", "requester_received_pizza", "t3_zzzzz"),
                 **probability_invalid("requester_received_pizza")}
    assert_all_invalid(comp, answers, mutations, tmp_path)
