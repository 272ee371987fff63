import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "hotel-id-2021-fgvc8"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "82a8149f612c41a8c5bd94dfbacdeb5e",
    "public/sample_submission.csv": "ccc470f89b53cc4daaef46aa45f98fa7",
    "public/train.csv": "9fa63bcc7640c76235928cfbd3aeefd1",
}
EXPECTED_TREES = {
    "public/train_images": "334031322317c30f518b8427b5e9eca6",
    "public/test_images": "810179d02de8359c80a5b583354b4b42",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, answers, sample = read_csv(pub / "train.csv"), read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (268, 30)  # 300 rows less both listings of the duplicated image, 90/10
    assert list(train.columns) == list(answers.columns) == ["image", "chain", "hotel_id", "timestamp"]
    assert list(sample.columns) == ["image", "hotel_id"]
    assert "ce27d36c9147cc19.jpg" not in set(train.image) | set(answers.image)
    assert set(train.image).isdisjoint(answers.image)
    assert list(sample.image) == list(answers.image)
    assert (sample.hotel_id == "36363 53586 18807 64314 60181").all()
    assert {p.relative_to(pub / "train_images").as_posix() for p in (pub / "train_images").glob("*/*.jpg")} == {
        f"{c}/{i}" for c, i in zip(train.chain, train.image, strict=True)}
    assert {p.name for p in (pub / "test_images").iterdir()} == set(answers.image)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.0
    # Reference defect, reproduced: one blank cell makes pandas read the column as float, so every
    # id is compared as "12345.0" against "12345" and nothing matches (valid, score 0).
    blank = answers[["image", "hotel_id"]].astype({"hotel_id": object})
    blank.loc[blank.index[0], "hotel_id"] = None
    assert raw_score(comp, blank, tmp_path) == 0.0


def test_hand_checked_map5():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"image": ["a.jpg", "b.jpg", "c.jpg"], "hotel_id": [11, 22, 33]})
    sub = pd.DataFrame({"image": ["c.jpg", "a.jpg", "b.jpg"], "hotel_id": ["1 2 3 4 5 33", "11 5", "7 8 22"]})
    # c: 33 is sixth (beyond k=5) -> 0; a: rank 1 -> 1; b: rank 3 -> 1/3. MAP@5 = (1 + 1/3) / 3 = 4/9
    assert grade(sub, answers) == pytest.approx(4 / 9, abs=1e-12)


INVALID = {
    "no-hotel-id": lambda d: d.drop(columns=["hotel_id"]),
    "no-image": lambda d: d.drop(columns=["image"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(image=[d.image.iloc[1], *d.image.iloc[1:]]),
    "unknown-id": lambda d: d.assign(image=["0000000000000000.jpg", *d.image.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["image", "hotel_id"]]
    assert_all_invalid(comp, answers, INVALID, tmp_path)
