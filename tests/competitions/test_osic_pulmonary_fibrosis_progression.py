import math

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_fn, prepared_tree_digests, raw_score

CID = "osic-pulmonary-fibrosis-progression"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests.
EXPECTED = {
    "private/test.csv": "15ba9b05831975ec55fd077fa8ac24eb",
    "public/sample_submission.csv": "4bb24d49f9c7d2966d18b0548524daf7",
    "public/test": "82ad28fc1ad06f6351613ecc80b5d491",
    "public/test.csv": "5d65030f2ca29c4a12303536a3dfd1d5",
    "public/train": "827da7301842a5a4e9ed32a466f30666",
    "public/train.csv": "cba0bff45ae64194db02ccf8552b6e81",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "train.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (train.Patient.nunique(), len(test)) == (36, 4) and test.Patient.is_unique
    assert set(train.Patient).isdisjoint(answers.Patient) and set(test.Patient) == set(answers.Patient)
    assert list(sample.Patient_Week) == list(answers.Patient_Week)
    assert answers.groupby("Patient").size().nunique() == 1
    assert {p.name for p in (pub / "test").iterdir()} == set(test.Patient)
    # Fidelity: the same digests as the reference's preparation of this fixture.
    assert prepared_tree_digests(comp) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[["Patient_Week", "FVC", "Confidence"]].fillna({"FVC": 2000})
    # delta 0, sigma 100 on every scored row: -ln(100 * sqrt(2)).
    assert raw_score(comp, perfect, tmp_path) == pytest.approx(-math.log(100 * math.sqrt(2)), abs=1e-12)
    # Reference grader's raw score on the sample submission.
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(-11.062324877021814, abs=1e-9)
    assert math.isnan(raw_score(comp, perfect.assign(FVC=np.nan), tmp_path))  # as in the reference
    a = perfect
    assert_invalid(comp, {
        "no-confidence": a.drop(columns=["Confidence"]),
        "no-fvc": a.drop(columns=["FVC"]),
        "no-patient-week": a.drop(columns=["Patient_Week"]),
        "unknown-week": a.assign(Patient_Week=["ID00_999", *a.Patient_Week.iloc[1:]]),
        "text": a.assign(FVC=["x", *a.FVC.iloc[1:]]),
        "duplicated": pd.concat([a, a]),
    }, tmp_path)


def test_hand_checked():
    answers = pd.DataFrame({
        "Patient": ["P"] * 4, "Patient_Week": ["P_1", "P_2", "P_3", "P_4"],
        "FVC": [9999.0, np.nan, 2000.0, 3000.0],
    })
    submission = pd.DataFrame({"Patient_Week": ["P_4", "P_3", "P_1"], "FVC": [1000, 2100, 0],
                               "Confidence": [50, 100, 100]})
    # Scored: the three latest measured weeks P_1, P_3, P_4 (P_2 has no FVC).
    # P_3: -sqrt(2) * 100/100 - ln(100 sqrt 2) = -6.365958; P_4: delta 1000, sigma 70:
    # -20.203051 - 4.595069 = -24.798120; P_1: delta 1000, sigma 100: -14.142136 - 4.951744
    # = -19.093880. Mean: (-6.365958 - 24.798120 - 19.093880) / 3 = -16.752652.
    expected = np.mean([-math.sqrt(2) - math.log(100 * math.sqrt(2)),
                        -math.sqrt(2) * 1000 / 70 - math.log(70 * math.sqrt(2)),
                        -math.sqrt(2) * 10 - math.log(100 * math.sqrt(2))])
    assert grade_fn(CID)(submission, answers) == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(-16.752652, abs=1e-6)
