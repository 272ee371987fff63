import math

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
    tree_digest,
)

CID = "nomad2018-predict-transparent-conductors"
TARGETS = ["formation_energy_ev_natom", "bandgap_energy_ev"]

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s
# (the geometry folders as md5 over sorted `path md5` lines).
EXPECTED = {
    "private/test.csv": "a6272a8da76e5d64cd98ce1e5e7e8567",
    "public/sample_submission.csv": "9f254ea87955406ee9891c4ae6fb5aa4",
    "public/test.csv": "513ecccf10e5959e22652632bcae80d7",
    "public/train.csv": "15389f26dc02d66e1437bbbdaba07328",
}
EXPECTED_TREES = {"public/train": "a7dbc7cb154eec771a434bee928f618b",
                  "public/test": "ac0f15af38bff5ddad785f3b2481385e"}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "train.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (180, 20)
    assert list(train.id) == list(range(1, 181)) and list(test.id) == list(range(1, 21))
    assert not set(TARGETS) & set(test.columns)
    assert list(sample.id) == list(answers.id) == list(test.id)
    assert (sample.formation_energy_ev_natom == 0.1779).all() and (sample.bandgap_energy_ev == 1.8892).all()
    assert len(list(pub.glob("train/*/geometry.xyz"))) == 180
    assert len(list(pub.glob("test/*/geometry.xyz"))) == 20
    # Held-out materials keep their features: no row of public test equals a public train row.
    features = [c for c in test.columns if c != "id"]
    assert train[features].merge(test[features]).empty


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED
    root = comp.prepared_dir
    assert {k: tree_digest(root / k) for k in EXPECTED_TREES} == EXPECTED_TREES


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[["id", *TARGETS]].sample(frac=1, random_state=1)
    assert grade_df(comp, perfect, tmp_path).score == 0.0
    assert 0.1 < raw_score(comp, read_csv(comp.sample_submission), tmp_path) < 1.0


def test_hand_checked_rmsle():
    answers = pd.DataFrame({"id": [1, 2], TARGETS[0]: [0.0, math.e - 1], TARGETS[1]: [1.0, 1.0]})
    submission = pd.DataFrame({"id": [2, 1], TARGETS[0]: [0.0, 0.0], TARGETS[1]: [1.0, 1.0]})
    # formation: log-errors (0, 1) -> sqrt(1/2); band gap: 0. Mean: sqrt(1/2) / 2 = 0.353553.
    assert grade_fn(CID)(submission, answers) == pytest.approx(math.sqrt(0.5) / 2, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["id", *TARGETS]]
    mutations = {
        **common_invalid("id", TARGETS[0], 99999),
        "no-bandgap": lambda d: d.drop(columns=[TARGETS[1]]),
        "negative": lambda d: d.assign(bandgap_energy_ev=-d.bandgap_energy_ev),
    }
    assert_all_invalid(comp, answers, mutations, tmp_path)
