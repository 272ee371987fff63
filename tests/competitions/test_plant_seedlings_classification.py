import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, grade_df

CID = "plant-seedlings-classification"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "2f5f585d053f47503b4283dd57c5a3ae",
    "public/sample_submission.csv": "7dbcb49a1e92b2e4d5a17cb4ac1b0ba4",
}
EXPECTED_TREES = {
    "public/test": "9bd80867e3056a706e503126093ff5cd",
    "public/train": "7b5837d85a25a0d4b7472c2326e06724",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    train = {(p.parent.name, p.name) for p in (pub / "train").glob("*/*.png")}
    assert (len(train), len(answers)) == (154, 26)
    assert list(answers.columns) == ["file", "species"]
    assert {f for _, f in train}.isdisjoint(answers.file)
    assert {p.name for p in (pub / "test").iterdir()} == set(answers.file)
    assert list(sample.file) == list(answers.file) and (sample.species == "Sugar beet").all()
    assert sorted(p.name for p in pub.iterdir()) == ["description.md", "sample_submission.csv", "test", "train"]


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    expected = round(float((answers.species == "Sugar beet").mean()), 5)
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == expected


def test_hand_checked_micro_f1():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"file": ["a.png", "b.png", "c.png", "d.png"],
                            "species": ["Maize", "Charlock", "Cleavers", "Maize"]})
    submission = pd.DataFrame({"file": ["d.png", "c.png", "b.png", "a.png"],
                               "species": ["Cleavers", np.nan, "Charlock", "Maize"]})
    # micro F1 = accuracy for single labels: a, b right; c blank (wrong, as in the reference); d wrong
    assert grade(submission, answers) == pytest.approx(0.5, abs=1e-12)


INVALID = {
    "no-species": lambda d: d.drop(columns=["species"]),
    "no-file": lambda d: d.drop(columns=["file"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(file=[d.file.iloc[1], *d.file.iloc[1:]]),
    "unknown-id": lambda d: d.assign(file=["zzz.png", *d.file.iloc[1:]]),
    "all-blank": lambda d: d.assign(species=None),
    "numeric-labels": lambda d: d.assign(species=3),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
