import importlib
import json

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "iwildcam-2020-fgvc7"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "aafe0606a2b4a34ddba74ca9973a0acd",
    "public/iwildcam2020_megadetector_results.json": "10cc0fb2050ab2000f8c39ae4dc4c46e",
    "public/iwildcam2020_test_information.json": "38c144968fc544e5edf80c5273bebc27",
    "public/iwildcam2020_train_annotations.json": "b5c23f6cb47d6340217ffcb6b450554f",
    "public/sample_submission.csv": "0150cd52f568cee32f0a9d6aa16bcf09",
}
EXPECTED_TREES = {
    "public/train": "91e6d2fba15e9102e63d2cb68394446a",
    "public/test": "d2ae02f057d467ad91634a55a152d916",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train = json.loads((pub / "iwildcam2020_train_annotations.json").read_text())
    test = json.loads((pub / "iwildcam2020_test_information.json").read_text())
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert list(train) == ["annotations", "images", "categories", "info"]
    assert list(test) == ["images", "categories", "info"]
    assert (len(train["images"]), len(test["images"]), len(answers)) == (194, 66, 66)
    assert list(answers.columns) == list(sample.columns) == ["Id", "Category"]
    assert {i["location"] for i in train["images"]}.isdisjoint({i["location"] for i in test["images"]})
    assert list(answers.Id) == [i["id"] for i in test["images"]] == list(sample.Id)
    assert sample.Category.between(0, 675).all()
    assert {p.stem for p in (pub / "train").iterdir()} == {i["id"] for i in train["images"]}
    assert {p.stem for p in (pub / "test").iterdir()} == set(answers.Id)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 1.0
    sample = read_csv(comp.sample_submission)
    expected = (sample.Category.to_numpy() == answers.Category.to_numpy()).mean()
    assert raw_score(comp, sample, tmp_path) == pytest.approx(expected, abs=1e-12)
    # One text label makes the whole column text: nothing equals the integer answers, so the
    # submission is valid and scores 0 (the reference behaves the same way).
    text = answers.assign(Category=["deer", *answers.Category.iloc[1:]])
    assert raw_score(comp, text, tmp_path) == 0.0


def test_hand_checked_accuracy():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"Id": ["u1", "u2", "u3"], "Category": [0, 372, 0]})
    sub = pd.DataFrame({"Id": ["u3", "u2", "u1"], "Category": [0, 0, 0]})
    assert grade(sub, answers) == pytest.approx(2 / 3, abs=1e-12)  # u1 and u3 right: 2 / 3


INVALID = {
    "no-category": lambda d: d.drop(columns=["Category"]),
    "no-id": lambda d: d.drop(columns=["Id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(Id=[d.Id.iloc[1], *d.Id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(Id=["not-an-image", *d.Id.iloc[1:]]),
    "nan": lambda d: d.assign(Category=[None, *d.Category.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
