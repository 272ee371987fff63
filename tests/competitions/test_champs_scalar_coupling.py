import math

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_fn, prepared_tree_digests, raw_score

CID = "champs-scalar-coupling"
T = "scalar_coupling_constant"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests.
EXPECTED = {
    "private/answers.csv": "24b4d49028396be819ed0de99bf7a302",
    "public/dipole_moments.csv": "576e134ec93fd20815bdd7b26f63b382",
    "public/magnetic_shielding_tensors.csv": "18d349de3a97f138fa2b6ae9f07ecaf5",
    "public/mulliken_charges.csv": "176f7596a91cf4f11c25e93aed12fe4e",
    "public/potential_energy.csv": "af9067e4d07212e97aa99a5ac6d849a5",
    "public/sample_submission.csv": "3b08ead0310d8b2d61654ead07b29065",
    "public/scalar_coupling_contributions.csv": "628f9eb5d54dae30a9d72016a9c11323",
    "public/structures": "2442d698f78eee3dc02dd48f3ebf5889",
    "public/structures.csv": "71f2d85e700ea511fa440907f4fdaf5f",
    "public/test.csv": "733841548ed91e7c7d94918069a989fe",
    "public/train.csv": "b95d46de3d86135134af98508dbd250c",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "train.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert train.molecule_name.nunique() == 54 and answers.molecule_name.nunique() == 6
    assert set(train.molecule_name).isdisjoint(answers.molecule_name)
    assert T not in test.columns and list(test.id) == list(answers.id) == list(sample.id)
    assert (sample[T] == 0).all()
    for name in ("structures", "dipole_moments", "potential_energy", "scalar_coupling_contributions"):
        assert set(read_csv(pub / f"{name}.csv").molecule_name) == set(train.molecule_name)
    assert {p.stem for p in (pub / "structures").glob("*.xyz")} == set(train.molecule_name)
    # Fidelity: the same digests as the reference's preparation of this fixture.
    assert prepared_tree_digests(comp) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)[["id", T]]
    # log(0) per type: a perfect submission scores -inf, as in the reference.
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == -math.inf
    noisy = answers.assign(**{T: answers[T] + np.random.default_rng(1).normal(0, 1, len(answers))})
    # Reference grader's raw score on these submissions.
    assert raw_score(comp, noisy, tmp_path) == pytest.approx(-0.8615717038546366, abs=1e-9)
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(2.1585440874733415, abs=1e-9)
    # Sample order, shuffled, and with a repeated row (the reference's merge scores both copies):
    # the reference's raw scores (the first two by the one-row-per-id path, the last by the merge).
    assert raw_score(comp, noisy.sample(frac=1, random_state=2), tmp_path) == \
        pytest.approx(-0.8615717038546366, abs=1e-9)
    repeated = pd.concat([noisy, noisy.iloc[:3].assign(**{T: 0.0})])
    assert raw_score(comp, repeated, tmp_path) == pytest.approx(-0.7568124429897117, abs=1e-9)
    a = noisy
    assert_invalid(comp, {
        "no-target": a.drop(columns=[T]),
        "no-id": a.drop(columns=["id"]),
        "short": a.iloc[:-1],
        "unknown-id": a.assign(id=[99999999, *a.id.iloc[1:]]),
        "extra-id": pd.concat([a, pd.DataFrame({"id": [99999999], T: [1.0]})]),
        "nan": a.assign(**{T: [None, *a[T].iloc[1:]]}),
        "inf": a.assign(**{T: [np.inf, *a[T].iloc[1:]]}),
        "text": a.assign(**{T: ["x", *a[T].iloc[1:]]}),
    }, tmp_path)


def test_hand_checked():
    answers = pd.DataFrame({"id": [1, 2, 3], "type": ["1JHC", "1JHC", "2JHH"], T: [1.0, 3.0, 10.0]})
    submission = pd.DataFrame({"id": [3, 2, 1], T: [12.0, 3.0, 2.0]})
    # 1JHC: MAE (1 + 0) / 2 = 0.5; 2JHH: MAE 2 -> (log 0.5 + log 2) / 2 = 0.
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.0, abs=1e-12)
