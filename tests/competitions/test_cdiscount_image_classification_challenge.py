import importlib

import pandas as pd
import pytest

from mlebench.data.bson_lite import get_ints, iter_documents
from mlebench.tables import read_csv

from ._checks import assert_all_invalid, md5, raw_score

CID = "cdiscount-image-classification-challenge"

# Seed-0 fixture prepared by ours and by the reference implementation (pymongo 4.20.0): identical md5s.
EXPECTED = {
    "private/answers.csv": "43fc1fa405e70b736392c1ba9c1313db",
    "public/category_names.csv": "eb07edd72123d962058c664bb4c525a8",
    "public/sample_submission.csv": "0d27794c4171d512e535e09d31ee0603",
    "public/test.bson": "37a17f9bc25e03fad9e696862e54b466",
    "public/train.bson": "c42ebf38b04b4d7c7db5687adfbeb8d4",
    "public/train_example.bson": "1ce2ecb8574b264bca0c51340ce8d89e",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def _products(path):
    with open(path, "rb") as f:
        return list(iter_documents(f))


def test_split(comp):
    pub = comp.public_dir
    train, test, example = (_products(pub / n) for n in ("train.bson", "test.bson", "train_example.bson"))
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (144, 16, 16)  # 160 products, 10% held out
    assert example == train[:100]
    train_ids = [get_ints(d, ["_id"])["_id"] for d in train]
    test_ids = [get_ints(d, ["_id", "category_id"]) for d in test]
    assert all(set(t) == {"_id"} for t in test_ids)  # labels removed from the test products
    assert set(train_ids).isdisjoint(answers._id) and sorted(t["_id"] for t in test_ids) == list(answers._id)
    assert list(answers.columns) == list(sample.columns) == ["_id", "category_id"]
    assert list(sample._id) == list(answers._id) and (sample.category_id == 1000010653).all()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 1.0
    expected = (answers.category_id == 1000010653).mean()
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(expected, abs=1e-12)


def test_hand_checked():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"_id": [3, 1, 2, 7], "category_id": [10, 20, 30, 40]})
    sub = pd.DataFrame({"_id": [1, 2, 3, 7], "category_id": [20, 31, 10, 40]})
    assert grade(sub, answers) == 0.75  # ids 1, 3 and 7 right, 2 wrong -> 3/4


INVALID = {
    "no-target": lambda d: d.drop(columns=["category_id"]),
    "no-id": lambda d: d.drop(columns=["_id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(_id=[d._id.iloc[1], *d._id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(_id=[-5, *d._id.iloc[1:]]),
    "nan": lambda d: d.assign(category_id=[None, *d.category_id.iloc[1:]]),
    "fractional": lambda d: d.assign(category_id=d.category_id + 0.5),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
