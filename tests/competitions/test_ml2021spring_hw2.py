import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, grade_df, md5, raw_score

CID = "ml2021spring-hw2"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "5ce0e9317bba92b46fe2f19af9535e18",
    "public/sampleSubmission.csv": "0e9c02c66a80ea7b7be9103e056b5ebd",
    "public/timit_11/timit_11/test_11.npy": "1c16d8ee98a8f03b6292d1142002dc94",
    "public/timit_11/timit_11/train_11.npy": "7aa7eb2d79ba7bf08a0c726a1cd892f9",
    "public/timit_11/timit_11/train_label_11.npy": "659ad4969bc93669cd01745c2c56c10c",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    src = comp.public_dir / "timit_11" / "timit_11"
    train, labels, test = (np.load(src / f) for f in ("train_11.npy", "train_label_11.npy", "test_11.npy"))
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    # 400 fixture frames; Kaggle-like test share 147 / 547 -> ceil(400 * 0.2687) = 108 held out.
    assert (train.shape, test.shape, labels.shape) == ((292, 429), (108, 429), (292,))
    assert train.dtype == np.float32 and labels.dtype.kind == "U"
    assert list(answers.columns) == ["Id", "ClassId"] and list(answers.Id) == list(range(108))
    assert list(sample.Id) == list(answers.Id) and (sample.ClassId == 0).all()
    assert answers.ClassId.between(0, 38).all()
    # Held-out frames are not in the public training frames.
    assert not (test[:, None, :] == train[None, :, :]).all(axis=2).any()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert {k: md5(comp.prepared_dir / k) for k in EXPECTED} == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers, tmp_path).score == 1.0
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    assert grade_df(comp, answers.astype({"ClassId": float}), tmp_path).score == 1.0
    sample = read_csv(comp.sample_submission)
    assert raw_score(comp, sample, tmp_path) == pytest.approx((answers.ClassId == 0).mean(), abs=1e-12)


def test_hand_checked_accuracy():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"Id": [0, 1, 2, 3], "ClassId": [5, 7, 7, 38]})
    submission = pd.DataFrame({"Id": [3, 2, 1, 0], "ClassId": [38, 1, 7, 5]})
    # Ids 0, 1 and 3 right, id 2 wrong (1 for 7): 3 / 4.
    assert grade(submission, answers) == pytest.approx(0.75, abs=1e-12)


INVALID = {
    "no-target": lambda d: d.drop(columns=["ClassId"]),
    "no-id": lambda d: d.drop(columns=["Id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(Id=[d.Id.iloc[1], *d.Id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(Id=[99999, *d.Id.iloc[1:]]),
    "nan": lambda d: d.assign(ClassId=[None, *d.ClassId.iloc[1:]]),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
