import importlib

import pandas as pd
import pytest

from mlebench.data.tfrecord import ids_from_tfrecord
from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, grade_df, raw_score

CID = "siim-isic-melanoma-classification"

# Seed-0 fixture, prepared by ours and by the reference implementation (with TensorFlow reading the
# TFRecords): identical md5s.
EXPECTED = {
    "private/test.csv": "a43241875b6fdf7bdd09f47480681aa8",
    "public/sample_submission.csv": "2893db5da7cfeb1c637018932469264d",
    "public/test.csv": "230485dc3efac191be21c4ced099f5a7",
    "public/train.csv": "3b53c272eabb5d62f9c989ca34155e77",
    "public/tfrecords/test00-2071.tfrec": "4d2d4bf9ac98d74f8f9c9160aa737c61",
    "public/tfrecords/test01-2071.tfrec": "7b11158673eb36fe0bdfe76eac28a4a1",
    "public/tfrecords/train13-2061.tfrec": "a16b41418814096e1efc4ce1426e0607",
}
EXPECTED_TREES = {
    "public/jpeg/test": "11746d58ccc0f0b8c302a0f9b6d3038b",
    "public/jpeg/train": "4ce94c6e771346133791659bc07a974c",
    "public/test": "8306525cbce98232a3c76545926e5caf",
    "public/train": "1f5561c5fa43172fbd4f4b882065604f",
}
TEST_COLUMNS = ["image_name", "patient_id", "sex", "age_approx", "anatom_site_general_challenge"]


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    # Fixture: 16 training TFRecord files of 12 images; two of them (24 images) become the test set.
    assert (len(train), len(test)) == (168, 24)
    assert list(test.columns) == TEST_COLUMNS
    assert list(train.columns) == [*TEST_COLUMNS, "diagnosis", "benign_malignant", "target"]
    assert set(train.image_name).isdisjoint(test.image_name)
    assert list(answers.columns) == ["image_name", "target"] and list(answers.image_name) == list(test.image_name)
    assert list(sample.image_name) == list(test.image_name) and (sample.target == 0).all()
    assert set(answers.target) == {0, 1}
    records = sorted(p.name for p in (pub / "tfrecords").iterdir())
    assert records == ["test00-2071.tfrec", "test01-2071.tfrec", *[f"train{i:02d}-2071.tfrec" for i in range(13)],
                       "train13-2061.tfrec"]
    in_test_records = ids_from_tfrecord(pub / "tfrecords" / "test00-2071.tfrec") + ids_from_tfrecord(
        pub / "tfrecords" / "test01-2071.tfrec")
    assert sorted(in_test_records) == sorted(test.image_name)
    for split, df in (("train", train), ("test", test)):
        assert {p.stem for p in (pub / split).glob("*.dcm")} == set(df.image_name)
        assert {p.stem for p in (pub / "jpeg" / split).glob("*.jpg")} == set(df.image_name)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers, tmp_path).score == 1.0
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.5


def test_hand_checked_auc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"image_name": ["ISIC_1", "ISIC_2", "ISIC_3"], "target": [0, 1, 0]})
    submission = pd.DataFrame({"image_name": ["ISIC_3", "ISIC_1", "ISIC_2"], "target": [0.5, 0.1, 0.3]})
    # Positive ISIC_2 (.3) beats ISIC_1 (.1), loses to ISIC_3 (.5): 1 of 2 pairs -> 0.5.
    assert grade(submission, answers) == pytest.approx(0.5, abs=1e-12)


INVALID = {
    "no-target": lambda d: d.drop(columns=["target"]),
    "no-id": lambda d: d.drop(columns=["image_name"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(image_name=[d.image_name.iloc[1], *d.image_name.iloc[1:]]),
    "unknown-id": lambda d: d.assign(image_name=["ISIC_X", *d.image_name.iloc[1:]]),
    "nan": lambda d: d.assign(target=[None, *d.target.iloc[1:]]),
    "above-one": lambda d: d.assign(target=d.target + 0.5),
    "negative": lambda d: d.assign(target=d.target - 0.5),
    "text": lambda d: d.assign(target=["x", *d.target.iloc[1:]]),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
