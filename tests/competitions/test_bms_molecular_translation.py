import importlib

import numpy as np
import pandas as pd
import pytest
from Levenshtein import distance

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "bms-molecular-translation"

# Seed-0 fixture prepared by ours and by the reference implementation: identical md5s (folders:
# md5 over the sorted `path md5` lines of their files).
EXPECTED = {
    "private/test.csv": "3fdd8ef985ef1470edaf69f72555ecb4",
    "public/extra_approved_InChIs.csv": "bc6a78730bc97f6320a02b87264d5759",
    "public/sample_submission.csv": "013407cd51fc5d7f7ef1aff950e55d58",
    "public/train_labels.csv": "65b4f151e1d4c8f25e76a2f1e2c2e4ed",
}
EXPECTED_TREES = {
    "public/test": "ba63116f48c2f77127a540bca9d0071f",
    "public/train": "05f23b19298611ed939dd0b966913f63",
}


def _image(root, image_id):
    return root / image_id[0] / image_id[1] / image_id[2] / f"{image_id}.png"


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train_labels.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (64, 16)  # 80 labelled images, 20% held out
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["image_id", "InChI"]
    assert set(train.image_id).isdisjoint(answers.image_id)
    assert list(sample.image_id) == list(answers.image_id) and (sample.InChI == "InChI=1S/H2O/h1H2").all()
    assert all(_image(pub / "train", i).is_file() for i in train.image_id)
    assert all(_image(pub / "test", i).is_file() for i in answers.image_id)
    assert sum(1 for p in pub.rglob("*.png")) == 80


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 0.0
    expected = np.mean([distance(t, "InChI=1S/H2O/h1H2") for t in answers.InChI])
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(expected, abs=1e-12)
    # Reference behaviour: an empty prediction is scored as the text "nan".
    blank = answers.assign(InChI=[np.nan, *answers.InChI.iloc[1:]])
    assert raw_score(comp, blank, tmp_path) == pytest.approx(distance(answers.InChI.iloc[0], "nan") / 16, abs=1e-12)


def test_hand_checked_levenshtein():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"image_id": ["0a1", "0b2"], "InChI": ["InChI=1S/CH4/h1H4", "InChI=1S/H2O/h1H2"]})
    sub = pd.DataFrame({"image_id": ["0b2", "0a1"], "InChI": ["InChI=1S/H2O/h1H2", "InChI=1S/CH3/h1H3"]})
    # "CH4/h1H4" -> "CH3/h1H3": 2 substitutions; the other row is exact: (2 + 0) / 2 = 1
    assert grade(sub, answers) == 1.0


INVALID = {
    "no-inchi": lambda d: d.drop(columns=["InChI"]),
    "no-id": lambda d: d.drop(columns=["image_id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(image_id=[d.image_id.iloc[1], *d.image_id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(image_id=["ffffffffffff", *d.image_id.iloc[1:]]),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
