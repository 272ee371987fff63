import importlib
import zipfile

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import archive_digest, assert_all_invalid, grade_df, md5, raw_score

CID = "aerial-cactus-identification"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s
# (zips compared by member names and bytes: the reference's zip bytes depend on file mtimes).
EXPECTED = {
    "private/test.csv": "b215ca071dd1846ed4def9019aa0cae5",
    "public/sample_submission.csv": "e4d3ad2e4eb7bb4b72cd6281fc9c015e",
    "public/train.csv": "d050c6ff25a0006a2162e7e8f7c0c089",
}
EXPECTED_ZIPS = {
    "public/test.zip": "1bb25eeb8faa3ed2ef7878c9aaa87cfd",
    "public/train.zip": "4d7ac47f8ae5b1a499c99e8206d555a2",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (243, 57)  # 300 rows, 19% held out
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["id", "has_cactus"]
    assert set(train.id).isdisjoint(answers.id)
    assert list(sample.id) == list(answers.id) and (sample.has_cactus == 0.5).all()
    with zipfile.ZipFile(pub / "train.zip") as zf:
        assert sorted(zf.namelist()) == sorted(train.id)  # flat member names
    with zipfile.ZipFile(pub / "test.zip") as zf:
        assert sorted(zf.namelist()) == sorted(answers.id)
    assert not (pub / "train").exists() and not (pub / "test").exists()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED
    assert {k: archive_digest(root / k) for k in EXPECTED_ZIPS} == EXPECTED_ZIPS


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5
    # flipping the scores reverses the ranking
    assert raw_score(comp, answers.assign(has_cactus=1 - answers.has_cactus), tmp_path) == 0.0


def test_hand_checked_auc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": ["a.jpg", "b.jpg", "c.jpg", "d.jpg"], "has_cactus": [0, 0, 1, 1]})
    sub = pd.DataFrame({"id": ["d.jpg", "c.jpg", "b.jpg", "a.jpg"], "has_cactus": [0.8, 0.35, 0.4, 0.1]})
    # positive/negative pairs: (c,a) ok, (c,b) wrong, (d,a) ok, (d,b) ok -> 3/4
    assert grade(sub, answers) == pytest.approx(0.75, abs=1e-12)


INVALID = {
    "no-target": lambda d: d.drop(columns=["has_cactus"]),
    "no-id": lambda d: d.drop(columns=["id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id=[d.id.iloc[1], *d.id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id=["x.jpg", *d.id.iloc[1:]]),
    "nan": lambda d: d.assign(has_cactus=[None, *d.has_cactus.iloc[1:]]),
    "text": lambda d: d.assign(has_cactus=["yes", *d.has_cactus.iloc[1:]]),
    "above-one": lambda d: d.assign(has_cactus=[1.5, *d.has_cactus.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
