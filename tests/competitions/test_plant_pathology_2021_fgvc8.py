import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "plant-pathology-2021-fgvc8"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "9f879094f5011f7550681c47384f6d86",
    "public/sample_submission.csv": "c5d53e150abac2b0b0d76d88d4ff8ba1",
    "public/train.csv": "f0541d42ee44b7a1075ae57d5e809df0",
}
EXPECTED_TREES = {
    "public/train_images": "12ec2fe1ce93dcbd1d62e625f3a7f8e2",
    "public/test_images": "4169ccce05bddc6269e8260ee8c6659c",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (200, 50)
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["image", "labels"]
    assert set(train.image).isdisjoint(answers.image)
    assert list(sample.image) == list(answers.image) and (sample.labels == "healthy").all()
    assert {p.name for p in (pub / "train_images").glob("*.jpg")} == set(train.image)
    assert {p.name for p in (pub / "test_images").glob("*.jpg")} == set(answers.image)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 1.0
    # "healthy" everywhere: TP = #healthy rows, FP = other rows, FN = labels of the other rows
    tp = (answers.labels == "healthy").sum()
    fp = len(answers) - tp
    fn = answers.labels[answers.labels != "healthy"].str.split().str.len().sum()
    expected = 2 * tp / (2 * tp + fp + fn)
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(expected, abs=1e-12)


def test_hand_checked_micro_f1():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"image": ["a.jpg", "b.jpg", "c.jpg"], "labels": ["scab frog_eye_leaf_spot", "rust", "healthy"]})
    sub = pd.DataFrame({"image": ["c.jpg", "b.jpg", "a.jpg"], "labels": [None, "rust complex", "scab"]})
    # a: TP scab, FN frog_eye; b: TP rust ("complex" is in no answer, so it is ignored, as in
    # the reference); c: blank -> FN healthy. TP = 2, FP = 0, FN = 2 -> F1 = 4 / (4 + 0 + 2) = 2/3
    assert grade(sub, answers) == pytest.approx(2 / 3, abs=1e-12)
    sub.loc[0, "labels"] = "scab"  # c: now an FP too -> F1 = 4 / (4 + 1 + 2) = 4/7
    assert grade(sub, answers) == pytest.approx(4 / 7, abs=1e-12)


INVALID = {
    "no-labels": lambda d: d.drop(columns=["labels"]),
    "no-image": lambda d: d.drop(columns=["image"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(image=[d.image.iloc[1], *d.image.iloc[1:]]),
    "unknown-id": lambda d: d.assign(image=["0000000000000000.jpg", *d.image.iloc[1:]]),
    "numeric-labels": lambda d: d.assign(labels=1),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
