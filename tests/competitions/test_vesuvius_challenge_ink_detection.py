import importlib
import io
import zipfile

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "vesuvius-challenge-ink-detection"
SLICES = {f"surface_volume/{z:02d}.tif" for z in range(65)}

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
# (sample_submission.csv is fixed and also matches the reference's checksum on Kaggle's data.)
EXPECTED = {
    "private/inklabels_rle.csv": "9feffe25e06ba522ed325535295eaac0",
    "private/gold_submission.csv": "bb439a3cb44a8bb85862fade0bbbe3af",
    "public/sample_submission.csv": "034491951a7c40fbcac61ebe97ec4629",
}
EXPECTED_TREES = {
    "public/train": "be5fed23bd2fcf65e6b734dc97d6b6e0",
    "public/test": "68f9627901e746279a7621c8a299a465",
}


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    from mlebench.data import prepare_competition
    from mlebench.registry import Registry

    competition = Registry(tmp_path_factory.mktemp("data")).get_competition(CID)
    prepare_competition(competition, synthetic=True, seed=0, force=True)
    return competition


def _files(root) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_split(comp):
    pub = comp.public_dir
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    gold = read_csv(comp.gold_submission)
    assert list(answers.columns) == ["Id", "Predicted", "width", "height"]
    assert answers[["Id", "width", "height"]].values.tolist() == [["a", 14, 20]]
    assert sample.values.tolist() == [["a", "1 1 5 1"]]
    assert gold.values.tolist() == answers[["Id", "Predicted"]].values.tolist()
    labelled = SLICES | {"mask.png", "inklabels.png", "inklabels_rle.csv", "ir.png"}
    assert sorted(p.name for p in (pub / "train").iterdir()) == ["1", "2"]
    assert _files(pub / "train" / "1") == _files(pub / "train" / "2") == labelled
    # the test fragment (Kaggle's training fragment 3) comes without its labels or infrared photo
    assert [p.name for p in (pub / "test").iterdir()] == ["a"]
    assert _files(pub / "test" / "a") == SLICES | {"mask.png"}


def test_answers_are_the_row_major_ink_labels(comp, tmp_path):
    from mlebench.metrics import rle_decode

    fixture = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
    with zipfile.ZipFile(fixture.make_fixture(tmp_path, seed=0)) as zf:
        ink = np.array(Image.open(io.BytesIO(zf.read("train/3/inklabels.png")))) != 0
    answers = read_csv(comp.answers)
    assert ink.shape == (20, 14) and ink.any()
    # numbered row by row: decode the transpose column-major
    assert np.array_equal(rle_decode(answers.Predicted[0], 14, 20).T, ink)


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    gold = read_csv(comp.gold_submission)
    assert raw_score(comp, gold, tmp_path) == 1.0
    assert raw_score(comp, gold[["Predicted", "Id"]], tmp_path) == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.0
    # values given by the reference grader on the same seed-0 files
    full = gold.assign(Predicted="1 280")
    assert raw_score(comp, full, tmp_path) == pytest.approx(0.031055900621118012, abs=1e-12)
    assert raw_score(comp, gold.assign(Predicted=" "), tmp_path) == 0.0


def test_hand_checked_f05():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    # 2 x 3 image numbered row by row: 1 2 3 / 4 5 6.
    answers = pd.DataFrame({"Id": ["a"], "Predicted": ["2 2 5 1"], "width": [3], "height": [2]})
    sub = pd.DataFrame({"Id": ["a"], "Predicted": ["1 2"]})
    # predicted {1, 2}, true {2, 3, 5}: tp 1, fp 1, fn 2 ->
    # F0.5 = 1.25 * 1 / (1.25 * 1 + 0.25 * 2 + 1) = 1.25 / 2.75 = 0.4545...
    assert grade(sub, answers) == pytest.approx(1.25 / 2.75, abs=1e-12)
    # the same runs read column-major would mark {1, 4} -> tp 0 -> 0: orientation matters
    assert grade(sub.assign(Predicted="1 1 4 1"), answers) == 0.0
    # neither mask has ink: 0 (scikit-learn's zero-division value), as in the reference
    assert grade(sub.assign(Predicted=" "), answers.assign(Predicted=" ")) == 0.0


INVALID = {
    "no-predicted": lambda d: d.drop(columns=["Predicted"]),
    "no-id": lambda d: d.drop(columns=["Id"]),
    "renamed": lambda d: d.rename(columns={"Id": "id"}),
    "extra-column": lambda d: d.assign(width=14),
    "extra-row": lambda d: pd.concat([d, d]),
    "wrong-id": lambda d: d.assign(Id="b"),
    "empty-cell": lambda d: d.assign(Predicted=[None]),
    "number": lambda d: d.assign(Predicted=[5]),
    "not-integers": lambda d: d.assign(Predicted=["1 x"]),
    "unsorted-runs": lambda d: d.assign(Predicted=["9 2 1 3"]),
    "overlapping-runs": lambda d: d.assign(Predicted=["1 5 3 2"]),
    "zero-start": lambda d: d.assign(Predicted=["0 2"]),
    "odd-count": lambda d: d.assign(Predicted=["1 2 5 3 9"]),
}


def test_invalid(comp, tmp_path):
    gold = read_csv(comp.gold_submission)
    assert_all_invalid(comp, gold, INVALID, tmp_path)
