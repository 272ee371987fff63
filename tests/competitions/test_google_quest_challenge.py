import importlib
import math

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, grade_df, prepared_md5s, shape_invalid

CID = "google-quest-challenge"
CLASSES = importlib.import_module(f"mlebench.competitions.{CID}.classes").CLASSES

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s. (In this
# fixture the held-out rows are all 0 in question_type_spelling, so the row swap is exercised.)
EXPECTED = {
    "private/test.csv": "9ce1972822b6953d452a8888a8eaa704",
    "public/sample_submission.csv": "4c38989677faad5ae30c89afc5e649e6",
    "public/test.csv": "1860bd92db9fce9797fb27b79287be0d",
    "public/train.csv": "610673343c74deb5010d2599911d154e",
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
    assert train.shape[1] == 41 and test.shape[1] == 11 and not set(CLASSES) & set(test.columns)
    assert list(answers.columns) == ["qa_id", *CLASSES] and list(sample.columns) == ["qa_id", *CLASSES]
    assert set(train.qa_id).isdisjoint(answers.qa_id) and list(test.qa_id) == list(answers.qa_id)
    assert all(answers[c].nunique() > 1 for c in CLASSES)
    assert answers.question_type_spelling.iloc[0] != 0  # the swapped-in row
    assert np.allclose(sample[CLASSES[0]], np.linspace(0, 1, len(sample)))
    assert prepared_md5s(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    sample = grade_df(comp, read_csv(comp.sample_submission), tmp_path)
    assert sample.valid_submission and -0.5 < sample.score < 0.5
    one_constant = answers.assign(**{CLASSES[0]: 0.5})  # undefined correlation -> NaN mean
    assert math.isnan(grade_df(comp, one_constant, tmp_path).score)


def test_hand_checked_spearman():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"qa_id": [1, 2, 3], **{c: [0.0, 0.5, 1.0] for c in CLASSES}})
    submission = pd.DataFrame({"qa_id": [3, 1, 2], **{c: [0.3, 0.1, 0.2] for c in CLASSES}})
    for c in CLASSES[:15]:
        submission[c] = [0.2, 0.1, 0.3]  # ranks (1, 3, 2) after sorting by id: rho = 1 - 6*2/24 = 0.5
    # 15 columns at rho 0.5 and 15 at rho 1: mean 0.75.
    assert grade(submission, answers) == pytest.approx(0.75, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    mutations = shape_invalid("qa_id", CLASSES[-1])
    mutations["extra-column"] = lambda d: d.assign(extra=1.0)
    mutations["nan"] = lambda d: d.assign(**{CLASSES[3]: [None, *d[CLASSES[3]].iloc[1:]]})
    mutations["text"] = lambda d: d.assign(**{CLASSES[3]: ["x", *d[CLASSES[3]].iloc[1:]]})
    mutations["shifted-ids"] = lambda d: d.assign(qa_id=d.qa_id + 100_000)
    assert_all_invalid(comp, answers, mutations, tmp_path)
