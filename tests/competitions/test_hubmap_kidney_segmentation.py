import importlib

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, md5, raw_score

CID = "hubmap-kidney-segmentation"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/gold_submission.csv": "4117955635b317ae7ade8e22448247c5",
    "private/test.csv": "5a7e7bfb2d235d6881f3eb74dfffee95",
    "public/HuBMAP-20-dataset_information.csv": "2db1db90e02b650cd75f4b3d7acec675",
    "public/sample_submission.csv": "83e449f96fa608372e0aef0e647f5b40",
    "public/train.csv": "5bc975a2d86a33241dec96435fbb5e2b",
}
EXPECTED_TREES = {
    "public/train": "4f661f085b3dcb5dd730949586156ba8",
    "public/test": "29f443744500f66af057933486d0c3b3",
}


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    from mlebench.data import prepare_competition
    from mlebench.registry import Registry

    competition = Registry(tmp_path_factory.mktemp("data")).get_competition(CID)
    prepare_competition(competition, synthetic=True, seed=0, force=True)
    return competition


def test_split(comp):
    pub = comp.public_dir
    train, answers = read_csv(pub / "train.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    info = read_csv(pub / "HuBMAP-20-dataset_information.csv")
    assert (len(train), len(answers)) == (12, 3)
    assert list(train.columns) == ["id", "encoding"]
    assert list(answers.columns) == ["id", "encoding", "width_pixels", "height_pixels"]
    assert list(sample.columns) == ["id", "predicted"] and sample.predicted.isna().all()
    assert list(sample.id) == list(answers.id)
    assert set(train.id).isdisjoint(answers.id)
    assert sorted(info.image_file) == sorted(f"{i}.tiff" for i in [*train.id, *answers.id])
    assert {p.stem for p in (pub / "train").glob("*.tiff")} == set(train.id)
    assert {p.stem for p in (pub / "test").glob("*.tiff")} == set(answers.id)
    # Reproduced reference leak: the test images keep their glomerulus annotations.
    assert {p.stem for p in (pub / "test").glob("*.json")} >= set(answers.id)
    assert md5(pub / "test" / "sample_submission.csv") == md5(comp.sample_submission)
    assert read_csv(comp.gold_submission).predicted.tolist() == answers.encoding.tolist()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    gold = read_csv(comp.gold_submission)
    assert raw_score(comp, gold.sample(frac=1, random_state=0), tmp_path) == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.0
    sizes = answers.width_pixels * answers.height_pixels
    full = answers[["id"]].assign(predicted=[f"1 {n}" for n in sizes])
    # value given by the reference grader on the same seed-0 files
    assert raw_score(comp, full, tmp_path) == pytest.approx(0.12421462316907973, abs=1e-12)


def test_hand_checked_dice():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    # 2 x 2 images (pixels 1 2 down column 0, 3 4 down column 1).
    answers = pd.DataFrame({"id": ["a", "b", "c"], "encoding": ["1 2", "3 1", "4 1"],
                            "width_pixels": 2, "height_pixels": 2})
    sub = pd.DataFrame({"id": ["c", "a", "b"], "predicted": [None, "2 2", "3 1"]})
    # a: pred {2, 3}, true {1, 2} -> 2 * 1 / 4 = 0.5; b: identical -> 1; c: empty vs {4} -> 0.
    assert grade(sub, answers) == pytest.approx((0.5 + 1 + 0) / 3, abs=1e-12)


INVALID = {
    "no-predicted": lambda d: d.drop(columns=["predicted"]),
    "no-id": lambda d: d.drop(columns=["id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id=[d.id.iloc[1], *d.id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id=["abcdef123", *d.id.iloc[1:]]),
    "not-integers": lambda d: d.assign(predicted=["1 x", *d.predicted.iloc[1:]]),
    "unsorted-runs": lambda d: d.assign(predicted=["9 2 1 3", *d.predicted.iloc[1:]]),
    "overlapping-runs": lambda d: d.assign(predicted=["1 5 3 2", *d.predicted.iloc[1:]]),
    "zero-start": lambda d: d.assign(predicted=["0 2", *d.predicted.iloc[1:]]),
    "odd-count": lambda d: d.assign(predicted=["1 2 5 3 9", *d.predicted.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    gold = read_csv(comp.gold_submission)
    assert_all_invalid(comp, gold, INVALID, tmp_path)
