import importlib
import zipfile

import pandas as pd
import py7zr
import pytest

from mlebench.tables import read_csv

from ._checks import archive_digest, assert_all_invalid, grade_df, md5

CID = "invasive-species-monitoring"

# Seed-0 fixture: the CSVs (and the CSVs inside the zips) equal the reference's. The 7z archives
# deliberately differ: the reference's hold no images (see config notes), ours hold the photos.
EXPECTED = {
    "private/answers.csv": "7fc04e793ca32e5d740d98432cc97d13",
    "private/sample_submission.csv": "794b5cba327c4c3fc62bd2140a0be830",
}
EXPECTED_ARCHIVES = {
    "public/sample_submission.csv.zip": "78ed55bae8783d90516d6b6418880fd6",  # = reference
    "public/train_labels.csv.zip": "6b0ff99790c56e9bfd28b9fdaeedc461",  # = reference
    "public/train.7z": "8fc1440e90573285d576cc752d38eafc",
    "public/test.7z": "282c9e7bdbcc9317fee62feb0f46ecc6",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    assert sorted(p.name for p in pub.iterdir()) == [
        "description.md", "sample_submission.csv.zip", "test.7z", "train.7z", "train_labels.csv.zip"]
    with zipfile.ZipFile(pub / "train_labels.csv.zip") as zf:
        assert zf.namelist() == ["train_labels.csv"]
        train = read_csv(zf.open("train_labels.csv"))
    with zipfile.ZipFile(pub / "sample_submission.csv.zip") as zf:
        public_sample = read_csv(zf.open("sample_submission.csv"))
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (120, 30)
    assert set(train.name).isdisjoint(answers.name)
    assert public_sample.equals(sample) and list(sample.name) == list(answers.name)
    assert (sample.invasive == 0.5).all()
    with py7zr.SevenZipFile(pub / "train.7z") as archive:
        train_names = {n for n in archive.getnames() if n.endswith(".jpg")}
    with py7zr.SevenZipFile(pub / "test.7z") as archive:
        test_names = {n for n in archive.getnames() if n.endswith(".jpg")}
    assert train_names == {f"train/{n}.jpg" for n in train.name}
    assert test_names == {f"test/{n}.jpg" for n in answers.name}


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED
    assert {k: archive_digest(root / k) for k in EXPECTED_ARCHIVES} == EXPECTED_ARCHIVES


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5
    flipped = answers.assign(invasive=1 - answers.invasive)
    assert grade_df(comp, flipped, tmp_path).score == 0.0


def test_hand_checked_auc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"name": [1, 2, 3, 4], "invasive": [0, 0, 1, 1]})
    submission = pd.DataFrame({"name": [4, 3, 2, 1], "invasive": [0.8, 0.35, 0.4, 0.1]})
    # positive/negative pairs: (3 vs 1) ok, (3 vs 2) wrong, (4 vs 1) ok, (4 vs 2) ok -> 3/4
    assert grade(submission, answers) == pytest.approx(0.75, abs=1e-12)


INVALID = {
    "no-target": lambda d: d.drop(columns=["invasive"]),
    "no-id": lambda d: d.drop(columns=["name"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(name=[d.name.iloc[1], *d.name.iloc[1:]]),
    "unknown-id": lambda d: d.assign(name=[99999, *d.name.iloc[1:]]),
    "nan": lambda d: d.assign(invasive=[None, *d.invasive.iloc[1:]]),
    "above-1": lambda d: d.assign(invasive=[1.5, *d.invasive.iloc[1:]]),
    "negative": lambda d: d.assign(invasive=[-0.1, *d.invasive.iloc[1:]]),
    "text": lambda d: d.assign(invasive=["yes", *d.invasive.iloc[1:]]),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
