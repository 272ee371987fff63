import importlib
import logging

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, md5, raw_score, tree_digest

CID = "vinbigdata-chest-xray-abnormalities-detection"

# Seed-0 fixture prepared by ours and by the reference implementation (its 13,500 / 1,500 size
# asserts patched to the fixture's 72 / 8): identical md5s, every DICOM file compared too.
EXPECTED = {
    "private/answers.csv": "e34ddbac6a584601976633285152dd4f",
    "private/gold_submission.csv": "dd34641f445900ea1d44476e3c583612",
    "public/sample_submission.csv": "85d875ad1f57a8282f5869137b5015c7",
    "public/train.csv": "d3a296fdf770306aae36a34950ac62ba",
}
EXPECTED_TREES = {"train": "1ab63427c8e2234888a872a2b5bc98d1", "test": "0d8ef77326fba4cb86718d556e3b2bf1"}


@pytest.fixture
def comp(prepare_synthetic):
    pytest.importorskip("pydicom")
    pytest.importorskip("pycocotools")
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp, caplog):
    pub, root = comp.public_dir, comp.prepared_dir
    train, answers = read_csv(pub / "train.csv"), read_csv(comp.answers)
    sample, gold = read_csv(comp.sample_submission), read_csv(comp.gold_submission)
    assert (train.image_id.nunique(), answers.image_id.nunique()) == (72, 8)  # 80 images, 10% held out
    assert list(train.columns) == ["image_id", "class_name", "class_id", "rad_id", "x_min", "y_min", "x_max", "y_max"]
    assert list(answers.columns) == ["image_id", "class_id", "class_name", "rad_id", "x_min", "y_min", "x_max", "y_max"]
    assert set(train.image_id).isdisjoint(answers.image_id)
    assert set(sample.image_id) == set(answers.image_id) == set(gold.image_id) and len(sample) == 8
    assert (sample.PredictionString == "14 1 0 0 1 1").all()
    assert not answers.duplicated(["image_id", "class_id"]).any()
    no_finding = answers[answers.class_id == 14]
    assert (no_finding[["x_min", "y_min", "x_max", "y_max"]].to_numpy() == [0, 0, 1, 1]).all()
    assert sorted(p.stem for p in (pub / "test").glob("*.dicom")) == sorted(sample.image_id)
    assert len(list((pub / "train").glob("*.dicom"))) == 72
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED
    assert {k: tree_digest(pub, f"{k}/**/*") for k in EXPECTED_TREES} == EXPECTED_TREES


def test_small_split_warns(tmp_path, caplog):
    pytest.importorskip("pydicom")
    import zipfile

    fixture = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
    prepare = importlib.import_module(f"mlebench.competitions.{CID}.prepare").prepare
    with zipfile.ZipFile(fixture.make_fixture(tmp_path / "zip", seed=1)) as zf:
        zf.extractall(tmp_path / "raw")
    (tmp_path / "public").mkdir()
    (tmp_path / "private").mkdir()
    with caplog.at_level(logging.WARNING):
        prepare(tmp_path / "raw", tmp_path / "public", tmp_path / "private")
    assert "13500 / 1500" in caplog.text


def test_grades(comp, tmp_path):
    gold = read_csv(comp.gold_submission)
    # 3 classes in the seed-0 answers (3, 9, 14); the only class-3 box is the answers' first row,
    # annotation id 0, which pycocotools never matches (reference quirk): APs 0, 1, 1 -> 2/3.
    assert raw_score(comp, gold.sample(frac=1, random_state=0), tmp_path) == pytest.approx(2 / 3, abs=1e-12)
    # "No finding" everywhere: class 14 found (AP 1), classes 3 and 9 not -> 1/3 (same as reference)
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(1 / 3, abs=1e-12)
    # extra low-confidence boxes after the right ones change nothing; repeated rows are accepted
    rng = np.random.default_rng(0)
    extra = gold.assign(PredictionString=[
        s + "".join(f" {rng.integers(0, 14)} 0.01 {x:.1f} {x:.1f} {x + 50:.1f} {x + 80:.1f}" for x in rng.uniform(0, 2000, 3))
        for s in gold.PredictionString])
    repeated = extra.iloc[:2].assign(PredictionString="9 0.02 0 0 5 5")
    assert raw_score(comp, pd.concat([extra, repeated]), tmp_path) == pytest.approx(2 / 3, abs=1e-12)
    # repeating the gold rows duplicates every box at confidence 1: half the tied boxes are false
    # positives (value checked against the reference's grader)
    assert raw_score(comp, pd.concat([gold, gold]), tmp_path) == pytest.approx(0.5427316358009426, abs=1e-12)


def test_hand_checked():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"image_id": ["a", "b"], "class_id": [3, 3], "class_name": ["Cardiomegaly"] * 2,
                            "rad_id": ["R1", "R2"], "x_min": [10.0, 100.0], "y_min": [10.0, 100.0],
                            "x_max": [20.0, 200.0], "y_max": [20.0, 200.0]})
    sub = pd.DataFrame({"image_id": ["b", "a"], "PredictionString": ["3 0.9 100 100 150 150", "3 0.8 10 10 20 20"]})
    # b: read by COCO as x/y 100..250 against 100..300 -> IoU 0.5625 >= 0.4, a hit (the true
    # corners would give 0.25); a: exact, but its true box has id 0 -> never matched, a false
    # positive. Hit then miss: precision 1 up to recall 1/2 -> 51 of 101 recall steps -> 51/101.
    assert grade(sub, answers) == pytest.approx(51 / 101, abs=1e-12)


INVALID = {
    "no-prediction": lambda d: d.drop(columns=["PredictionString"]),
    "no-id": lambda d: d.rename(columns={"image_id": "id"}),
    "missing-image": lambda d: d.iloc[:-1],
    "unknown-image": lambda d: pd.concat([d, d.iloc[:1].assign(image_id="0" * 32)]),
    "five-values": lambda d: d.assign(PredictionString=["14 1 0 0 1", *d.PredictionString.iloc[1:]]),
    "trailing-space": lambda d: d.assign(PredictionString=["14 1 0 0 1 1 ", *d.PredictionString.iloc[1:]]),
    "non-numeric": lambda d: d.assign(PredictionString=["14 high 0 0 1 1", *d.PredictionString.iloc[1:]]),
    "nan-class": lambda d: d.assign(PredictionString=["nan 1 0 0 1 1", *d.PredictionString.iloc[1:]]),
    "empty-cell": lambda d: d.assign(PredictionString=[np.nan, *d.PredictionString.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    gold = read_csv(comp.gold_submission)
    assert_all_invalid(comp, gold, INVALID, tmp_path)
