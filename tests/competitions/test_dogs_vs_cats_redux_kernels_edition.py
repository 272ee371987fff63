import importlib
import zipfile

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import archive_digest, assert_all_invalid, assert_reference_digests, raw_score

CID = "dogs-vs-cats-redux-kernels-edition"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s
# (zips compared by member names and bytes: the reference's zip bytes depend on file mtimes).
EXPECTED = {
    "private/answers.csv": "70ce008fd228821c8c144fa7c4c31fd1",
    "public/sample_submission.csv": "580e724e440648188725af9e95b4e2bc",
}
EXPECTED_TREES = {  # the zips hold exactly the folders' files (reference defect: both are kept)
    "public/test": "166798cec81e51c1c0688bea03b59562",
    "public/train": "be272922f1f4388527b8dbad427065a3",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert len(answers) == 23  # 10% of 230 labelled images
    assert list(answers.id) == list(sample.id) == list(range(1, 24))
    assert set(answers.label) <= {0, 1} and (sample.label == 0.5).all()
    with zipfile.ZipFile(pub / "train.zip") as zf:
        names = zf.namelist()
    assert len(names) == 207 and all(n.startswith(("cat.", "dog.")) and "/" not in n for n in names)
    cats = sorted(int(n.split(".")[1]) for n in names if n.startswith("cat."))
    assert cats == list(range(len(cats)))  # renumbered from 0
    with zipfile.ZipFile(pub / "test.zip") as zf:
        assert sorted(zf.namelist()) == sorted(f"{i}.jpg" for i in answers.id)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)
    assert {k: archive_digest(root / f"{k}.zip") for k in EXPECTED_TREES} == EXPECTED_TREES


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path)
    assert perfect == pytest.approx(0, abs=1e-12)
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(np.log(2))


def test_hand_checked_log_loss():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": [1, 2], "label": [1, 0]})
    sub = pd.DataFrame({"id": [2, 1], "label": [0.4, 0.8]})
    # -(ln 0.8 + ln 0.6) / 2 = 0.366985...
    assert grade(sub, answers) == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2, abs=1e-12)


INVALID = {
    "no-label": lambda d: d.drop(columns=["label"]),
    "no-id": lambda d: d.drop(columns=["id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id=[d.id.iloc[1], *d.id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id=[999, *d.id.iloc[1:]]),
    "nan": lambda d: d.assign(label=[None, *d.label.iloc[1:]]),
    "above-one": lambda d: d.assign(label=[1.2, *d.label.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
