import importlib
import zipfile

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import archive_digest, assert_all_invalid, md5, raw_score

CID = "iwildcam-2019-fgvc6"

# Seed-0 fixture prepared by ours and by the reference implementation: identical md5s (zips
# compared by member names and bytes, since the reference's zip bytes depend on file mtimes).
EXPECTED = {
    "private/answers.csv": "b1570f462e97cdffbb3c22ba6906cfd6",
    "private/test.csv": "0c7dbd4af5b105067dfda6cb1ba1e213",
    "public/sample_submission.csv": "33e1b9d550762df9e04171025cc63719",
    "public/test.csv": "99420e3432109b206d1a533d74e63f34",
    "public/train.csv": "79364f3d4e936e1c5ea4b68c9894e121",
}
EXPECTED_ZIPS = {
    "public/test_images.zip": "7dfa727ce64ef4758d6c4b247d1e05d9",
    "public/train_images.zip": "5cbb6e55919993ea9832a4a070a8225b",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (246, 24, 24)
    assert "category_id" not in test.columns and "category_id" in train.columns
    assert list(sample.columns) == ["Unnamed: 0", "Id", "Category"]  # index column, as the reference
    assert list(answers.columns) == ["Id", "Category"]
    assert set(train.location).isdisjoint(test.location)
    assert set(train.id).isdisjoint(test.id)
    assert list(answers.Id) == list(test.id) == list(sample.Id) and (sample.Category == 0).all()
    assert answers.Id.duplicated().any()  # images with two annotations, as on Kaggle
    with zipfile.ZipFile(pub / "train_images.zip") as zf:
        assert sorted(zf.namelist()) == sorted(f"{i}.jpg" for i in train.id.unique())
    with zipfile.ZipFile(pub / "test_images.zip") as zf:
        assert sorted(zf.namelist()) == sorted(f"{i}.jpg" for i in test.id.unique())


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED
    assert {k: archive_digest(root / k) for k in EXPECTED_ZIPS} == EXPECTED_ZIPS


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers, tmp_path) == 1.0
    # Reference behaviour: rows sharing an id are paired in sort order, so this reordered copy
    # of the answers scores below 1 (value checked against the reference grader).
    assert raw_score(comp, answers.sample(frac=1, random_state=3), tmp_path) == pytest.approx(0.8630952380952381, abs=1e-12)
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(0.03763440860215054, abs=1e-12)
    assert raw_score(comp, answers.assign(Category=answers.Category + 0.7), tmp_path) == 1.0  # int() truncates


def test_hand_checked_macro_f1():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"Id": ["a", "b", "c"], "Category": [1, 1, 2]})
    sub = pd.DataFrame({"Id": ["c", "b", "a"], "Category": [2, 2, 1]})
    # class 1: precision 1, recall 1/2 -> F1 2/3; class 2: precision 1/2, recall 1 -> 2/3; mean 2/3
    assert grade(sub, answers) == pytest.approx(2 / 3, abs=1e-12)


INVALID = {
    "no-category": lambda d: d.drop(columns=["Category"]),
    "no-id": lambda d: d.drop(columns=["Id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(Id=[d.Id.iloc[1], *d.Id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(Id=["not-an-image", *d.Id.iloc[1:]]),
    "nan": lambda d: d.assign(Category=[np.nan, *d.Category.iloc[1:]]),
    "text": lambda d: d.assign(Category=["deer", *d.Category.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
