import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, grade_df, raw_score

CID = "denoising-dirty-documents"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "3d540af3451765b8b1e72c91082ceb51",
    "public/sampleSubmission.csv": "65d50f2c6b666f121fbf1a3353de0d7a",
}
EXPECTED_TREES = {
    "public/test": "0fc6708aab2bca2fe863c324a9db8bc4",
    "public/train": "15bf71633b76b62b7b348361c17aa75c",
    "public/train_cleaned": "7c1180a1b42beae763e9c960e3f735e5",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train = {p.name for p in (pub / "train").glob("*.png")}
    test = {p.name for p in (pub / "test").glob("*.png")}
    cleaned = {p.name for p in (pub / "train_cleaned").glob("*.png")}
    assert (len(train), len(test)) == (16, 4)
    assert cleaned == train and train.isdisjoint(test)
    assert not list(comp.private_dir.glob("*.png")) and not (comp.private_dir / "train_cleaned").exists()
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert list(answers.columns) == ["id", "value"] and answers["id"].is_unique
    assert answers["value"].between(0, 1).all()
    assert list(sample["id"]) == list(answers["id"]) and (sample["value"] == 1).all()
    # one row per pixel of each test page, ids <page>_<row>_<col> counted from 1
    from PIL import Image

    n_pixels = sum(np.prod(Image.open(pub / "test" / name).size) for name in test)
    assert len(answers) == n_pixels
    assert {i.split("_")[0] + ".png" for i in answers["id"]} == test
    page = sorted(test)[0]
    pixels = np.array(Image.open(pub / "test" / page))
    assert f"{page[:-4]}_{pixels.shape[0]}_{pixels.shape[1]}" in set(answers["id"])


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 0.0
    report = grade_df(comp, read_csv(comp.sample_submission), tmp_path)
    expected = float(np.sqrt(np.mean((1 - answers["value"]) ** 2)))
    assert report.score == round(expected, 5)
    sample = read_csv(comp.sample_submission)
    assert raw_score(comp, sample, tmp_path) == pytest.approx(0.3150145002619451, abs=1e-12)  # = reference


def test_hand_checked_rmse():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": ["1_1_1", "1_1_2", "1_2_1"], "value": [0.0, 0.5, 1.0]})
    submission = pd.DataFrame({"id": ["1_2_1", "1_1_1", "1_1_2"], "value": [0.7, 0.0, 0.5]})
    # errors 0, 0, 0.3 -> sqrt(0.09 / 3) = sqrt(0.03) = 0.173205...
    assert grade(submission, answers) == pytest.approx(0.03**0.5, abs=1e-12)


INVALID = {
    "no-value": lambda d: d.drop(columns=["value"]),
    "no-id": lambda d: d.drop(columns=["id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id=[d.id.iloc[1], *d.id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id=["999_1_1", *d.id.iloc[1:]]),
    "nan": lambda d: d.assign(value=[None, *d.value.iloc[1:]]),
    "text": lambda d: d.assign(value=["dark", *d.value.iloc[1:]]),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
