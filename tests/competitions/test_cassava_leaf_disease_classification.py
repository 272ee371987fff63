import importlib
import zipfile

import pandas as pd
import pytest

from mlebench.data.tfrecord import ids_from_tfrecord, iter_records
from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "cassava-leaf-disease-classification"

# Seed-0 fixture, prepared by ours and by the reference implementation (its TensorFlow reader):
# identical md5s.
EXPECTED = {
    "private/test.csv": "3095f2435aa71a8a63aaee631d4fa7cc",
    "public/label_num_to_disease_map.json": "8a8183c0dbd08afb7380daf0937ef426",
    "public/sample_submission.csv": "3e4734ebadc1d5f6b3e7eb4444fc3a76",
    "public/train.csv": "d02b5043d02ef6d8e9cec115ea05ced3",
}
EXPECTED_TREES = {
    "public/train_images": "f0783c95c0096d69e9a92c57980b1e38",
    "public/test_images": "93508dc75855b24d87f854339dc62905",
    "public/train_tfrecords": "9e44b0b4320aeeb61d19a07e11d4eb32",
    "public/test_tfrecords": "79392472cda8d9fae35df6cf389aaaba",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_fixture_layout(tmp_path):
    fixture = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
    with zipfile.ZipFile(fixture.make_fixture(tmp_path)) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path / "raw")
    shards = sorted(n for n in names if n.startswith("train_tfrecords/"))
    assert len(shards) == 16 and shards[0].startswith("train_tfrecords/ld_train00-")
    # every record's CRC is valid; the count in each shard's name is its number of records
    for name in shards:
        path = tmp_path / "raw" / name
        assert len(list(iter_records(path, verify=True))) == int(path.stem.split("-")[1])
    in_shards = [i for n in shards for i in ids_from_tfrecord(tmp_path / "raw" / n)]
    assert sorted(in_shards) == sorted(read_csv(tmp_path / "raw" / "train.csv").image_id)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["image_id", "label"]
    assert (len(train), len(answers)) == (178, 23)  # 14 shards / 2 shards
    assert set(train.image_id).isdisjoint(answers.image_id)
    assert list(sample.image_id) == list(answers.image_id) and (sample.label == 4).all()
    assert {p.name for p in (pub / "train_images").iterdir()} == set(train.image_id)
    assert {p.name for p in (pub / "test_images").iterdir()} == set(answers.image_id)
    test_shards = sorted((pub / "test_tfrecords").iterdir())
    assert [p.name.split("-")[0] for p in test_shards] == ["ld_test00", "ld_test01"]
    assert sorted(i for p in test_shards for i in ids_from_tfrecord(p)) == sorted(answers.image_id)
    assert len(list((pub / "train_tfrecords").iterdir())) == 14


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 1.0
    expected = (answers.label == 4).mean()
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(expected, abs=1e-12)


def test_hand_checked_accuracy():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"image_id": ["1.jpg", "2.jpg", "3.jpg", "4.jpg"], "label": [0, 3, 3, 4]})
    sub = pd.DataFrame({"image_id": ["4.jpg", "3.jpg", "2.jpg", "1.jpg"], "label": [4, 1, 3, 2]})
    assert grade(sub, answers) == 0.5  # rows 2.jpg and 4.jpg are right: 2 / 4


INVALID = {
    "no-label": lambda d: d.drop(columns=["label"]),
    "no-id": lambda d: d.drop(columns=["image_id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(image_id=[d.image_id.iloc[1], *d.image_id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(image_id=["0.jpg", *d.image_id.iloc[1:]]),
    "nan": lambda d: d.assign(label=[None, *d.label.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
