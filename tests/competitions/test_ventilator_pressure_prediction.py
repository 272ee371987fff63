import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, grade_df, prepared_md5s, shape_invalid

CID = "ventilator-pressure-prediction"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "1ea922da50e6703feb666617555effdd",
    "public/sample_submission.csv": "44c0e21f7a9dc960ead76e299e5828b9",
    "public/test.csv": "daf567efd423f93020849e7ca355fc0a",
    "public/train.csv": "3b133c3836bba9fa8f56809806a2f977",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (27 * 80, 3 * 80)
    assert list(test.columns) == ["id", "breath_id", "R", "C", "time_step", "u_in", "u_out"]
    assert "pressure" in answers.columns
    assert set(train.breath_id).isdisjoint(test.breath_id)
    assert (test.groupby("breath_id").size() == 80).all()
    assert list(train.id) == list(range(1, len(train) + 1)) and list(test.id) == list(range(1, len(test) + 1))
    assert list(sample.id) == list(answers.id) and (sample.pressure == 0).all()
    assert prepared_md5s(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[["id", "pressure"]]
    assert grade_df(comp, perfect.sample(frac=1, random_state=1), tmp_path).score == 0.0
    # Expiratory rows (u_out == 1) are not scored, whatever they hold.
    expiratory = answers.u_out.to_numpy() == 1
    assert grade_df(comp, perfect.assign(pressure=np.where(expiratory, 1e6, perfect.pressure)), tmp_path).score == 0.0
    inspiratory = answers.pressure[~expiratory]
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == round(inspiratory.abs().mean(), 5)


def test_hand_checked_mae():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": [1, 2, 3, 4], "u_out": [0, 0, 1, 1], "pressure": [5.0, 6.0, 7.0, 8.0]})
    submission = pd.DataFrame({"id": [4, 3, 2, 1], "pressure": [0.0, 0.0, 6.0, 6.0]})
    # Scored rows 1 and 2: |6 - 5| and |6 - 6| -> MAE 0.5.
    assert grade(submission, answers) == pytest.approx(0.5, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["id", "pressure"]]
    mutations = shape_invalid("id", "pressure")
    mutations["nan"] = lambda d: d.assign(pressure=[None, *d.pressure.iloc[1:]])
    mutations["text"] = lambda d: d.assign(pressure=["x", *d.pressure.iloc[1:]])
    assert_all_invalid(comp, answers, mutations, tmp_path)
