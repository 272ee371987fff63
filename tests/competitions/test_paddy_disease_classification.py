import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, grade_df

CID = "paddy-disease-classification"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "7086b19e9c7d0c915d9b0b7aafa21f0c",
    "public/sample_submission.csv": "3a7fdfc6ad985d851a6282fba70813ec",
    "public/train.csv": "f02f1061dcad60d903898905c791db72",
}
EXPECTED_TREES = {
    "public/test_images": "6699caf87449fd2166920fae92f7c7bf",
    "public/train_images": "06de96881c2442cbad9c446bb3b2d08a",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (150, 50)
    assert list(train.columns) == list(answers.columns) == ["image_id", "label", "variety", "age"]
    assert set(train.image_id).isdisjoint(answers.image_id)
    assert list(sample.columns) == ["image_id", "label"] and sample.label.isna().all()
    assert list(sample.image_id) == list(answers.image_id)
    assert not (pub / "test.csv").exists()
    assert {p.name for p in (pub / "test_images").iterdir()} == set(answers.image_id)
    placed = {(p.parent.name, p.name) for p in (pub / "train_images").glob("*/*.jpg")}
    assert placed == set(zip(train.label, train.image_id, strict=True))


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers[["image_id", "label"]].sample(frac=1, random_state=0), tmp_path).score == 1.0
    report = grade_df(comp, read_csv(comp.sample_submission), tmp_path)
    assert report.valid_submission and report.score == 0.0  # blank labels: valid, all wrong
    # as in the reference, numeric labels are scored (all wrong), not rejected
    assert grade_df(comp, answers[["image_id"]].assign(label=3), tmp_path).score == 0.0


def test_hand_checked_accuracy():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"image_id": ["1.jpg", "2.jpg", "3.jpg", "4.jpg"],
                            "label": ["blast", "hispa", "normal", "tungro"]})
    submission = pd.DataFrame({"image_id": ["4.jpg", "3.jpg", "2.jpg", "1.jpg"],
                               "label": ["normal", None, "hispa", "blast"]})
    # 1 and 2 right, 3 blank (wrong), 4 wrong -> 2/4
    assert grade(submission, answers) == pytest.approx(0.5, abs=1e-12)


INVALID = {
    "no-label": lambda d: d.drop(columns=["label"]),
    "no-id": lambda d: d.drop(columns=["image_id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(image_id=[d.image_id.iloc[1], *d.image_id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(image_id=["0.jpg", *d.image_id.iloc[1:]]),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["image_id", "label"]]
    assert_all_invalid(comp, answers, INVALID, tmp_path)
