import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, grade_df

CID = "ranzcr-clip-catheter-line-classification"
classes = importlib.import_module(f"mlebench.competitions.{CID}.classes")

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "6508c8a51006b3299ffaba18c3e52429",
    "public/sample_submission.csv": "f99fd47ad1301d5f11fce33397707ab4",
    "public/train.csv": "a35b2a3030f3faa57914091de28e34d9",
    "public/train_annotations.csv": "c09a57f68abf4937e509c5916003b531",
}
EXPECTED_TREES = {
    "public/test": "08e5496659e2e3f4b9ab8fe9e599f276",
    "public/train": "170c95452fb1ae6774180dd8c323985d",
}
UID = "StudyInstanceUID"


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    annotations = read_csv(pub / "train_annotations.csv")
    assert (len(train), len(answers)) == (270, 30)
    assert list(train.columns) == [UID, *classes.KAGGLE_LABELS, "PatientID"]
    assert set(train[UID]).isdisjoint(answers[UID])
    assert set(annotations[UID]) <= set(train[UID])
    # the reference's defect, reproduced: only nine of the eleven label columns
    assert list(sample.columns) == [UID, *classes.CLASSES]
    assert list(sample[UID]) == list(answers[UID]) and (sample[classes.CLASSES] == 0).all().all()
    assert not (pub / "test.csv").exists()
    assert {p.stem for p in (pub / "test").iterdir()} == set(answers[UID])
    assert {p.stem for p in (pub / "train").iterdir()} == set(train[UID])


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[[UID, *classes.CLASSES]].sample(frac=1, random_state=0)
    assert grade_df(comp, perfect, tmp_path).score == 1.0
    assert grade_df(comp, answers[[UID, *classes.KAGGLE_LABELS]], tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5
    # the two unscored labels do not matter, even when wrong
    wrong_extra = perfect.assign(**{"CVC - Normal": 0.3, "Swan Ganz Catheter Present": 0.9})
    assert grade_df(comp, wrong_extra, tmp_path).score == 1.0


def test_hand_checked_mean_auc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({UID: ["1.1", "1.2", "1.3", "1.4"]})
    for c in classes.CLASSES:
        answers[c] = [0, 0, 1, 1]
    submission = answers.copy().astype({c: float for c in classes.CLASSES})
    submission["ETT - Abnormal"] = [0.1, 0.4, 0.35, 0.8]  # AUC 3/4 (one of four pairs misordered)
    # eight perfect columns and one at 0.75 -> (8 + 0.75) / 9 = 0.97222...
    assert grade(submission.iloc[::-1], answers) == pytest.approx(8.75 / 9, abs=1e-12)


INVALID = {
    "no-scored-column": lambda d: d.drop(columns=["CVC - Borderline"]),
    "no-id": lambda d: d.drop(columns=[UID]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(**{UID: [d[UID].iloc[1], *d[UID].iloc[1:]]}),
    "unknown-id": lambda d: d.assign(**{UID: ["9.9.9", *d[UID].iloc[1:]]}),
    "nan": lambda d: d.assign(**{"ETT - Normal": [np.nan, *d["ETT - Normal"].iloc[1:]]}),
    "above-1": lambda d: d.assign(**{"ETT - Normal": [1.5, *d["ETT - Normal"].iloc[1:]]}),
    "text": lambda d: d.assign(**{"ETT - Normal": ["high", *d["ETT - Normal"].iloc[1:]]}),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[[UID, *classes.CLASSES]]
    assert_all_invalid(comp, answers, INVALID, tmp_path)
