import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, grade_df, raw_score

CID = "plant-pathology-2020-fgvc7"
CLASSES = ["healthy", "multiple_diseases", "rust", "scab"]

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "a14cd1a3bbba5c2c698eba38fe2b4826",
    "public/sample_submission.csv": "8fc156c5d911aa442e02a1ddef9bea92",
    "public/test.csv": "d6a6738536c6eeb973dd394cc8f49f68",
    "public/train.csv": "16bcf97a3e686e16333af1eba09703e7",
}
EXPECTED_TREES = {"public/images": "00b7579e8b0f17902e0f42cc16e200e5"}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (180, 20)
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["image_id", *CLASSES]
    assert list(test.columns) == ["image_id"]
    # renamed in split order
    assert list(train.image_id) == [f"Train_{i}" for i in range(180)]
    assert list(test.image_id) == list(answers.image_id) == [f"Test_{i}" for i in range(20)]
    assert list(sample.image_id) == list(test.image_id) and (sample[CLASSES] == 0.25).all().all()
    names = {p.stem for p in (pub / "images").glob("*.jpg")}
    assert names == set(train.image_id) | set(test.image_id)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5
    # scores are only ranked: values outside [0, 1] are accepted, as by the reference
    assert raw_score(comp, answers.assign(**{c: answers[c] * 10 - 3 for c in CLASSES}), tmp_path) == 1.0


def test_hand_checked_mean_auc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"image_id": ["Test_0", "Test_1"], "healthy": [1, 0],
                            "multiple_diseases": [0, 1], "rust": [1, 0], "scab": [0, 1]})
    sub = pd.DataFrame({"image_id": ["Test_1", "Test_0"], "healthy": [0.2, 0.9],
                        "multiple_diseases": [0.9, 0.2], "rust": [0.9, 0.2], "scab": [0.5, 0.5]})
    # healthy 1, multiple_diseases 1, rust 0 (reversed), scab 0.5 (tie) -> 2.5 / 4
    assert grade(sub, answers) == pytest.approx(0.625, abs=1e-12)


INVALID = {
    "missing-class": lambda d: d.drop(columns=["rust"]),
    "extra-column": lambda d: d.assign(extra=0),
    "no-id": lambda d: d.drop(columns=["image_id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(image_id=[d.image_id.iloc[1], *d.image_id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(image_id=["Train_0", *d.image_id.iloc[1:]]),
    "nan": lambda d: d.assign(rust=[None, *d.rust.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
