import zipfile

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import archive_digest, assert_all_invalid, md5, raw_score

CID = "kuzushiji-recognition"

# Seed-0 fixture prepared by ours and by the reference implementation: identical md5s (zips
# compared by member names and bytes, since the reference's zip bytes depend on file mtimes).
EXPECTED = {
    "private/gold_submission.csv": "961d042b9d10a2bbfb86b0665397f51d",
    "private/test.csv": "bd07f2c22f334480f7f38a51c4ceee33",
    "public/sample_submission.csv": "dadf454eabe85cf8d7840c987238545b",
    "public/train.csv": "ce7e6a736727fbcfbfb1332a1e6ae0e1",
    "public/unicode_translation.csv": "55efdbcea209752b2ff0c286a69a6cb9",
}
EXPECTED_ZIPS = {
    "public/train_images.zip": "0117fd777dca5395881ba9bf6584f828",
    "public/test_images.zip": "1ce76c56466f7fed9fec7337ad0a9811",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (54, 6)  # 60 labelled pages, 10% held out
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["image_id", "labels"]
    assert set(train.image_id).isdisjoint(answers.image_id)
    assert list(sample.image_id) == list(answers.image_id)
    assert (sample.labels == "U+003F 1 1 U+FF2F 2 2").all()
    with zipfile.ZipFile(pub / "train_images.zip") as zf:
        assert sorted(zf.namelist()) == sorted(f"{i}.jpg" for i in train.image_id)
    with zipfile.ZipFile(pub / "test_images.zip") as zf:
        assert sorted(zf.namelist()) == sorted(f"{i}.jpg" for i in answers.image_id)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED
    assert {k: archive_digest(root / k) for k in EXPECTED_ZIPS} == EXPECTED_ZIPS


def test_grades(comp, tmp_path):
    gold = read_csv(comp.gold_submission)
    assert raw_score(comp, gold.sample(frac=1, random_state=0), tmp_path) == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.0
    assert raw_score(comp, gold.assign(labels=np.nan), tmp_path) == 0.0
    # one page left empty: its boxes become false negatives
    answers = read_csv(comp.answers)
    n_boxes = sum(len(s.split()) // 5 for s in answers.labels)
    first = answers.sort_values("image_id").image_id.iloc[0]
    lost = len(answers.set_index("image_id").labels[first].split()) // 5
    one_empty = gold.assign(labels=np.where(gold.image_id == first, np.nan, gold.labels))
    recall = (n_boxes - lost) / n_boxes
    assert raw_score(comp, one_empty, tmp_path) == pytest.approx(2 * recall / (1 + recall), abs=1e-12)


def test_generic_gold_submission_uses_gold_file(comp, tmp_path):
    from mlebench.grading.gold import write_gold_submission

    path = write_gold_submission(comp, tmp_path / "gold.csv")
    assert raw_score(comp, read_csv(path), tmp_path) == 1.0


def test_hand_checked():
    import importlib

    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"image_id": ["p1", "p2"], "labels": ["A 0 0 10 10 B 20 20 5 5", "C 0 0 4 4"]})
    sub = pd.DataFrame({"image_id": ["p2", "p1"], "labels": ["C 2 2", "A 5 5 A 6 6 B 30 30"]})
    # p1: A matched, spare A point and far B point -> tp 1, fp 2, fn 1; p2: tp 1.
    # tp 2, fp 2, fn 1 -> precision 1/2, recall 2/3 -> F1 = 2*(1/2)*(2/3)/(7/6) = 4/7
    assert grade(sub, answers) == pytest.approx(4 / 7, abs=1e-12)


INVALID = {
    "no-labels": lambda d: d.drop(columns=["labels"]),
    "no-id": lambda d: d.drop(columns=["image_id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(image_id=[d.image_id.iloc[1], *d.image_id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(image_id=["nope", *d.image_id.iloc[1:]]),
    "not-triples": lambda d: d.assign(labels=["U+3042 1", *d.labels.iloc[1:]]),
    "non-numeric-x": lambda d: d.assign(labels=["U+3042 x 4", *d.labels.iloc[1:]]),
    "numbers-only": lambda d: d.assign(labels=3),
}


def test_invalid(comp, tmp_path):
    gold = read_csv(comp.gold_submission)
    assert_all_invalid(comp, gold, INVALID, tmp_path)
