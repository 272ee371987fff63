import importlib
import os
import zipfile

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, grade_df, raw_score

CID = "histopathologic-cancer-detection"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "e892cd7f1e179d795bbf23471e684bd0",
    "public/sample_submission.csv": "403f9a34fe88b3a9fe864549a2082c19",
    "public/train_labels.csv": "50cfcd64437c81e76623b5cc4d8ec8a4",
}
EXPECTED_TREES = {
    "public/test": "a5ff1cb8ac4803727e36d86e4307c6e8",
    "public/train": "8e266508ab431345c7ec0765e4844b50",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers = read_csv(pub / "train_labels.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    # 240 labelled + 60 Kaggle test images -> test fraction 0.2 of the 240
    assert (len(train), len(answers)) == (192, 48)
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["id", "label"]
    assert set(train.id).isdisjoint(answers.id)
    assert list(sample.id) == list(answers.id) and (sample.label == 0).all()
    assert {p.stem for p in (pub / "train").glob("*.tif")} == set(train.id)
    assert {p.stem for p in (pub / "test").glob("*.tif")} == set(answers.id)


def test_images_are_hard_linked(tmp_path):
    fixture = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
    prepare = importlib.import_module(f"mlebench.competitions.{CID}.prepare").prepare
    with zipfile.ZipFile(fixture.make_fixture(tmp_path / "dl")) as zf:
        zf.extractall(tmp_path / "raw")
    (tmp_path / "pub").mkdir()
    (tmp_path / "priv").mkdir()
    prepare(tmp_path / "raw", tmp_path / "pub", tmp_path / "priv")
    some = next((tmp_path / "pub" / "test").glob("*.tif"))
    assert os.path.samefile(some, tmp_path / "raw" / "train" / some.name)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5
    assert raw_score(comp, answers.assign(label=1 - answers.label), tmp_path) == 0.0


def test_hand_checked_auc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": ["a", "b", "c"], "label": [1, 0, 0]})
    sub = pd.DataFrame({"id": ["c", "b", "a"], "label": [0.9, 0.1, 0.5]})
    # positive a (0.5) beats b (0.1) but not c (0.9) -> 1/2
    assert grade(sub, answers) == pytest.approx(0.5, abs=1e-12)


INVALID = {
    "no-target": lambda d: d.drop(columns=["label"]),
    "no-id": lambda d: d.drop(columns=["id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id=[d.id.iloc[1], *d.id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id=["0" * 40, *d.id.iloc[1:]]),
    "nan": lambda d: d.assign(label=[None, *d.label.iloc[1:]]),
    "negative": lambda d: d.assign(label=[-0.1, *d.label.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
