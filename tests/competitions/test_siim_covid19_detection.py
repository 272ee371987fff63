import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, md5, raw_score, tree_digest

CID = "siim-covid19-detection"
STUDY_LABELS = ["negative", "typical", "indeterminate", "atypical"]

# Seed-0 fixture prepared by ours and by the reference implementation: identical md5s (the DICOM
# folders as md5 over sorted `path md5` lines; every file also compared one by one).
EXPECTED = {
    "private/test.csv": "f98a140a6db080e6772d258b2bf81b85",
    "public/sample_submission.csv": "e11be6b0de996077c80e30f75af1a41a",
    "public/train_image_level.csv": "0f57327a3a552136c02f5f9fac871560",
    "public/train_study_level.csv": "0cf205697289f2866aff698b1664f609",
}
EXPECTED_TREES = {"train": "ffbda03ccef3d941c0c55337e18ac3b2", "test": "c9cf84d9c32ad4e150960d74b69814f8"}


@pytest.fixture
def comp(prepare_synthetic):
    pytest.importorskip("pydicom")
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub, root = comp.public_dir, comp.prepared_dir
    studies, images = read_csv(pub / "train_study_level.csv"), read_csv(pub / "train_image_level.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert len(studies) == 72  # 80 labelled studies, 10% held out
    test_studies = answers[answers.id.str.endswith("_study")]
    test_images = answers[answers.id.str.endswith("_image")]
    assert len(test_studies) == 8 and len(answers) == len(test_studies) + len(test_images)
    assert list(answers.columns) == list(sample.columns) == ["id", "PredictionString"]
    assert list(sample.id) == list(answers.id)
    assert set(sample.PredictionString) == {"negative 1 0 0 1 1", "none 1 0 0 1 1"}
    assert set(studies.id).isdisjoint(test_studies.id)
    assert set(images.id).isdisjoint(test_images.id)
    assert set(images.StudyInstanceUID + "_study") <= set(studies.id)
    # study folders (study/series/image.dcm) follow the split
    assert sorted(p.name for p in (pub / "train").iterdir()) == sorted(studies.id.str[:-6])
    assert sorted(p.name for p in (pub / "test").iterdir()) == sorted(test_studies.id.str[:-6])
    assert sorted(p.stem for p in (pub / "test").glob("*/*/*.dcm")) == sorted(test_images.id.str[:-6])
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED
    assert {k: tree_digest(pub, f"{k}/**/*") for k in EXPECTED_TREES} == EXPECTED_TREES


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 1.0
    # sample: same value from the reference's grader on this fixture
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(0.2627777777777777, abs=1e-12)
    # confidences do not matter when every prediction is right and nothing is missed
    rng = np.random.default_rng(0)
    reweighted = answers.assign(PredictionString=[
        " ".join(f"{t} {rng.random():.3f}" if i % 6 == 0 else t
                 for i, t in enumerate(s.split()) if i % 6 != 1)
        for s in answers.PredictionString])
    assert raw_score(comp, reweighted, tmp_path) == 1.0
    # wrong study labels everywhere: the four study classes get AP below 1
    wrong = answers.assign(PredictionString=[
        s.replace(s.split()[0], STUDY_LABELS[(STUDY_LABELS.index(s.split()[0]) + 1) % 4], 1)
        if s.split()[0] in STUDY_LABELS else s for s in answers.PredictionString])
    assert raw_score(comp, wrong, tmp_path) < 1.0


def test_hand_checked():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": ["s_study", "i_image"],
                            "PredictionString": ["typical 1 0 0 1 1", "opacity 1 0 0 10 10"]})
    sub = pd.DataFrame({"id": ["i_image", "s_study"],
                        "PredictionString": ["opacity 0.6 0 0 10 5", "negative 0.7 0 0 1 1 typical 0.3 0 0 1 1"]})
    # typical: study row hit (1, 0.3), image row nothing -> (0, 0): AP 1.
    # opacity: IoU 50/100 = 0.5 is not > 0.5 -> (0, 0.6) and the missed box (1, 0); study row
    # adds (0, 0): at threshold 0.6 precision 0, recall 0; at 0: precision 1/3, recall 1 -> AP 1/3.
    # mean = (1 + 1/3) / 2 = 2/3
    assert grade(sub, answers) == pytest.approx(2 / 3, abs=1e-12)


INVALID = {
    "no-prediction": lambda d: d.drop(columns=["PredictionString"]),
    "no-id": lambda d: d.rename(columns={"id": "Id"}),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id=[d.id.iloc[1], *d.id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id=["000000000000_study", *d.id.iloc[1:]]),
    "five-values": lambda d: d.assign(PredictionString=["none 1 0 0 1", *d.PredictionString.iloc[1:]]),
    "non-numeric": lambda d: d.assign(PredictionString=["none high 0 0 1 1", *d.PredictionString.iloc[1:]]),
    "empty-cell": lambda d: d.assign(PredictionString=[np.nan, *d.PredictionString.iloc[1:]]),
    "nan-confidence": lambda d: d.assign(PredictionString=[
        d.PredictionString.iloc[0].replace(" 1 ", " nan ", 1), *d.PredictionString.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
