import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "imet-2020-fgvc7"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "f1e37c3caabff84a4651f1f3151a2489",
    "public/labels.csv": "b93d496a0113abea7500735c78c17a20",
    "public/sample_submission.csv": "8d8d67621cdfc6fa00bb45b788d33f7f",
    "public/train.csv": "20201c37802e990d913a28e0a55098f5",
}
EXPECTED_TREES = {
    "public/train": "380bceaf7b34b6a6f78c7e8612419946",
    "public/test": "1655412c470a01eb70eee38b1c79f27c",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (204, 36)
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["id", "attribute_ids"]
    assert set(train.id).isdisjoint(answers.id)
    assert list(sample.id) == list(answers.id) and (sample.attribute_ids == "0 1 2").all()
    assert len(read_csv(pub / "labels.csv")) == 3474
    assert {p.stem for p in (pub / "train").glob("*.png")} == set(train.id)
    assert {p.stem for p in (pub / "test").glob("*.png")} == set(answers.id)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 1.0
    score = raw_score(comp, read_csv(comp.sample_submission), tmp_path)
    assert score is not None and 0 <= score < 0.2


def test_hand_checked_micro_f1():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": ["x", "y"], "attribute_ids": ["13 405 1092", "51"]})
    sub = pd.DataFrame({"id": ["y", "x"], "attribute_ids": ["51 13", "405 9999"]})
    # x: TP 405, FN 13 and 1092 (9999 is not an answer label: ignored); y: TP 51, FP 13.
    # TP = 2, FP = 1, FN = 2 -> F1 = 4 / 7
    assert grade(sub, answers) == pytest.approx(4 / 7, abs=1e-12)


INVALID = {
    "no-attributes": lambda d: d.drop(columns=["attribute_ids"]),
    "no-id": lambda d: d.drop(columns=["id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id=[d.id.iloc[1], *d.id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id=["0" * 32, *d.id.iloc[1:]]),
    "single-ints-column": lambda d: d.assign(attribute_ids=range(len(d))),  # read as ints, not text
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
